"""Public pages about people: who wrote what, and who was quoted where."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from newsroom.caching import public_page
from people.models import Person

# How many of a person's stories each list shows, newest first: a source
# quoted in thousands of stories still gets a page of sensible size.
STORIES_SHOWN = 50


@public_page("person:{slug}")
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    person.read_latest_stories(limit=STORIES_SHOWN)
    # Someone who appears only in unpublished stories (a source in an
    # investigation not yet out) has no public page; the newsroom may still look.
    credited = person.published_bylines or person.published_quotations
    if not (credited or request.user.has_perm("people.view_person")):
        raise Http404("No such person.")
    return render(request, "people/detail.html", {"person": person, "limit": STORIES_SHOWN})

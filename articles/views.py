"""Public pages: the front page, story pages and topic pages."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from articles.models import Story, StoryQuerySet, Topic
from articles.rendering import related_stories

TOPIC_SECTIONS = {
    Topic.Kind.COUNTRY: "Countries",
    Topic.Kind.THEME: "Themes",
    Topic.Kind.SERIES: "Series",
}

# A page position: the (published_at, pk) of a story, e.g. "20121214T093000000000_42".
_CURSOR = re.compile(r"(\d{8}T\d{12})_(\d{1,18})")


def encode_cursor(story: Story) -> str:
    assert story.published_at is not None, "only published stories are paged"
    return f"{story.published_at.astimezone(UTC):%Y%m%dT%H%M%S%f}_{story.pk}"


def decode_cursor(value: str) -> tuple[datetime, int]:
    match = _CURSOR.fullmatch(value)
    if match is None:
        raise Http404("No such page.")
    try:
        when = datetime.strptime(match[1], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    except ValueError:
        raise Http404("No such page.") from None
    return when, int(match[2])


@dataclass
class StoryPage:
    stories: list[Story]
    older: str | None  # ?before= value for the next page of older stories
    newer: str | None  # ?after= value for the previous page of newer stories


def story_page(request: HttpRequest, stories: StoryQuerySet) -> StoryPage:
    """One page of `stories`, newest first, at the position that ?before=/?after= name.

    Keyset pagination: a page is the STORIES_PER_PAGE stories just past a
    story's (published_at, pk), read along the published_at index, so the
    500th page costs what the first does; there is no COUNT(*) and no OFFSET.
    The price is that pages have no numbers, only "older" and "newer". A
    position past the last story (or malformed) is a 404.
    """
    per_page = settings.STORIES_PER_PAGE
    if before := request.GET.get("before"):
        rows = list(stories.older_than(*decode_cursor(before))[: per_page + 1])
        has_older, has_newer = len(rows) > per_page, True
        rows = rows[:per_page]
    elif after := request.GET.get("after"):
        rows = list(
            stories.newer_than(*decode_cursor(after)).order_by("published_at", "pk")[: per_page + 1]
        )
        has_older, has_newer = True, len(rows) > per_page
        rows = rows[:per_page][::-1]
    else:
        rows = list(stories[: per_page + 1])
        has_older, has_newer = len(rows) > per_page, False
        rows = rows[:per_page]
    if not rows and (before or after):
        raise Http404("No such page.")
    return StoryPage(
        stories=rows,
        older=encode_cursor(rows[-1]) if has_older and rows else None,
        newer=encode_cursor(rows[0]) if has_newer and rows else None,
    )


def home(request: HttpRequest) -> HttpResponse:
    page = story_page(request, Story.objects.published().for_cards())
    return render(request, "articles/home.html", {"page": page})


def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Those who may view unpublished stories see drafts, scheduled and
    # embargoed ones as a preview; everyone else, staff or not, only what is
    # published.
    visible = Story.objects.visible_to(request.user)
    story = visible.for_detail().filter(slug=slug).first()
    if story is None:
        moved = visible.redirected_from(slug).only("slug").first()
        if moved is not None:
            return HttpResponsePermanentRedirect(moved.get_absolute_url())
        raise Http404("No such story.")
    topics = sorted(story.topics.all(), key=lambda t: (list(TOPIC_SECTIONS).index(t.kind), t.name))
    response = render(
        request,
        "articles/story.html",
        {
            "story": story,
            "topics": topics,
            "related": related_stories(story),
            "preview": not story.is_published,
        },
    )
    if not story.is_published:
        add_never_cache_headers(response)
    return response


def topic_list(request: HttpRequest) -> HttpResponse:
    # django-stubs cannot see an annotation made inside a QuerySet method.
    counted = Topic.objects.with_story_counts()
    topics = list(counted.filter(story_count__gt=0).order_by("name"))  # type: ignore[misc]
    sections = [
        {"heading": heading, "kind": kind, "topics": [t for t in topics if t.kind == kind]}
        for kind, heading in TOPIC_SECTIONS.items()
    ]
    return render(request, "articles/topic_list.html", {"sections": sections})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.with_size_hint(), slug=slug)
    page = story_page(request, Story.objects.published().filed_under(topic).for_cards())
    return render(request, "articles/topic.html", {"topic": topic, "page": page})

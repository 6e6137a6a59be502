"""Public pages: the front page, story pages, topic pages, the corrections and search."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar, cast

from django.conf import settings
from django.db.models import Model
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from articles import translations
from articles.models import Story, StoryNote, StoryQuerySet, Topic
from articles.rendering import related_stories
from articles.search_form import SearchForm
from newsroom.caching import public_page

TOPIC_SECTIONS = {
    Topic.Kind.COUNTRY: "Countries",
    Topic.Kind.THEME: "Themes",
    Topic.Kind.SERIES: "Series",
}

# The query parameters of a listing's pages (keyset_page).
PAGE_PARAMS = ("before", "after")

# A page position: the (published_at, pk) of a story, e.g. "20121214T093000000000_42".
_CURSOR = re.compile(r"(\d{8}T\d{12})_(\d{1,18})")


def encode_cursor(story: Story) -> str:
    assert story.published_at is not None, "only published stories are paged"
    return position_cursor(story.published_at, story.pk)


def position_cursor(when: datetime, pk: int) -> str:
    return f"{when.astimezone(UTC):%Y%m%dT%H%M%S%f}_{pk}"


def decode_cursor(value: str) -> tuple[datetime, int]:
    match = _CURSOR.fullmatch(value)
    if match is None:
        raise Http404("No such page.")
    try:
        when = datetime.strptime(match[1], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    except ValueError:
        raise Http404("No such page.") from None
    return when, int(match[2])


_Row = TypeVar("_Row", bound=Model)


class KeysetQuerySet(Protocol[_Row]):
    """A QuerySet ordered newest first by (`when`, pk), with the two seeks."""

    def older_than(self, when: datetime, pk: int, /) -> "KeysetQuerySet[_Row]": ...
    def newer_than(self, when: datetime, pk: int, /) -> "KeysetQuerySet[_Row]": ...
    def order_by(self, *fields: str) -> "KeysetQuerySet[_Row]": ...
    def __getitem__(self, k: slice, /) -> Iterable[_Row]: ...


@dataclass
class KeysetPage(Generic[_Row]):
    rows: list[_Row]
    older: str | None  # ?before= value for the next page of older rows
    newer: str | None  # ?after= value for the previous page of newer rows


def keyset_page(
    request: HttpRequest, rows_qs: KeysetQuerySet[_Row], *, when: str, per_page: int
) -> KeysetPage[_Row]:
    """One page of `rows_qs`, newest first, at the position that ?before=/?after= name.

    Keyset pagination: a page is the `per_page` rows just past a row's
    (`when`, pk), read along an index on them, so the 500th page costs what
    the first does; there is no COUNT(*) and no OFFSET. The price is that
    pages have no numbers, only "older" and "newer". A position past the
    last row (or malformed) is a 404.
    """
    if before := request.GET.get("before"):
        rows = list(rows_qs.older_than(*decode_cursor(before))[: per_page + 1])
        has_older, has_newer = len(rows) > per_page, True
        rows = rows[:per_page]
    elif after := request.GET.get("after"):
        newer = rows_qs.newer_than(*decode_cursor(after)).order_by(when, "pk")
        rows = list(newer[: per_page + 1])
        has_older, has_newer = True, len(rows) > per_page
        rows = rows[:per_page][::-1]
    else:
        rows = list(rows_qs[: per_page + 1])
        has_older, has_newer = len(rows) > per_page, False
        rows = rows[:per_page]
    if not rows and (before or after):
        raise Http404("No such page.")

    def cursor(row: _Row) -> str:
        return position_cursor(getattr(row, when), row.pk)

    return KeysetPage(
        rows=rows,
        older=cursor(rows[-1]) if has_older and rows else None,
        newer=cursor(rows[0]) if has_newer and rows else None,
    )


@dataclass
class StoryPage:
    stories: list[Story]
    older: str | None  # ?before= value for the next page of older stories
    newer: str | None  # ?after= value for the previous page of newer stories


def story_page(request: HttpRequest, stories: StoryQuerySet) -> StoryPage:
    """One page of `stories`, newest first by publication (see keyset_page)."""
    page = keyset_page(
        request,
        cast(KeysetQuerySet[Story], stories),
        when="published_at",
        per_page=settings.STORIES_PER_PAGE,
    )
    return StoryPage(stories=page.rows, older=page.older, newer=page.newer)


@public_page(params=PAGE_PARAMS)
def home(request: HttpRequest) -> HttpResponse:
    page = story_page(request, Story.objects.published().for_cards())
    return render(request, "articles/home.html", {"page": page})


@public_page("story:{slug}")
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
    # The interface speaks the story's language, whatever the reader's browser says.
    with translation.override(story.language):
        response = render(
            request, "articles/story.html", story_context(story, preview=not story.is_published)
        )
    if not story.is_published:
        add_never_cache_headers(response)
    return response


def story_context(story: Story, *, preview: bool | str) -> dict[str, object]:
    """What articles/story.html needs for `story` (from for_detail(), or a
    story built from an edit form: see articles.previews). `preview`: False
    for readers, True for a saved story readers cannot see yet, or the kind
    of preview ("unsaved", "shared") for includes/preview_banner.html."""
    topics = sorted(story.topics.all(), key=lambda t: (list(TOPIC_SECTIONS).index(t.kind), t.name))
    versions = translations.published_versions(story) if story.pk else []
    return {
        "story": story,
        "topics": topics,
        "related": related_stories(story),
        "preview": preview,
        "translations": versions,
        "translation_original": translations.original_among(story, versions),
    }


def story_by_id(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """The stored address of a story link (articles.rendering.story_link):
    a redirect to the story's current address, for whoever may see it.

    Temporary, not permanent: the address it leads to changes with the slug.
    """
    story = Story.objects.visible_to(request.user).filter(pk=pk).only("slug").first()
    if story is None:
        raise Http404("No such story.")
    return HttpResponseRedirect(story.get_absolute_url())


@public_page(params=PAGE_PARAMS)
def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and update note of the stories readers may see, newest first."""
    notes = StoryNote.objects.public().for_listing()
    page = keyset_page(
        request,
        cast(KeysetQuerySet[StoryNote], notes),
        when="noted_at",
        per_page=settings.CORRECTIONS_PER_PAGE,
    )
    return render(request, "articles/corrections.html", {"page": page})


@public_page()
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.with_published_counts()
    sections = [
        {"heading": heading, "kind": kind, "topics": [t for t in topics if t.kind == kind]}
        for kind, heading in TOPIC_SECTIONS.items()
    ]
    return render(request, "articles/topic_list.html", {"sections": sections})


@public_page("topic:{slug}", params=PAGE_PARAMS)
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A topic no published story is filed under (one being prepared for an
    # investigation not yet out) has no public page; the newsroom may still look.
    topics = Topic.objects.with_size_hint()
    if not request.user.has_perm("articles.view_topic"):
        topics = topics.public()
    topic = get_object_or_404(topics, slug=slug)
    page = story_page(request, Story.objects.published().filed_under(topic).for_cards())
    return render(request, "articles/topic.html", {"topic": topic, "page": page})


@public_page(params=("q", "sort", "topic", "person", "year", "page"))
def search(request: HttpRequest) -> HttpResponse:
    """Published stories matching ?q=, most relevant (or newest) first, filtered and paged."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "articles/search.html", {"form": form}, status=400)
    results = form.results() if form.has_words() else None
    return render(request, "articles/search.html", {"form": form, "results": results})

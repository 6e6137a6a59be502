"""A story's content at one moment, and how two such moments differ.

A `Snapshot` is what an editor writes: the headline, address, standfirst,
body, language and lead photo, and the bylines, quoted sources, topics and
cross-links, in order. Not the editorial state (status, dates, embargo):
revisions neither compare nor restore that. It is read from a saved
revision (`from_revision`) or from the stored story (`from_story`).

`compare` says what changed between two snapshots as an editor reads it:
the texts word by word (the body as text, not HTML), the other fields as
old and new values, the lists as what was added, removed or changed. It
reads the names it shows (people, topics, photos, linked stories) in one
query per model, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from reversion.models import Version

from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, TaggedStory, Topic
from newsroom.text import normalise_title
from newsroom.textdiff import Segment, diff_html, html_to_text, word_diff
from people.models import Person


@dataclass(frozen=True)
class Credit:
    """A byline (role) or a quoted source (description)."""

    person_id: int
    text: str


@dataclass(frozen=True)
class Link:
    title: str
    target_id: int | None


@dataclass(frozen=True)
class Snapshot:
    headline: str
    slug: str
    standfirst: str
    body: str
    language: str
    lead_photo_id: int | None
    bylines: tuple[Credit, ...] = ()
    sources: tuple[Credit, ...] = ()
    topic_ids: tuple[int, ...] = ()  # sorted: a story's topics have no order
    links: tuple[Link, ...] = ()

    @classmethod
    def from_story(cls, story: Story) -> Snapshot:
        """The stored story and its related rows, read from the database."""
        return cls(
            headline=story.headline,
            slug=story.slug,
            standfirst=story.standfirst,
            body=story.body,
            language=story.language,
            lead_photo_id=story.lead_photo_id,
            bylines=tuple(
                Credit(b.person_id, b.role) for b in Byline.objects.filter(story=story.pk)
            ),
            sources=tuple(
                Credit(s.person_id, s.description)
                for s in QuotedSource.objects.filter(story=story.pk)
            ),
            topic_ids=tuple(
                sorted(
                    TaggedStory.objects.filter(content_object=story.pk).values_list(
                        "tag_id", flat=True
                    )
                )
            ),
            links=tuple(
                Link(link.title, link.target_id)
                for link in CrossLink.objects.filter(source=story.pk)
            ),
        )

    @classmethod
    def from_versions(cls, story_id: int, versions: Iterable[Version]) -> Snapshot:
        """The story `story_id` as the django-reversion versions of one revision hold it."""
        rows: dict[type[Model], list[dict[str, object]]] = {}
        for version in versions:
            model = ContentType.objects.get_for_id(version.content_type_id).model_class()
            if model is not None:
                rows.setdefault(model, []).append(version.field_dict)
        (story,) = [row for row in rows.get(Story, []) if row["id"] == story_id]
        return cls(
            headline=str(story["headline"]),
            slug=str(story["slug"]),
            standfirst=str(story["standfirst"]),
            body=str(story["body"]),
            language=str(story["language"]),
            lead_photo_id=_id(story["lead_photo_id"]),
            bylines=tuple(
                Credit(int(str(row["person_id"])), str(row["role"]))
                for row in _in_order(rows.get(Byline, []), "story_id", story_id)
            ),
            sources=tuple(
                Credit(int(str(row["person_id"])), str(row["description"]))
                for row in _in_order(rows.get(QuotedSource, []), "story_id", story_id)
            ),
            topic_ids=tuple(
                sorted(
                    int(str(row["tag_id"]))
                    for row in rows.get(TaggedStory, [])
                    if row["content_object_id"] == story_id
                )
            ),
            links=tuple(
                Link(str(row["title"]), _id(row["target_id"]))
                for row in _in_order(rows.get(CrossLink, []), "source_id", story_id)
            ),
        )


def _id(value: object) -> int | None:
    return None if value is None else int(str(value))


def _in_order(rows: list[dict[str, object]], fk: str, story_id: int) -> list[dict[str, object]]:
    """The story's rows in its order: by position, then as created (Credit.Meta.ordering)."""
    mine = [row for row in rows if row[fk] == story_id]
    return sorted(mine, key=lambda row: (int(str(row["position"])), int(str(row["id"]))))


# --- Comparing ----------------------------------------------------------------


@dataclass(frozen=True)
class TextChange:
    label: str
    segments: list[Segment]

    @property
    def html(self) -> SafeString:
        return diff_html(self.segments)


@dataclass(frozen=True)
class ValueChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ListChange:
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    """What changed from `old` to `new`, only the fields that did."""

    texts: list[TextChange]
    values: list[ValueChange]
    lists: list[ListChange]

    @property
    def has_changes(self) -> bool:
        return bool(self.texts or self.values or self.lists)


@dataclass
class _Names:
    """Display names of the rows two snapshots refer to, read in one query per model."""

    people: dict[int, str]
    topics: dict[int, str]
    photos: dict[int, str]
    stories: dict[int, str]

    @classmethod
    def of(cls, *snapshots: Snapshot) -> _Names:
        people = {c.person_id for s in snapshots for c in (*s.bylines, *s.sources)}
        topics = {t for s in snapshots for t in s.topic_ids}
        photos = {s.lead_photo_id for s in snapshots if s.lead_photo_id is not None}
        stories = {link.target_id for s in snapshots for link in s.links if link.target_id}
        return cls(
            people=dict(Person.objects.filter(pk__in=people).values_list("pk", "name"))
            if people
            else {},
            topics=dict(Topic.objects.filter(pk__in=topics).values_list("pk", "name"))
            if topics
            else {},
            photos={p.pk: str(p) for p in Photo.objects.filter(pk__in=photos)} if photos else {},
            stories=dict(Story.objects.filter(pk__in=stories).values_list("pk", "headline"))
            if stories
            else {},
        )

    def person(self, pk: int) -> str:
        return self.people.get(pk, gettext("a person since deleted (#%(id)s)") % {"id": pk})

    def topic(self, pk: int) -> str:
        return self.topics.get(pk, gettext("a topic since deleted (#%(id)s)") % {"id": pk})

    def photo(self, pk: int | None) -> str:
        if pk is None:
            return gettext("none")
        return self.photos.get(pk, gettext("a photo since deleted (#%(id)s)") % {"id": pk})

    def link(self, link: Link) -> str:
        if link.target_id is None:
            return gettext("“%(title)s” (pending)") % {"title": link.title}
        target = self.stories.get(link.target_id, gettext("a story since deleted"))
        return gettext("“%(title)s” → %(target)s") % {"title": link.title, "target": target}


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """How `new` differs from `old`, for an editor to read."""
    names = _Names.of(old, new)
    texts = [
        TextChange(label, word_diff(before, after))
        for label, before, after in (
            (gettext("Headline"), old.headline, new.headline),
            (gettext("Standfirst"), old.standfirst, new.standfirst),
            (gettext("Body"), html_to_text(old.body), html_to_text(new.body)),
        )
        if before != after
    ]
    values = [
        ValueChange(label, before, after)
        for label, before, after in (
            (gettext("Address (slug)"), old.slug, new.slug),
            (gettext("Language"), old.language, new.language),
            (
                gettext("Lead photo"),
                names.photo(old.lead_photo_id),
                names.photo(new.lead_photo_id),
            ),
        )
        if before != after
    ]
    lists = [
        change
        for change in (
            _credits(gettext("Authors"), old.bylines, new.bylines, names, gettext("role")),
            _credits(
                gettext("Quoted sources"),
                old.sources,
                new.sources,
                names,
                gettext("description"),
            ),
            _topics(old.topic_ids, new.topic_ids, names),
            _links(old.links, new.links, names),
        )
        if change.added or change.removed or change.changed
    ]
    return Comparison(texts, values, lists)


def _credits(
    label: str, old: tuple[Credit, ...], new: tuple[Credit, ...], names: _Names, what: str
) -> ListChange:
    before = {c.person_id: c.text for c in old}
    after = {c.person_id: c.text for c in new}

    def shown(pk: int, text: str) -> str:
        return f"{names.person(pk)} ({text})" if text else names.person(pk)

    return ListChange(
        label,
        added=[shown(pk, text) for pk, text in after.items() if pk not in before],
        removed=[shown(pk, text) for pk, text in before.items() if pk not in after],
        changed=[
            gettext("%(person)s: %(what)s “%(before)s” → “%(after)s”")
            % {"person": names.person(pk), "what": what, "before": before[pk], "after": text}
            for pk, text in after.items()
            if pk in before and before[pk] != text
        ],
    )


def _topics(old: tuple[int, ...], new: tuple[int, ...], names: _Names) -> ListChange:
    return ListChange(
        gettext("Topics"),
        added=[names.topic(pk) for pk in new if pk not in old],
        removed=[names.topic(pk) for pk in old if pk not in new],
    )


def _links(old: tuple[Link, ...], new: tuple[Link, ...], names: _Names) -> ListChange:
    before = {normalise_title(link.title): link for link in old}
    after = {normalise_title(link.title): link for link in new}
    return ListChange(
        gettext("Cross-links"),
        added=[names.link(link) for key, link in after.items() if key not in before],
        removed=[names.link(link) for key, link in before.items() if key not in after],
        changed=[
            gettext("%(before)s is now %(after)s")
            % {"before": names.link(before[key]), "after": names.link(link)}
            for key, link in after.items()
            if key in before and before[key] != link
        ],
    )

"""Writing parsed legacy stories into the content models.

`import_story` turns one `ParsedStory` into a complete story — bylines,
quoted sources, topics, cross-links and lead photo — in one transaction, so
a file either lands whole or not at all.

Re-importing is safe: stories are matched on `Story.legacy_id`; a story whose
parsed content and status are what was imported last time (and whose image,
if one is given, is the stored one) is left alone ("unchanged"), and a story
an editor has saved since its import (`updated_at > imported_at`) is not
overwritten unless asked ("skipped").

The `import_legacy` command imports thousands of files in a row. It passes an
`ImportCache` built with `preload=True`, which reads once what each story
would otherwise query for (legacy ids, slugs, titles, pending link titles)
and remembers the people and topics it meets, so a new story costs only its
inserts. The cache assumes the run is the only writer of stories while it
lasts; if another one races it, the affected file fails on a database
constraint and can be re-imported.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import Truncator

from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, TaggedStory, Topic
from articles.services import resolve_pending_links
from legacy.batch import IMAGE_SUFFIXES
from legacy.result import ParsedStory
from legacy.topics import classify_topic
from newsroom.images import validate_photo_file
from newsroom.slugs import first_free_slug, unique_slug
from newsroom.text import name_key, normalise_title
from newsroom.validation import check_length
from people.models import Person, PersonAlias

# Legacy datelines carry a date only. Noon UTC falls on that same calendar
# date in every time zone from UTC-11 to UTC+11, so the printed date does not
# depend on settings.TIME_ZONE (or on it changing later).
PUBLICATION_TIME = datetime.time(12, 0, tzinfo=datetime.UTC)

Action = Literal["created", "updated", "unchanged", "skipped"]


class StoryImportError(Exception):
    """A story that cannot be imported for a reason other than its text."""


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_story` did (or, for `plan_story`, would do) with one story."""

    action: Action
    story: Story | None = None
    reason: str = ""
    resolved_links: int = 0
    pending_links: int = 0


@dataclass(frozen=True)
class PhotoFile:
    """An image file, read and validated, to attach as a lead photo."""

    name: str
    content: bytes


class ImportCache:
    """What a run of imports knows about the database.

    People, topics and aliases met during the run are always remembered.
    With `preload=True` it also holds the legacy ids, slugs and headline keys
    of every story and the title keys of pending cross-links; without, those
    questions are asked of the database each time.

    Changes made while a story is imported are staged, and only kept once that
    story's transaction has committed (`commit`), so that a rolled-back file
    cannot leave the cache pointing at rows that do not exist.
    """

    def __init__(self, *, preload: bool = False):
        self.people: dict[str, int] = {}
        self.topics: dict[str, int] = {}
        self.aliases: set[str] = set()
        self._staged: list[Callable[[], object]] = []
        self.preloaded = preload
        self.legacy_ids: set[str] = set()
        self.slugs: set[str] = set()
        self.titles: dict[str, int] = {}
        self.pending: set[str] = set()
        if preload:
            stories = Story.objects.order_by("-pk").values_list(
                "pk", "legacy_id", "slug", "headline_key"
            )
            for pk, legacy_id, slug, key in stories.iterator(chunk_size=5000):
                if legacy_id:
                    self.legacy_ids.add(legacy_id)
                self.slugs.add(slug)
                self.titles[key] = pk  # in descending order: the oldest story wins
            self.pending = set(CrossLink.objects.pending().values_list("title_key", flat=True))

    # staging

    def stage(self, change: Callable[[], object]) -> None:
        self._staged.append(change)

    def commit(self) -> None:
        for change in self._staged:
            change()
        self._staged.clear()

    def discard(self) -> None:
        self._staged.clear()

    # questions about stories

    def may_exist(self, legacy_id: str) -> bool:
        return not self.preloaded or legacy_id in self.legacy_ids

    def free_slug(self, text: str) -> str:
        """A story slug for `text` that no story uses yet."""
        if not self.preloaded:
            return unique_slug(Story.objects.all(), text, fallback="story")
        max_length = Story._meta.get_field("slug").max_length
        return first_free_slug(text, taken=self.slugs, max_length=max_length, fallback="story")

    def targets(self, keys: Iterable[str], *, exclude: int | None) -> dict[str, int]:
        """The pk of the (oldest) story with each headline key, where there is one."""
        keys = list(keys)
        if self.preloaded:
            found = {key: self.titles[key] for key in keys if key in self.titles}
            return {key: pk for key, pk in found.items() if pk != exclude}
        rows = Story.objects.filter(headline_key__in=keys).order_by("-pk")
        if exclude is not None:
            rows = rows.exclude(pk=exclude)
        return dict(rows.values_list("headline_key", "pk"))  # later (older) rows win

    def may_have_pending(self, key: str) -> bool:
        return not self.preloaded or key in self.pending

    def story_saved(self, story: Story, *, old_key: str | None, links: list[CrossLink]) -> None:
        if not self.preloaded:
            return
        key, pk = story.headline_key, story.pk
        self.stage(partial(self.legacy_ids.add, story.legacy_id))
        self.stage(partial(self.slugs.add, story.slug))
        self.stage(partial(self.titles.setdefault, key, pk))
        self.stage(partial(self.pending.discard, key))
        self.stage(
            partial(self.pending.update, [link.title_key for link in links if not link.target_id])
        )
        if old_key and old_key != key and self.titles.get(old_key) == pk:
            successor = (
                Story.objects.filter(headline_key=old_key)
                .exclude(pk=pk)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
            if successor is None:
                self.stage(partial(self.titles.pop, old_key, None))
            else:
                self.stage(partial(self.titles.__setitem__, old_key, successor))


# --- pure helpers ---------------------------------------------------------------


def read_photo_file(path: Path) -> PhotoFile:
    """Read and validate an image; raise StoryImportError naming what is wrong."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise StoryImportError(f"image {path.name}: only JPEG, PNG and WebP files are accepted")
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise StoryImportError(f"image {path.name} cannot be read: {exc.strerror}") from None
    try:
        validate_photo_file(ContentFile(content, name=path.name))
    except ValidationError as exc:
        raise StoryImportError(f"image {path.name}: {' '.join(exc.messages)}") from None
    return PhotoFile(name=path.name, content=content)


def body_html(paragraphs: list[str]) -> str:
    """One `<p>` per paragraph, the text escaped and otherwise kept as written."""
    return "\n".join(f"<p>{html.escape(text, quote=False)}</p>" for text in paragraphs)


def publication_datetime(date: datetime.date) -> datetime.datetime:
    """The aware datetime stored for a dateline's date (noon UTC)."""
    return datetime.datetime.combine(date, PUBLICATION_TIME)


def content_checksum(parsed: ParsedStory, *, status: str) -> str:
    """SHA-256 of everything an import writes from the file (not the file name)."""
    contract = parsed.as_contract("")
    del contract["file"]
    payload = json.dumps(
        {"story": contract, "status": status, "language": "en"},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# --- decisions shared by the import and the dry run -----------------------------


def _edited_since_import(story: Story) -> bool:
    return story.imported_at is None or story.updated_at > story.imported_at


def _same_image(photo: Photo | None, image: PhotoFile | None) -> bool:
    """Whether `image` is already the stored original of `photo` (or there is none)."""
    if image is None:
        return True
    if photo is None or not photo.image:
        return False
    try:
        if photo.image.size != len(image.content):
            return False
        with photo.image.open("rb") as stored:
            return stored.read() == image.content
    except OSError:
        return False


def _existing(legacy_id: str, *, for_update: bool = False) -> Story | None:
    queryset = Story.objects.select_related("lead_photo").filter(legacy_id=legacy_id)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.order_by().first()


def _decide(
    existing: Story | None, *, checksum: str, image: PhotoFile | None, overwrite: bool
) -> ImportOutcome | None:
    """An outcome that writes nothing (skipped, unchanged), or None to go ahead."""
    if existing is None:
        return None
    edited = _edited_since_import(existing)
    if edited and not overwrite:
        return ImportOutcome(
            "skipped",
            existing,
            reason="edited in the admin since it was imported (use --overwrite to replace it)",
        )
    if (
        not edited
        and existing.legacy_checksum == checksum
        and _same_image(existing.lead_photo, image)
    ):
        return ImportOutcome("unchanged", existing)
    return None


def plan_story(
    *,
    parsed: ParsedStory,
    legacy_id: str,
    image_path: Path | None,
    status: str,
    overwrite: bool,
    cache: ImportCache | None = None,
) -> ImportOutcome:
    """What `import_story` would do with the same arguments; writes nothing."""
    cache = cache if cache is not None else ImportCache()
    image = read_photo_file(image_path) if image_path else None
    existing = _existing(legacy_id) if cache.may_exist(legacy_id) else None
    decided = _decide(
        existing,
        checksum=content_checksum(parsed, status=status),
        image=image,
        overwrite=overwrite,
    )
    if decided:
        return decided
    keys = {normalise_title(title) for title in parsed.cross_links}
    keys.discard(normalise_title(parsed.title))
    found = cache.targets(keys, exclude=existing.pk if existing else None)
    return ImportOutcome(
        "updated" if existing else "created", existing, pending_links=len(keys - set(found))
    )


# --- writing --------------------------------------------------------------------


def find_or_create_person(name: str, *, cache: ImportCache) -> int:
    """The pk of the person called `name` (by name or recorded alias), created if new."""
    key = name_key(name)
    pk = cache.people.get(key)
    if pk is None:
        pk = Person.objects.get_or_create_by_name(name)[0].pk
        cache.stage(partial(cache.people.__setitem__, key, pk))
    return pk


def record_alias(person_id: int, alias: str, *, cache: ImportCache) -> None:
    """Record `alias` as a spelling of the person unless someone already has that name."""
    key = name_key(alias)
    if not key or key in cache.aliases:
        return
    if PersonAlias.objects.add_unless_taken(person_id=person_id, name=alias):
        cache.stage(partial(cache.people.__setitem__, key, person_id))
    cache.stage(partial(cache.aliases.add, key))


def find_or_create_topic(name: str, *, cache: ImportCache) -> int:
    """The pk of the topic called `name` (in any case), created with its kind if new."""
    key = name.casefold()
    pk = cache.topics.get(key)
    if pk is None:
        pk = Topic.objects.get_or_create_by_name(name, kind=classify_topic(name))[0].pk
        cache.stage(partial(cache.topics.__setitem__, key, pk))
    return pk


def _save_photo(
    story: Story, parsed: ParsedStory, image: PhotoFile | None, saved_files: list[str]
) -> Photo | None:
    """Create or update the lead photo; None when there is nothing to show.

    Without an image file the photo still carries the caption and credit.
    An image attached earlier is kept when this run gives none.
    """
    caption = parsed.photo.caption if parsed.photo else ""
    credit = parsed.photo.credit if parsed.photo else ""
    photo = story.lead_photo
    if photo is None and not (caption or credit or image):
        return None
    photo = photo or Photo()
    if not (caption or credit or image or photo.image):
        photo.delete()
        return None
    photo.caption = caption
    photo.credit = credit
    alt_limit = Photo._meta.get_field("alt_text").max_length
    photo.alt_text = caption if len(caption) <= alt_limit else Truncator(caption).chars(alt_limit)
    if image is not None and not _same_image(photo, image):
        replaced = [f.name for f in (photo.image, photo.rendition, photo.thumbnail) if f]
        transaction.on_commit(partial(_delete_files, replaced))
        photo.image = ContentFile(image.content, name=image.name)
    photo.full_clean(exclude=["image"], validate_unique=False, validate_constraints=False)
    committed = bool(photo.image) and getattr(photo.image, "_committed", True)
    photo.save()
    if photo.image and not committed:
        saved_files += [f.name for f in (photo.image, photo.rendition, photo.thumbnail) if f]
    return photo


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _people_rows(model, story: Story, pairs, text_field: str) -> list:
    """Bylines or quoted sources in order, one per person."""
    rows, seen = [], set()
    for person_id, text in pairs:
        if person_id in seen:
            continue
        seen.add(person_id)
        check_length(model, text_field, text, what=f"The {model._meta.verbose_name} text")
        rows.append(
            model(story=story, person_id=person_id, position=len(rows), **{text_field: text})
        )
    return rows


def _link_rows(story: Story, titles: list[str], cache: ImportCache) -> list[CrossLink]:
    """Cross-links in order, pointing at the story with that title where one exists.

    A story's link to its own title is dropped: it would stay pending forever.
    """
    keyed: dict[str, str] = {}
    for title in titles:
        key = normalise_title(title)
        if key and key != story.headline_key:
            keyed.setdefault(key, check_length(CrossLink, "title", title, what="The link title"))
    targets = cache.targets(keyed, exclude=story.pk) if keyed else {}
    return [
        CrossLink(source=story, title=title, title_key=key, target_id=targets.get(key), position=n)
        for n, (key, title) in enumerate(keyed.items())
    ]


def import_story(
    *,
    parsed: ParsedStory,
    legacy_id: str,
    image_path: Path | None,
    status: str,
    overwrite: bool,
    cache: ImportCache | None = None,
) -> ImportOutcome:
    """Create or update the story imported from the legacy file `legacy_id`.

    Everything is written in one transaction (`_write_story`). On failure —
    StoryImportError for an invalid image, ValidationError for a value that
    does not fit the models, or a database error — nothing is left behind:
    the transaction is rolled back, image files saved for it are deleted and
    the cache forgets what it learnt.
    """
    cache = cache if cache is not None else ImportCache()
    image = read_photo_file(image_path) if image_path else None
    saved_files: list[str] = []
    try:
        outcome = _write_story(
            parsed=parsed,
            legacy_id=legacy_id,
            image=image,
            status=status,
            overwrite=overwrite,
            cache=cache,
            saved_files=saved_files,
        )
    except BaseException:
        cache.discard()
        _delete_files(saved_files)
        raise
    cache.commit()
    return outcome


@transaction.atomic
def _write_story(
    *,
    parsed: ParsedStory,
    legacy_id: str,
    image: PhotoFile | None,
    status: str,
    overwrite: bool,
    cache: ImportCache,
    saved_files: list[str],
) -> ImportOutcome:
    existing = _existing(legacy_id, for_update=True) if cache.may_exist(legacy_id) else None
    checksum = content_checksum(parsed, status=status)
    decided = _decide(existing, checksum=checksum, image=image, overwrite=overwrite)
    if decided:
        return decided

    story = existing or Story(legacy_id=legacy_id)
    old_key = story.headline_key
    story.headline = parsed.title
    story.headline_key = normalise_title(parsed.title)
    story.standfirst = parsed.standfirst
    story.body = body_html(parsed.body)
    story.status = status
    story.published_at = publication_datetime(parsed.published)
    story.language = "en"
    story.legacy_checksum = checksum
    if not story.slug:  # an updated story keeps its address
        story.slug = cache.free_slug(parsed.title)
    story.full_clean(exclude=["lead_photo"], validate_unique=False, validate_constraints=False)

    authors = [(find_or_create_person(a.name, cache=cache), a.role) for a in parsed.authors]
    sources = []
    for source in parsed.sources:
        person_id = find_or_create_person(source.name, cache=cache)
        for alias in source.aliases:
            record_alias(person_id, alias, cache=cache)
        sources.append((person_id, source.description))
    topic_ids = dict.fromkeys(find_or_create_topic(name, cache=cache) for name in parsed.topics)

    story.lead_photo = _save_photo(story, parsed, image, saved_files)
    story.save()

    if existing is not None:
        Byline.objects.filter(story=story).delete()
        QuotedSource.objects.filter(story=story).delete()
        CrossLink.objects.filter(source=story).delete()
        TaggedStory.objects.filter(content_object=story).delete()
    Byline.objects.bulk_create(_people_rows(Byline, story, authors, "role"))
    QuotedSource.objects.bulk_create(_people_rows(QuotedSource, story, sources, "description"))
    links = CrossLink.objects.bulk_create(_link_rows(story, parsed.cross_links, cache))
    TaggedStory.objects.bulk_create(
        [TaggedStory(content_object=story, tag_id=topic_id) for topic_id in topic_ids]
    )
    resolved = resolve_pending_links(story) if cache.may_have_pending(story.headline_key) else 0

    # Equal timestamps mean "not edited since the import": an editor's save
    # moves updated_at past imported_at.
    Story.objects.filter(pk=story.pk).update(imported_at=story.updated_at)
    story.imported_at = story.updated_at
    cache.story_saved(story, old_key=old_key, links=links)
    return ImportOutcome(
        "updated" if existing else "created",
        story,
        resolved_links=resolved,
        pending_links=sum(1 for link in links if link.target_id is None),
    )

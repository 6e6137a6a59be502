"""Writing parsed legacy stories into the content models: the importer's services.

`import_story` turns one `ParsedStory` into a complete story (bylines,
quoted sources, topics, cross-links and lead photo) in one transaction, so a
file either lands whole or not at all; `plan_story` says what it would do,
writing nothing (the dry run).

Re-importing is safe: stories are matched on `Story.legacy_id`; a story whose
parsed content and status are what was imported last time (and whose image,
if one is given, is the stored one) is left alone ("unchanged"), and a story
an editor has saved since its import (`updated_at > imported_at`) is not
overwritten unless asked ("skipped").

Both take an `ImportCache` (legacy.cache): the import command's runs share
one, preloaded, so that a new story costs only its inserts.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Model
from django.utils.text import Truncator

from articles import search_index
from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, TaggedStory
from articles.services import resolve_pending_links
from legacy.batch import IMAGE_SUFFIXES
from legacy.cache import ImportCache
from legacy.result import ParsedStory
from newsroom.image_metadata import without_location
from newsroom.images import validate_photo_file
from newsroom.text import normalise_title
from newsroom.validation import check_length, max_length

# Legacy datelines carry a date only. Noon UTC falls on that same calendar
# date in every time zone from UTC-11 to UTC+11, so the printed date does not
# depend on settings.TIME_ZONE (or on it changing later).
PUBLICATION_TIME = datetime.time(12, 0, tzinfo=datetime.UTC)

Action = Literal["created", "updated", "unchanged", "skipped"]
# A file written for a story: its storage and name (deleted again on failure).
StoredFile = tuple[Storage, str]


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
    """An image file to attach as a lead photo: its bytes as read, and (checked
    and stripped of location metadata when first asked for) as stored.

    A re-import whose file is byte for byte the stored original, as most are,
    needs neither: that file was checked when it was stored.
    """

    name: str
    raw: bytes

    def stored_content(self) -> bytes:
        """The image as it is stored: decoded to its end, without location
        metadata. Raises StoryImportError naming what is wrong."""
        return self._checked

    @cached_property
    def _checked(self) -> bytes:
        try:
            validate_photo_file(ContentFile(self.raw, name=self.name))
        except ValidationError as exc:
            raise StoryImportError(f"image {self.name}: {' '.join(exc.messages)}") from None
        return without_location(self.raw)


# --- pure helpers ---------------------------------------------------------------


def read_photo_file(path: Path) -> PhotoFile:
    """Read an image; raise StoryImportError naming what is wrong."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise StoryImportError(f"image {path.name}: only JPEG, PNG and WebP files are accepted")
    try:
        return PhotoFile(name=path.name, raw=path.read_bytes())
    except OSError as exc:
        raise StoryImportError(f"image {path.name} cannot be read: {exc.strerror}") from None


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
    """Whether `image` is already the stored original of `photo` (or there is none).

    Compared first as read, then (only if that differs) as it would be stored.
    """
    if image is None:
        return True
    if photo is None or not photo.image:
        return False
    try:
        size = photo.image.size
        if size != len(image.raw) and size != len(image.stored_content()):
            return False
        with photo.image.open("rb") as file:
            stored: bytes = file.read()
    except OSError:
        return False
    return stored == image.raw or stored == image.stored_content()


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
    if image is not None:
        image.stored_content()  # an invalid image fails the dry run too
    keys = {normalise_title(title) for title in parsed.cross_links}
    keys.discard(normalise_title(parsed.title))
    found = cache.targets(keys, exclude=existing.pk if existing else None)
    return ImportOutcome(
        "updated" if existing else "created", existing, pending_links=len(keys - set(found))
    )


# --- writing --------------------------------------------------------------------


def _save_photo(
    story: Story, parsed: ParsedStory, image: PhotoFile | None, saved_files: list[StoredFile]
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
    alt_limit = max_length(Photo, "alt_text")
    photo.alt_text = caption if len(caption) <= alt_limit else Truncator(caption).chars(alt_limit)
    if image is not None and not _same_image(photo, image):
        transaction.on_commit(partial(_delete_files, _stored_files(photo)))
        photo.image = ContentFile(image.stored_content(), name=image.name)
    photo.full_clean(exclude=["image"], validate_unique=False, validate_constraints=False)
    committed = bool(photo.image) and getattr(photo.image, "_committed", True)
    photo.save()
    if photo.image and not committed:
        saved_files += _stored_files(photo)
    return photo


def _stored_files(photo: Photo) -> list[StoredFile]:
    """The stored files of a photo: the original (in the originals' storage)
    and its renditions, each with its storage."""
    return photo.stored_files()


def _delete_files(files: list[StoredFile]) -> None:
    for storage, name in files:
        storage.delete(name)


def _unique_people(
    pairs: list[tuple[int, str]], model: type[Model], text_field: str
) -> Iterator[tuple[int, int, str]]:
    """(position, person id, text) for each person once, in order, the text checked to fit."""
    seen: set[int] = set()
    for person_id, text in pairs:
        if person_id not in seen:
            check_length(model, text_field, text, what=f"The {model._meta.verbose_name} text")
            yield len(seen), person_id, text
            seen.add(person_id)


def _bylines(story: Story, authors: list[tuple[int, str]]) -> list[Byline]:
    return [
        Byline(story=story, person_id=person_id, role=role, position=position)
        for position, person_id, role in _unique_people(authors, Byline, "role")
    ]


def _quotations(story: Story, sources: list[tuple[int, str]]) -> list[QuotedSource]:
    return [
        QuotedSource(story=story, person_id=person_id, description=text, position=position)
        for position, person_id, text in _unique_people(sources, QuotedSource, "description")
    ]


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
    saved_files: list[StoredFile] = []
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
    saved_files: list[StoredFile],
) -> ImportOutcome:
    existing = _existing(legacy_id, for_update=True) if cache.may_exist(legacy_id) else None
    checksum = content_checksum(parsed, status=status)
    decided = _decide(existing, checksum=checksum, image=image, overwrite=overwrite)
    if decided:
        return decided
    if image is not None:
        image.stored_content()  # an invalid image fails the story before anything is written

    story = existing or Story(legacy_id=legacy_id)
    old_key = story.headline_key
    _fill_story(story, parsed, status=status, checksum=checksum, cache=cache)
    credits = _Credits.of(parsed, cache)
    story.lead_photo = _save_photo(story, parsed, image, saved_files)
    if existing is not None:
        # The row is locked: an edit form opened before this import is refused.
        story.version += 1
    story.search_refresh_later = True  # once its credits are written, below
    story.save()
    links = _replace_related(story, parsed, credits, cache=cache, replacing=existing is not None)
    # Written with bulk_create, which sends no signals: the search index is told.
    search_index.refresh([story.pk])
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


def _fill_story(
    story: Story, parsed: ParsedStory, *, status: str, checksum: str, cache: ImportCache
) -> None:
    """Set the story's own columns from the file, and check that they fit."""
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


@dataclass(frozen=True)
class _Credits:
    """The people and topics of a story, found or created: (person id, text) pairs, topic ids."""

    authors: list[tuple[int, str]]
    sources: list[tuple[int, str]]
    topic_ids: list[int]

    @classmethod
    def of(cls, parsed: ParsedStory, cache: ImportCache) -> _Credits:
        authors = [(cache.person_id(author.name), author.role) for author in parsed.authors]
        sources = []
        for source in parsed.sources:
            person_id = cache.person_id(source.name)
            for alias in source.aliases:
                cache.record_alias(person_id, alias)
            sources.append((person_id, source.description))
        topic_ids = list(dict.fromkeys(cache.topic_id(name) for name in parsed.topics))
        return cls(authors=authors, sources=sources, topic_ids=topic_ids)


def _replace_related(
    story: Story, parsed: ParsedStory, credits: _Credits, *, cache: ImportCache, replacing: bool
) -> list[CrossLink]:
    """Write the story's bylines, sources, cross-links and topics (replacing any
    from an earlier import); return the cross-links."""
    if replacing:
        Byline.objects.filter(story=story).delete()
        QuotedSource.objects.filter(story=story).delete()
        CrossLink.objects.filter(source=story).delete()
        TaggedStory.objects.filter(content_object=story).delete()
    Byline.objects.bulk_create(_bylines(story, credits.authors))
    QuotedSource.objects.bulk_create(_quotations(story, credits.sources))
    links = CrossLink.objects.bulk_create(_link_rows(story, parsed.cross_links, cache))
    TaggedStory.objects.bulk_create(
        [TaggedStory(content_object=story, tag_id=topic_id) for topic_id in credits.topic_ids]
    )
    return links

"""What a change to the stories invalidates in the page cache (newsroom.caching).

A story's change shows on its own page, on the pages of its topics and of
its people (authors and quoted sources), on the pages of the stories linked
to or from it (their "See also"), and on every listing (home, topics,
corrections, feeds, sitemaps, search): `pages_showing` names those tags,
and they are bumped once the transaction commits, so a reader never
re-caches what the transaction had not yet written.

Every write path is covered at the model layer: saves and deletions of
stories, bylines, quoted sources, topics' links, cross-links, notes and
photos send signals (`connect`); the few writes made with `QuerySet.update()`
or `bulk_create()` (the trash, corrections, the importer's and a restored
revision's credits) either save their story as well or call
`story_changed` themselves. What a transaction touched is gathered and
resolved once, after commit, from the rows as they are then; a row's former
slug or person is remembered when it is loaded, so a page that stops
showing a story is bumped too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

from articles.models import (
    Byline,
    CrossLink,
    Photo,
    QuotedSource,
    Story,
    StoryNote,
    TaggedStory,
    Topic,
)
from newsroom import caching
from people.models import Person


@dataclass
class _Changes:
    """What one transaction changed, by primary key, and tags known already."""

    stories: set[int] = field(default_factory=set)
    topics: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    photos: set[int] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    # The savepoints open when the batch began: one batch per (nested) atomic block.
    savepoints: list[str] = field(default_factory=list)
    flushed: bool = False

    def flush(self) -> None:
        """Bump the tags of every page showing what changed (run on commit)."""
        self.flushed = True
        if getattr(_local, "changes", None) is self:
            del _local.changes
        tags = pages_showing(self)
        if tags:
            caching.bump(tags)


_local = threading.local()


def _waiting(changes: _Changes) -> bool:
    """Whether `changes` still waits for the commit of the atomic block now
    open: a rollback drops the callback, and with it what the block changed."""
    return (
        not changes.flushed
        and connection.in_atomic_block
        and changes.savepoints == connection.savepoint_ids
        and any(entry[1] == changes.flush for entry in connection.run_on_commit)
    )


def _record(
    *,
    stories: Iterable[int | None] = (),
    topics: Iterable[int | None] = (),
    people: Iterable[int | None] = (),
    photos: Iterable[int | None] = (),
    tags: Iterable[str] = (),
) -> None:
    """Add to what the current transaction changed; flushed once, on commit
    (at once outside a transaction)."""
    changes: _Changes | None = getattr(_local, "changes", None)
    new = changes is None or not _waiting(changes)
    if new:
        changes = _local.changes = _Changes(savepoints=list(connection.savepoint_ids))
    assert changes is not None
    changes.stories |= {pk for pk in stories if pk is not None}
    changes.topics |= {pk for pk in topics if pk is not None}
    changes.people |= {pk for pk in people if pk is not None}
    changes.photos |= {pk for pk in photos if pk is not None}
    changes.tags |= set(tags)
    if new:
        transaction.on_commit(changes.flush)


def story_changed(*story_ids: int) -> None:
    """After commit, invalidate every page showing these stories (for writes made
    without a model save, e.g. `QuerySet.update()`)."""
    _record(stories=story_ids)


def pages_showing(changes: _Changes) -> set[str]:
    """The tags of every page that shows what `changes` names, as the database is now."""
    stories = set(changes.stories)
    topics, people, tags = set(changes.topics), set(changes.people), set(changes.tags)
    if changes.photos:
        stories |= set(
            Story.objects.filter(lead_photo__in=changes.photos).values_list("pk", flat=True)
        )
    pages = set(stories)
    if stories:
        topics |= set(
            TaggedStory.objects.filter(content_object__in=stories).values_list("tag_id", flat=True)
        )
        for credit in (Byline, QuotedSource):
            people |= set(
                credit.objects.filter(story__in=stories).values_list("person_id", flat=True)
            )
        links = CrossLink.objects.filter(Q(source__in=stories) | Q(target__in=stories))
        for source, target in links.values_list("source_id", "target_id"):
            pages |= {source, target} - {None}
        # Each version of a story links to the others ("Read in: …").
        group = Story.objects.filter(pk__in=stories).values_list("pk", "translation_of_id")
        originals = {original or pk for pk, original in group}
        pages |= originals | set(
            Story.objects.filter(translation_of__in=originals).values_list("pk", flat=True)
        )
        slugs = Story.objects.filter(pk__in=pages).values_list("slug", flat=True)
        tags |= {caching.story_tag(slug) for slug in slugs}
    if topics:
        topic_slugs = Topic.objects.filter(pk__in=topics).values_list("slug", flat=True)
        tags |= {caching.topic_tag(slug) for slug in topic_slugs}
    if people:
        person_slugs = Person.objects.filter(pk__in=people).values_list("slug", flat=True)
        tags |= {caching.person_tag(slug) for slug in person_slugs}
    if stories or topics or people or tags:
        tags.add(caching.LISTINGS)
    return tags


def release_times() -> tuple[datetime | None, datetime | None]:
    """When a published story last became visible by its own clock, and when
    one next will: the release clock of newsroom.caching."""
    return Story.objects.release_times()


# --- Signals ----------------------------------------------------------------


# What a loaded row showed that a save may change: a page to bump as well.
_SHOWN = {Story: "slug", Person: "slug", Byline: "person_id", QuotedSource: "person_id"}


def _remember(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    instance._cache_shown = instance.__dict__.get(_SHOWN[sender])


def _story_saved(sender: type, instance: Story, **kwargs: Any) -> None:
    before = getattr(instance, "_cache_shown", None)
    old = [caching.story_tag(before)] if before and before != instance.slug else []
    _record(stories=[instance.pk], tags=old)
    instance._cache_shown = instance.slug  # type: ignore[attr-defined]


def _story_deleted(sender: type, instance: Story, **kwargs: Any) -> None:
    # Its credits and topics' links go first, each with its own signal.
    _record(tags=[caching.story_tag(instance.slug), caching.LISTINGS])


def _credit_changed(sender: type, instance: Byline | QuotedSource, **kwargs: Any) -> None:
    before = getattr(instance, "_cache_shown", None)
    _record(stories=[instance.story_id], people=[instance.person_id, before])


def _topic_link_changed(sender: type, instance: TaggedStory, **kwargs: Any) -> None:
    _record(stories=[instance.content_object_id], topics=[instance.tag_id])


def _topics_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """`story.topics.add/remove/set/clear` (and the admin's save of them), which
    taggit may write without saving each link row."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:
        tagged = instance.tagged_stories.values_list("content_object_id", flat=True)
        _record(topics=[instance.pk], stories=pk_set or list(tagged))
    else:
        tags = TaggedStory.objects.filter(content_object=instance).values_list("tag_id", flat=True)
        _record(stories=[instance.pk], topics=pk_set or list(tags))


def _link_changed(sender: type, instance: CrossLink, **kwargs: Any) -> None:
    _record(stories=[instance.source_id, instance.target_id])


def _note_changed(sender: type, instance: StoryNote, **kwargs: Any) -> None:
    _record(stories=[instance.story_id])


def _photo_saved(sender: type, instance: Photo, **kwargs: Any) -> None:
    _record(photos=[instance.pk])


def _photo_deleted(sender: type, instance: Photo, **kwargs: Any) -> None:
    # Before the deletion sets the stories' lead photo to none (without saving them).
    _record(stories=instance.stories.values_list("pk", flat=True))


def _person_saved(sender: type, instance: Person, created: bool, **kwargs: Any) -> None:
    """A person's name and picture show on their page and with their stories."""
    if created:
        return
    before = getattr(instance, "_cache_shown", None)
    credited = [
        *Byline.objects.filter(person=instance).values_list("story_id", flat=True),
        *QuotedSource.objects.filter(person=instance).values_list("story_id", flat=True),
    ]
    pages = {caching.person_tag(slug) for slug in (instance.slug, before) if slug}
    _record(stories=credited, tags=pages)


def _topic_saved(sender: type, instance: Topic, **kwargs: Any) -> None:
    """A topic's name shows on every page of its stories: rare enough to renew every page."""
    if not kwargs.get("created"):
        _record(tags=[caching.SITE, caching.topic_tag(instance.slug)])


def connect() -> None:
    """Connect the receivers above (from ArticlesConfig.ready) and the release clock."""
    caching.set_release_clock(release_times)
    for model in _SHOWN:
        post_init.connect(_remember, sender=model, dispatch_uid=f"caching-remember-{model}")
    post_save.connect(_story_saved, sender=Story, dispatch_uid="caching-story")
    post_delete.connect(_story_deleted, sender=Story, dispatch_uid="caching-story")
    receivers: list[tuple[Callable[..., None], type[Model]]] = [
        (_credit_changed, Byline),
        (_credit_changed, QuotedSource),
        (_topic_link_changed, TaggedStory),
        (_link_changed, CrossLink),
    ]
    for receiver, model in receivers:
        post_save.connect(receiver, sender=model, dispatch_uid=f"caching-{model}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"caching-{model}")
    m2m_changed.connect(_topics_changed, sender=TaggedStory, dispatch_uid="caching-topics")
    post_save.connect(_note_changed, sender=StoryNote, dispatch_uid="caching-note")
    post_save.connect(_photo_saved, sender=Photo, dispatch_uid="caching-photo")
    pre_delete.connect(_photo_deleted, sender=Photo, dispatch_uid="caching-photo")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="caching-person")
    post_save.connect(_topic_saved, sender=Topic, dispatch_uid="caching-topic")
    post_delete.connect(_topic_saved, sender=Topic, dispatch_uid="caching-topic")

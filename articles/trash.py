"""The trash: a deleted story waits there, invisible, until it is restored or purged.

Moving a story to the trash only dates it (`deleted_at`, `deleted_by`):
its row, bylines, links, history and slug stay, and so does its state, so a
restored story comes back exactly as it was. Every reader-facing query
leaves trashed stories out (`published_condition`, `StoryQuerySet.live`).
After TRASH_DAYS, `manage.py purge_trash` deletes them for good.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone

from articles import caching, services
from articles.models import TRASH_DAYS, Story, StoryQuerySet


@transaction.atomic
def move_to_trash(*, stories: StoryQuerySet, user: AbstractUser) -> list[Story]:
    """Move the `stories` not in the trash yet to it; returns those moved."""
    moved = list(Story.objects.live().filter(pk__in=stories.values("pk")))
    Story.objects.live().filter(pk__in=[story.pk for story in moved]).update(
        deleted_at=timezone.now(), deleted_by=user
    )
    caching.story_changed(*(story.pk for story in moved))
    return moved


@transaction.atomic
def restore(*, stories: StoryQuerySet) -> list[Story]:
    """Bring the trashed `stories` back, each in the state it had; returns
    them as they were in the trash (with who moved them there, and when)."""
    restored = list(Story.objects.trashed().filter(pk__in=stories.values("pk")))
    Story.objects.trashed().filter(pk__in=[story.pk for story in restored]).update(
        deleted_at=None, deleted_by=None
    )
    for story in restored:
        services.resolve_pending_links(story)
    caching.story_changed(*(story.pk for story in restored))
    return restored


def purge_cutoff(now: datetime | None = None, *, days: int = TRASH_DAYS) -> datetime:
    """Stories moved to the trash before this time are deleted by `purge`."""
    return (now or timezone.now()) - timedelta(days=days)


@transaction.atomic
def purge(*, before: datetime) -> int:
    """Delete for good the stories in the trash since before `before`; returns how many.

    A story with correction notes stays in the trash: notes are never deleted.

    Their bylines, sources, own links, history and old addresses go with
    them; links from other stories to them become pending again.
    """
    doomed = Story.objects.purgeable_before(before)
    count = doomed.count()
    doomed.delete()
    return count

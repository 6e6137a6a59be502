"""Who has a story's edit page open: "Dana has had this story open since 14:02".

Each open edit page sends a heartbeat (with the autosave, see
static/admin-extra/story-editing.js). Presence lives in the cache, so every
process sees it (Redis in production and CI, local memory by default): one
entry per user and story that lapses when the heartbeats stop, and a list
of the users on each story. Two users joining at the very same moment may
overwrite each other's addition to the list; the next heartbeat puts the
missing one back, so the list is right again within one interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.utils import dateformat, timezone

# The page beats every HEARTBEAT seconds; a visitor missing for TIMEOUT is
# gone. Browsers slow the timers of background tabs to one a minute.
HEARTBEAT = 20
TIMEOUT = 90


@dataclass(frozen=True)
class Visitor:
    user_id: int
    name: str
    since: datetime
    unsaved: bool  # has changes not saved yet

    @property
    def since_label(self) -> str:
        return clock_label(self.since)

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "since": self.since.isoformat(),
            "since_label": self.since_label,
            "unsaved": self.unsaved,
        }


def _list_key(story_id: int) -> str:
    return f"story-presence:{story_id}"


def _key(story_id: int, user_id: int) -> str:
    return f"story-presence:{story_id}:{user_id}"


def beat(*, story_id: int, user: AbstractUser, unsaved: bool = False) -> None:
    """Record that `user` has the story open now, keeping when they opened it."""
    key = _key(story_id, user.pk)
    entry = cache.get(key)
    since = entry["since"] if isinstance(entry, dict) and "since" in entry else timezone.now()
    name = user.get_full_name() or user.get_username()
    cache.set(key, {"name": name, "since": since, "unsaved": unsaved}, TIMEOUT)
    users = cache.get(_list_key(story_id)) or []
    if user.pk in users:
        cache.touch(_list_key(story_id), TIMEOUT)
        return
    # Joining: those whose entries have lapsed leave the list.
    alive = cache.get_many([_key(story_id, pk) for pk in users])
    users = [pk for pk in users if _key(story_id, pk) in alive]
    cache.set(_list_key(story_id), [*users, user.pk], TIMEOUT)


def leave(*, story_id: int, user: AbstractUser) -> None:
    cache.delete(_key(story_id, user.pk))


def visitors(story_id: int, *, besides: AbstractUser | None = None) -> list[Visitor]:
    """Everyone with the story open, earliest first, but `besides`."""
    users = cache.get(_list_key(story_id)) or []
    entries = cache.get_many([_key(story_id, pk) for pk in users])
    found = [
        Visitor(pk, entry["name"], entry["since"], bool(entry.get("unsaved")))
        for pk in users
        if isinstance(entry := entries.get(_key(story_id, pk)), dict)
        and (besides is None or pk != besides.pk)
    ]
    return sorted(found, key=lambda visitor: visitor.since)


def clock_label(at: datetime) -> str:
    """A time as the notices say it: "14:02" today, "3 Dec, 14:02" on another day."""
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return dateformat.format(local, "H:i")
    return dateformat.format(local, "j M, H:i")

"""Figures worked out from many stories, kept in the shared cache until what
they count changes: `remembered(name, tags, compute)`.

A value is stored under the current tokens of its `tags` (the generations of
newsroom.caching, which every change of a story bumps after commit) and of
the release clock's last release, so a publish, an edit or a scheduled story
coming out at its time each make the next reader compute it afresh, once;
nothing is stale and nothing is purged. COUNT_CACHE_SECONDS bounds how long a
value is kept (0: computed every time, as in the tests, whose transactions
never commit and so never bump).
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from newsroom.caching import SITE, release_times, tokens

T = TypeVar("T")


def remembered(
    name: str, tags: Iterable[str], compute: Callable[[], T], *, keep: Callable[[T], bool] = bool
) -> T:
    """compute(), or what it returned since the last change of `tags` (if
    `keep` said to keep that: anything but an empty value, by default)."""
    seconds = settings.COUNT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    last_release, _ = release_times()
    identity = [name, *tokens([SITE, *tags]).values(), repr(last_release)]
    digest = hashlib.md5("\n".join(identity).encode(), usedforsecurity=False).hexdigest()
    key = f"memo:{digest}"
    found = cache.get(key)
    if found is not None:
        return found[0]
    value = compute()
    if keep(value):
        cache.set(key, (value,), timeout=seconds)
    return value

"""Pure functions of the settings, worked out once per process: `@per_process(maxsize)`.

For values that only a setting can change (a page's address, a media file's
URL): a bounded functools.lru_cache, emptied whenever a setting changes, as
tests change them with override_settings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from django.core.signals import setting_changed

T = TypeVar("T")


def per_process(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        cached = lru_cache(maxsize=maxsize)(function)

        def forget(**kwargs: Any) -> None:
            cached.cache_clear()

        # A strong reference: the receiver lives as long as the function it empties.
        setting_changed.connect(forget, weak=False)
        return cached

    return decorate

"""Sessions where every app instance finds them: the database, or the shared cache.

A session kept in one process's memory is lost to the next request that a
load balancer sends to another instance (the editor is signed out, a form's
work lost). The settings choose `cached_db` with a shared cache (CACHE_URL:
Redis) and `db` otherwise; this check refuses, outside DEBUG, any session
engine that stores sessions in a cache held in process memory.
"""

from typing import Any

from django.conf import settings
from django.core import checks

CACHE_ENGINES = (
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
)
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches)
def check_sessions_shared(**kwargs: Any) -> list[checks.CheckMessage]:
    """Sessions must not live in one process's memory (except under DEBUG)."""
    if settings.DEBUG or settings.SESSION_ENGINE not in CACHE_ENGINES:
        return []
    alias = settings.SESSION_CACHE_ALIAS
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        checks.Error(
            f"SESSION_ENGINE {settings.SESSION_ENGINE} keeps sessions in the cache "
            f"{alias!r}, which is {backend.rsplit('.', 1)[-1]}: each process's own memory, "
            "so another app instance would not find them and would sign editors out.",
            hint="Set CACHE_URL to a shared Redis (sessions then use cached_db), or use "
            "SESSION_ENGINE django.contrib.sessions.backends.db.",
            id="newsroom.E011",
        )
    ]

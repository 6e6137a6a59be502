"""A Redis cache that a Redis outage never turns into an error page.

Django's RedisCache raises on a connection error, so a Redis that is down
would fail every page. `ResilientRedisCache` answers each call as a cache
that holds nothing would: `get` gives the default, `add` and `touch` False,
writes are dropped; pages are then rendered uncached and who has a story
open is unknown (articles.presence) until Redis is back. Short socket
timeouts bound a call to a Redis that does not answer, and a circuit
breaker skips Redis altogether for `BREAKER_SECONDS` after a failure, so an
outage costs one timeout per interval, not one per call. The outage is
logged once per 30 s per process (newsroom.outages.OutageLog).

When Redis answers again caching resumes by itself. A write dropped
meanwhile may have been a page cache invalidation (newsroom.caching bumps
tokens), so the first call after such an outage first deletes every key
under this cache's prefix: stale pages never outlive an outage.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError, TimeoutError

from newsroom.outages import OutageLog

T = TypeVar("T")
Key = str | bytes | memoryview
Expiry = int | timedelta

# Seconds to wait for Redis to accept a connection, and for each answer.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
BREAKER_SECONDS = 5.0  # how long Redis is left alone after a failed call
PURGE_BATCH = 500

cache_outages = OutageLog("cache", "serving pages uncached", unit="cache call")


class _GuardedClient(RedisCacheClient):
    """Django's Redis client, each call guarded by the breaker."""

    def __init__(self, servers: list[str], *, pattern: str, breaker: float, **options: Any):
        super().__init__(servers, **options)
        self._pattern, self._breaker = pattern, breaker
        self._lock = threading.Lock()
        self._closed_until = 0.0  # monotonic time before which Redis is not tried
        self._dropped_writes = False

    def _guard(self, write: bool, fallback: T, call: Callable[..., T], *args: Any) -> T:
        if time.monotonic() < self._closed_until:
            self._dropped_writes |= write
            cache_outages.record()
            return fallback
        try:
            if self._dropped_writes:
                self._purge()
            result = call(*args)
        except (ConnectionError, TimeoutError) as error:
            with self._lock:
                self._closed_until = time.monotonic() + self._breaker
                self._dropped_writes |= write
            cache_outages.record(error)
            return fallback
        cache_outages.recovered()
        return result

    def _purge(self) -> None:
        """Delete every key under this cache's prefix (a dropped write may have been
        an invalidation)."""
        client = self.get_client(write=True)
        batch: list[Any] = []
        for key in client.scan_iter(match=self._pattern, count=PURGE_BATCH):
            batch.append(key)
            if len(batch) >= PURGE_BATCH:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        self._dropped_writes = False

    def add(self, key: Key, value: Any, timeout: Expiry | None) -> bool:
        return self._guard(True, False, super().add, key, value, timeout)

    def get(self, key: Key, default: Any) -> Any:
        return self._guard(False, default, super().get, key, default)

    def set(self, key: Key, value: Any, timeout: Expiry | None) -> None:
        self._guard(True, None, super().set, key, value, timeout)

    def touch(self, key: Key, timeout: Expiry) -> bool:
        return self._guard(True, False, super().touch, key, timeout)

    def delete(self, key: Key) -> bool:
        return self._guard(True, False, super().delete, key)

    def get_many(self, keys: Iterable[Key]) -> dict[Key, Any]:
        return self._guard(False, {}, super().get_many, keys)

    def has_key(self, key: Key) -> bool:
        return self._guard(False, False, super().has_key, key)

    def incr(self, key: Key, delta: int) -> Any:
        found = self._guard(True, None, super().incr, key, delta)
        if found is None:  # as Django answers for a key it does not hold
            raise ValueError(f"Key {key!r} not found.")
        return found

    def set_many(self, data: Mapping[Key, Any], timeout: Expiry) -> None:
        self._guard(True, None, super().set_many, data, timeout)

    def delete_many(self, keys: Iterable[Key]) -> None:
        self._guard(True, None, super().delete_many, keys)

    def clear(self) -> bool:
        return self._guard(True, False, super().clear)


class ResilientRedisCache(RedisCache):
    """RedisCache that degrades to no cache while Redis is down (see the module
    docstring). OPTIONS take BREAKER_SECONDS besides redis-py's connection options."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        self._breaker = float(options.pop("BREAKER_SECONDS", BREAKER_SECONDS))
        self._options = options
        self._server_list = re.split("[;,]", server) if isinstance(server, str) else server

    @cached_property
    def _cache(self) -> _GuardedClient:
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        return _GuardedClient(
            self._server_list, pattern=pattern, breaker=self._breaker, **self._options
        )

"""Reads from PostgreSQL replicas, writes to the primary (DATABASE_REPLICA_URLS).

Only the reads of a request that `ReplicaReadsMiddleware` lets through go
to a replica (one per request, chosen at random): a GET or HEAD, outside the
admin, from a browser that has not written in the last
`DATABASE_REPLICA_LAG_SECONDS`. Everything else reads the primary: the
admin, forms posted, management commands and workers (no request), any
read inside a transaction, and every read after a write in the same
request. A request that wrote sends back a short-lived cookie, so the same
browser's next requests read its own writes from the primary while the
replicas catch up. Without replicas every read is the primary's.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

# Set on a response from a request that wrote; its presence pins reads to the primary.
PIN_COOKIE = "newsroom_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass
class _Reads:
    """Where one request's reads go: `replica` (None: the primary), until it writes."""

    replica: str | None
    wrote: bool = False
    # The primary's atomic blocks already open when the request began (a test's).
    atomic_depth: int = 0


_reads: ContextVar[_Reads | None] = ContextVar("newsroom_replica_reads", default=None)


def reading_replica() -> bool:
    """Whether this request's reads go to a replica, which may lag behind."""
    state = _reads.get()
    return state is not None and state.replica is not None and not state.wrote


class PrimaryReplicaRouter:
    """Writes to the primary; reads to the request's replica while `reading_replica()`."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        state = _reads.get()
        if state is None or state.replica is None or state.wrote:
            return DEFAULT_DB_ALIAS
        if len(connections[DEFAULT_DB_ALIAS].atomic_blocks) > state.atomic_depth:
            return DEFAULT_DB_ALIAS  # a transaction reads what it is writing
        return state.replica

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _reads.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # every alias holds the same data


def _replica_for(request: HttpRequest) -> str | None:
    replicas = settings.DATABASE_REPLICAS
    if not replicas or request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
        return None
    if request.path.startswith(reverse("admin:index")):
        return None
    return random.choice(replicas)


class ReplicaReadsMiddleware:
    """Send the reads of requests that may see slightly old data to a replica
    (first in MIDDLEWARE, so that the session's and user's reads are routed too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        depth = len(connections[DEFAULT_DB_ALIAS].atomic_blocks)
        state = _Reads(replica=_replica_for(request), atomic_depth=depth)
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        # Never on a public page: caches in front must not keep a Set-Cookie.
        wrote = state.wrote and settings.DATABASE_REPLICAS
        if wrote and "public" not in response.get("Cache-Control", ""):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_LAG_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

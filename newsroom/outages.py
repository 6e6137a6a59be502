"""Answering readers while the database is down: a 503 page, and one log line.

`DatabaseOutageMiddleware` turns a database error raised by a view or its
templates (where every page's queries are) into the static `503.html` with
`Retry-After`, instead of a 500 and a traceback per request. The page needs
no database, session or cache: it is rendered without context processors.
The connect and statement timeouts in settings bound how long a request
waits for a database that accepts connections and never answers.

`OutageLog` writes one line per interval and per process, counting what it
answered meanwhile: "database unavailable: <reason>; answering 503 (N
requests in the last 30 s)". The Redis cache uses it too (newsroom.resilient_cache).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("newsroom.outages")

RETRY_AFTER = 30  # seconds a reader (or a crawler) is asked to wait
LOG_INTERVAL = 30.0  # seconds between two log lines about the same outage


class OutageLog:
    """Counts the events of one kind of outage and logs them once per interval."""

    def __init__(
        self, what: str, consequence: str, *, unit: str = "request", interval: float = LOG_INTERVAL
    ) -> None:
        self.what, self.consequence, self.unit, self.interval = what, consequence, unit, interval
        self._lock = threading.Lock()
        self._count = 0
        self._reason = ""
        self._logged_at: float | None = None  # None: no outage logged since the last recovery

    def record(self, reason: object = None) -> None:
        """Count one event (`reason` None: for the reason last given); log it with those
        since the last line when the interval is over."""
        now = time.monotonic()
        with self._lock:
            self._count += 1
            if reason is not None:
                self._reason = _first_line(reason)
            if self._logged_at is not None and now - self._logged_at < self.interval:
                return
            count, self._count, self._logged_at = self._count, 0, now
            reason_text = self._reason
        logger.error(
            "%s unavailable: %s; %s (%d %s%s in the last %d s)",
            self.what,
            reason_text,
            self.consequence,
            count,
            self.unit,
            "" if count == 1 else "s",
            round(self.interval),
        )

    def recovered(self) -> None:
        """Say once that the outage is over, if one was logged."""
        if self._logged_at is None:
            return
        with self._lock:
            if self._logged_at is None:
                return
            self._logged_at, self._count = None, 0
        logger.warning("%s available again", self.what)


def _first_line(reason: object) -> str:
    text = next(iter(str(reason).strip().splitlines()), "") or type(reason).__name__
    return text.rstrip(".")


database_outages = OutageLog("database", "answering 503")


def unavailable_response() -> HttpResponse:
    """The static 503 page, kept by no cache, with when to try again."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    # Logged by OutageLog, not once more per request by django.request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseOutageMiddleware:
    """A database that cannot be reached (refused, timed out) answers 503, logged once
    per interval; put it first in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        database_outages.record(exception)
        return unavailable_response()

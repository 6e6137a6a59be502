"""HTTP caching of the public pages, and the server-side page cache behind it.

A view that readers see the same whatever their account adopts it with one
line, `@public_page(...)`, naming the *tags* of what it shows:

    @public_page()                                    # the site's listings (LISTINGS)
    @public_page("story:{slug}")                      # one story, by the view's `slug`
    @public_page("topic:{slug}", params=("before", "after"))

- Anonymous GETs get `Cache-Control: public` with `max-age`,
  `stale-while-revalidate` and `stale-if-error` (settings `HTTP_CACHE_*`),
  an ETag from the content, a Last-Modified from the newest change of what
  the page shows, and 304 to a conditional request; the page is kept in the
  shared Django cache (Redis where CACHE_URL says) for `PAGE_CACHE_SECONDS`.
  A response that would set a cookie, or is anything but a 200, is neither
  cached nor marked public.
- Signed-in users (the newsroom) get `private, no-store` and never the cache.

Invalidation is generational: each tag has a token in the cache, and a
cached page's key includes the tokens of its tags, so `bump(tags)` makes
every page showing them miss at once, with nothing to find and delete
(`articles.caching` bumps the tags a story change touches, after commit).
Every page also carries the `SITE` tag, bumped by changes that show
everywhere. A CDN in front sees the same tags as the page's surrogate keys,
and is purged by them after each bump (newsroom.cdn). A page's lifetime, and its max-age, stop at the next time a
scheduled or embargoed story becomes visible (the *release clock* the
stories app registers), so it appears at its time without a purge. Times
are the application's clock, checked on every hit, not the cache's TTL.

The query string is no part of a page's identity except the `params` a
view declares (the view must read no other): tracking parameters such as
`utm_source` then share the one cached page.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from newsroom import cdn, routers

View = Callable[..., HttpResponseBase]

SITE = "site"  # on every page: what shows everywhere (a topic's name, say)
LISTINGS = (
    "listings"  # lists of the latest stories: home, topics, corrections, feeds, sitemaps, search
)

# When readers next see a story they cannot see now, and when one last became
# visible that way: (last, next), each None if there is none.
ReleaseClock = Callable[[], tuple[datetime | None, datetime | None]]
_release_clock: ReleaseClock = lambda: (None, None)  # noqa: E731


def story_tag(slug: str) -> str:
    return f"story:{slug}"


def topic_tag(slug: str) -> str:
    return f"topic:{slug}"


def person_tag(slug: str) -> str:
    return f"person:{slug}"


def set_release_clock(clock: ReleaseClock) -> None:
    """Let `clock` say when pages stop being true with nobody acting (see module docstring)."""
    global _release_clock
    _release_clock = clock


# --- Generations ------------------------------------------------------------


def _tag_key(tag: str) -> str:
    # Hashed: slugs may be long or Unicode, which some cache backends refuse.
    return "pagecache:tag:" + hashlib.md5(tag.encode(), usedforsecurity=False).hexdigest()


def _new_token() -> str:
    """A token that no earlier one equals, starting with when it was made."""
    return f"{timezone.now().timestamp():.6f}-{secrets.token_hex(4)}"


def bump(tags: Iterable[str]) -> None:
    """Every cached page showing any of `tags` is out of date from now on, here
    and, once the server's cache has moved on, at the CDN (newsroom.cdn)."""
    tags = set(tags)
    cache.set_many({_tag_key(tag): _new_token() for tag in tags}, timeout=None)
    cdn.purge(tags)


def tokens(tags: Iterable[str]) -> dict[str, str]:
    """The current token of each tag. A tag without one (never bumped, or
    evicted) gets a new one, so an evicted token never brings back an old page."""
    keys = {tag: _tag_key(tag) for tag in tags}
    found = cache.get_many(keys.values())
    result = {}
    for tag, key in keys.items():
        token = found.get(key)
        if token is None:
            cache.add(key, _new_token(), timeout=None)
            token = cache.get(key) or _new_token()
        result[tag] = token
    return result


def _token_time(token: str) -> float:
    return float(token.partition("-")[0])


def release_times() -> tuple[datetime | None, datetime | None]:
    """The release clock's (last, next), cached until `next` under the listings' tokens."""
    key = "pagecache:releases:" + ":".join(tokens([SITE, LISTINGS]).values())
    now = timezone.now()
    known = cache.get(key)
    if known is not None and (known[1] is None or known[1] > now):
        return known[0], known[1]
    last, upcoming = _release_clock()
    cache.set(key, (last, upcoming), timeout=settings.PAGE_CACHE_SECONDS or 60)
    return last, upcoming


# --- Pages ------------------------------------------------------------------


@dataclass
class _Entry:
    """A cached page: the response and, on the application clock, when it stops being served
    and when it may next change with nobody acting (a story released, a replica caught up)."""

    response: HttpResponse
    expires: float
    release: float | None


class _Page:
    """One public page's identity in the cache: its address, declared parameters and tags."""

    def __init__(self, request: HttpRequest, tags: list[str], params: Iterable[str]) -> None:
        self.tokens = tokens([SITE, *tags])
        wanted = sorted((name, request.GET.getlist(name)) for name in params)
        identity = [request.build_absolute_uri(request.path), repr(wanted), *self.tokens.values()]
        digest = hashlib.md5("\n".join(identity).encode(), usedforsecurity=False).hexdigest()
        self.key = f"pagecache:page:{digest}"

    def cached(self) -> _Entry | None:
        entry = cache.get(self.key) if settings.PAGE_CACHE_SECONDS > 0 else None
        if isinstance(entry, _Entry) and timezone.now().timestamp() < entry.expires:
            return entry
        return None

    def store(self, response: HttpResponse) -> _Entry:
        """Mark `response` public, with its validators, and keep it for the next reader."""
        last_release, upcoming = release_times()
        now = timezone.now().timestamp()
        release = upcoming.timestamp() if upcoming is not None else None
        changed = max(_token_time(token) for token in self.tokens.values())
        if routers.reading_replica():
            # Read from a replica, which may not have the newest change yet:
            # kept (here and by browsers and proxies) only until it has.
            caught_up = changed + settings.DATABASE_REPLICA_LAG_SECONDS
            if caught_up > now:
                release = min(release, caught_up) if release is not None else caught_up
        if last_release is not None:
            changed = max(changed, last_release.timestamp())
        # One chunk: a feed is written piece by piece, and a server sends
        # each piece of a response's content in a write of its own.
        response.content = response.content
        set_response_etag(response)
        # Rounded up: a change later in the same second still dates later.
        response["Last-Modified"] = http_date(math.ceil(changed))
        patch_vary_headers(response, ["Cookie"])
        cdn.mark(response, self.tokens)
        entry = _Entry(response, now + settings.PAGE_CACHE_SECONDS, release)
        if release is not None:
            entry.expires = min(entry.expires, release)
        if settings.PAGE_CACHE_SECONDS > 0 and entry.expires > now:
            cache.set(self.key, entry, timeout=math.ceil(entry.expires - now))
        return entry


def _cacheable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether every anonymous reader may be sent `response` as it is."""
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        # The CSRF middleware would add its cookie on the way out.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


def _send(request: HttpRequest, entry: _Entry) -> HttpResponseBase:
    """The cached page, fresh for browsers and proxies until the next release at most."""
    response = entry.response
    max_age = settings.HTTP_CACHE_MAX_AGE
    if entry.release is not None:
        max_age = max(0, min(max_age, math.floor(entry.release - timezone.now().timestamp())))
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        stale_while_revalidate=settings.HTTP_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.HTTP_CACHE_STALE_IF_ERROR,
    )
    last_modified = datetime.strptime(response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    conditional = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(last_modified.replace(tzinfo=UTC).timestamp()),
        response=response,
    )
    return conditional or response


def public_page(*tags: str, params: Iterable[str] = ()) -> Callable[[View], View]:
    """Cache the view for anonymous readers (see the module docstring).

    `tags` are format strings filled in with the view's keyword arguments
    ("story:{slug}"); none means LISTINGS. `params`: the query parameters
    the view reads.
    """
    params = tuple(params)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated:
                return private(view(request, *args, **kwargs))
            if request.method not in ("GET", "HEAD"):  # a form's post
                return private(view(request, *args, **kwargs))
            page = _Page(request, [tag.format(**kwargs) for tag in tags or (LISTINGS,)], params)
            entry = page.cached()
            if entry is None:
                response = view(request, *args, **kwargs)
                if isinstance(response, SimpleTemplateResponse):
                    response.render()
                if not _cacheable(request, response):
                    return response
                assert isinstance(response, HttpResponse)
                entry = page.store(response)
            return _send(request, entry)

        return wrapped

    return decorator


def private(response: HttpResponseBase) -> HttpResponseBase:
    """`private, no-store` (and the rest of Django's never-cache headers)."""
    add_never_cache_headers(response)
    return response

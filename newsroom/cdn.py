"""A CDN in front of the site: surrogate keys on public pages, and purges by key.

Every public page names what it shows as *surrogate keys*, the page cache's
tags in a header-safe spelling (`story:oil-strike` → `story-oil-strike`,
`topic-labour`, `person-aliya-serik`, `listings`, `site`), in the
`Surrogate-Key` header (Fastly, Varnish: space-separated) and `Cache-Tag`
(Cloudflare, Akamai, Bunny: comma-separated). When a change commits,
`newsroom.caching.bump` renews the server's page cache and then calls
`purge` with exactly the same tags, so the CDN drops exactly the pages the
server renews, and refetches them fresh.

`CDN_PURGE_URL` turns purging on. `CDN_PURGE_STYLE` is `json` (a POST of
`{"keys": [...]}`) or `fastly` (a POST with the keys in a `Surrogate-Key`
header, Fastly's batch purge by key). `CDN_PURGE_TOKEN` is sent in
`CDN_PURGE_TOKEN_HEADER` (`Authorization: Bearer …` by default; any other
header gets the token alone, e.g. `Fastly-Key`). A purge never breaks the
change it follows: it runs after the commit, gives up after
`CDN_PURGE_TIMEOUT` seconds, and a failure is logged (the CDN then serves
the old page until its max-age, `HTTP_CACHE_MAX_AGE`, runs out).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponseBase

logger = logging.getLogger(__name__)

# Fastly's batch purge takes up to 256 keys a request; so does every request here.
BATCH = 256


def surrogate_key(tag: str) -> str:
    """A page-cache tag as a surrogate key: no colon, no space, no comma."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in tag)


def surrogate_keys(tags: Iterable[str]) -> list[str]:
    return sorted({surrogate_key(tag) for tag in tags})


def mark(response: HttpResponseBase, tags: Iterable[str]) -> None:
    """Name the page's surrogate keys in the headers CDNs read."""
    keys = surrogate_keys(tags)
    response["Surrogate-Key"] = " ".join(keys)
    response["Cache-Tag"] = ",".join(keys)


def _request(keys: list[str]) -> urllib.request.Request:
    headers = {"User-Agent": "newsroom-cdn-purge"}
    token = settings.CDN_PURGE_TOKEN
    if token:
        header = settings.CDN_PURGE_TOKEN_HEADER
        headers[header] = f"Bearer {token}" if header.lower() == "authorization" else token
    if settings.CDN_PURGE_STYLE == "fastly":
        headers["Surrogate-Key"] = " ".join(keys)
        body = b""
    else:
        headers["Content-Type"] = "application/json"
        body = json.dumps({"keys": keys}).encode()
    return urllib.request.Request(settings.CDN_PURGE_URL, data=body, headers=headers, method="POST")


def purge(tags: Iterable[str]) -> None:
    """Ask the CDN to drop every page carrying any of `tags` (if CDN_PURGE_URL
    is set). Failures are logged, never raised."""
    if not settings.CDN_PURGE_URL:
        return
    keys = surrogate_keys(tags)
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        try:
            with urllib.request.urlopen(_request(batch), timeout=settings.CDN_PURGE_TIMEOUT):
                pass
        except (OSError, ValueError) as exc:  # HTTPError and URLError are OSErrors
            logger.warning("CDN purge of %d keys failed: %s", len(batch), exc)

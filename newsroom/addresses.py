"""Page addresses by slug, reversed once per process and kept.

A listing links each of its stories and each of their authors: some seventy
`reverse()` calls for one page, each a walk of the URL resolver. An address
is a pure function of the URL configuration in force, the script prefix and
the slug, so `by_slug` keeps it under those, in a bounded cache that is
emptied when a setting changes (a test's ROOT_URLCONF, say).
"""

from __future__ import annotations

from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse

from newsroom.process_memo import per_process


def by_slug(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug}), from the cache when it is there."""
    return _reversed(get_urlconf(), get_script_prefix(), viewname, slug)


@per_process(maxsize=50_000)
def _reversed(urlconf: Any, prefix: str, viewname: str, slug: str) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs={"slug": slug})

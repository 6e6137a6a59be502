"""Slugs: the one rule for turning a name into a free address.

A slug is `slugify(text)` cut to the field's length, or `fallback` when that
is empty; when it is taken, `-2`, `-3`, … is appended (cutting the base to
make room) until one is free. `unique_slug` asks the database which are
taken; `first_free_slug` asks a set the caller keeps (the importer's cache).
"""

from collections.abc import Container, Iterator
from typing import Any

from django.db.models import Field, QuerySet
from django.utils.text import slugify


def slug_candidates(text: str, *, max_length: int, fallback: str) -> Iterator[str]:
    """The slugs for `text` in the order they are tried: the base, then `base-2`, …"""
    base = slugify(text)[:max_length].strip("-") or fallback
    yield base
    n = 2
    while True:
        suffix = f"-{n}"
        yield f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1


def first_free_slug(text: str, *, taken: Container[str], max_length: int, fallback: str) -> str:
    """The first of `slug_candidates(text)` that is not in `taken`."""
    return next(
        slug
        for slug in slug_candidates(text, max_length=max_length, fallback=fallback)
        if slug not in taken
    )


def unique_slug(queryset: QuerySet[Any], text: str, *, fallback: str) -> str:
    """The first slug for `text` that no row of `queryset` uses.

    One indexed lookup when the plain slug is free (the common case); only
    when it is taken are the slugs sharing its prefix read, at once.
    """
    field = queryset.model._meta.get_field("slug")
    assert isinstance(field, Field) and field.max_length, "a model with a slug field"
    max_length = field.max_length
    candidates = slug_candidates(text, max_length=max_length, fallback=fallback)
    base = next(candidates)
    if not queryset.filter(slug=base).exists():
        return base
    # Long bases are cut to make room for the suffix: read what any cut shares.
    prefix = base[: max_length - len("-999999")]
    taken = set(queryset.filter(slug__startswith=prefix).values_list("slug", flat=True))
    return next(slug for slug in candidates if slug not in taken)

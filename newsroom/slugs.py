"""Slugs: the one rule for turning a name into a free address.

A slug is `slugify(text)` cut to the field's length, or `fallback` when that
is empty; when it is taken, `-2`, `-3`, … is appended (cutting the base to
make room) until one is free. `unique_slug` asks the database which are
taken (`fill_slug` sets a model's slug with it); `first_free_slug` asks a set
the caller keeps (the importer's cache).
"""

from collections.abc import Container, Iterator
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.text import slugify

from newsroom.validation import max_length


def slug_candidates(text: str, *, max_length: int, fallback: str) -> Iterator[str]:
    """The slugs for `text` in the order they are tried: the base, then `base-2`, …"""
    base = slugify(text)[:max_length].strip("-") or fallback
    yield base
    n = 2
    while True:
        suffix = f"-{n}"
        yield f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1


def first_free_slug(model: type[Model], text: str, *, taken: Container[str], fallback: str) -> str:
    """The first slug for `text` that is not in `taken`, the `model`'s slugs."""
    candidates = slug_candidates(text, max_length=max_length(model, "slug"), fallback=fallback)
    return next(slug for slug in candidates if slug not in taken)


def unique_slug(queryset: QuerySet[Any], text: str, *, fallback: str) -> str:
    """The first slug for `text` that no row of `queryset` uses.

    One indexed lookup when the plain slug is free (the common case); only
    when it is taken are the slugs sharing its prefix read, at once.
    """
    length = max_length(queryset.model, "slug")
    candidates = slug_candidates(text, max_length=length, fallback=fallback)
    base = next(candidates)
    if not queryset.filter(slug=base).exists():
        return base
    # Long bases are cut to make room for the suffix: read what any cut shares.
    prefix = base[: length - len("-999999")]
    taken = set(queryset.filter(slug__startswith=prefix).values_list("slug", flat=True))
    return next(slug for slug in candidates if slug not in taken)


def fill_slug(instance: Model, text: str, *, fallback: str) -> None:
    """Give `instance` the first free slug for `text` unless it has one already."""
    if not instance.slug:  # type: ignore[attr-defined]
        others = type(instance)._default_manager.exclude(pk=instance.pk)
        instance.slug = unique_slug(others, text, fallback=fallback)  # type: ignore[attr-defined]

"""Unique slugs for models whose slug defaults to a slugified name."""

from django.utils.text import slugify


def unique_slug(queryset, text: str, *, max_length: int = 200, fallback: str = "item") -> str:
    """`slugify(text)`, with `-2`, `-3`, … appended if `queryset` already uses it."""
    base = slugify(text)[:max_length].strip("-") or fallback
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug

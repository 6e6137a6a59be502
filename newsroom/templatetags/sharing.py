"""`{% share_meta %}`: the OpenGraph and Twitter card tags of a public page,
and `{% site_description %}`, the description of a page without its own."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import get_language

from newsroom.sharing import DESCRIPTION_LENGTH, og_locale, site_description

register = template.Library()

register.simple_tag(site_description, name="site_description")


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(
    context: template.Context,
    *,
    kind: str,
    title: str,
    description: str = "",
    picture: Any = None,
    alt: str | None = None,
    url: str | None = None,
    language: str | None = None,
    translations: Iterable[Any] = (),
) -> dict[str, Any]:
    """The tags for a page of OpenGraph type `kind` ("article", "website",
    "profile"): its `title`, `description` (plain text; the site's if empty) and `url`
    (the page's own address unless given), in `language` (the interface's
    unless given) with its `translations` (each with a `language`) as
    alternate locales. `picture` (a model with newsroom.images.RenditionsMixin,
    or None) is shared as its share_image(), described by `alt` (its
    `alt_text` unless given): a wide one as a large card, else a summary."""
    request = context.get("request")

    def absolute(path: str) -> str:
        return request.build_absolute_uri(path) if request is not None else path

    image = picture.share_image() if picture is not None else None
    wide = image is not None and image.width > image.height
    return {
        "kind": kind,
        "title": title,
        "description": Truncator(description or site_description()).chars(DESCRIPTION_LENGTH),
        "url": absolute(url or (request.path if request is not None else "/")),
        "site_name": settings.SITE_NAME,
        "locale": og_locale(language or get_language() or settings.LANGUAGE_CODE),
        "alternate_locales": [og_locale(version.language) for version in translations],
        "image": image,
        "image_url": absolute(image.url) if image is not None else "",
        "image_alt": getattr(picture, "alt_text", "") if alt is None else alt,
        "card": "summary_large_image" if wide else "summary",
    }

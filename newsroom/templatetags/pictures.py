"""`{% picture %}`: a photo or headshot as a `<picture>` of its responsive renditions."""

from typing import Any

from django import template

from newsroom.responsive import picture_sources

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(
    image: Any, *, sizes: str, eager: bool = False, css_class: str = "", alt: str | None = None
) -> dict[str, Any]:
    """`image` (a model with newsroom.images.RenditionsMixin) at the width the
    screen needs, in the best format the browser shows; `alt` is its
    `alt_text` unless given. `eager` for the one picture above the fold that
    is the page's largest (the story's lead photo): loaded at once, first;
    every other picture waits until it nears the screen. A picture without
    variants yet shows its one rendition."""
    sources, fallback = picture_sources(image.variants)
    return {
        "responsive": fallback is not None,
        "sources": [source for source in sources if source.mime != "image/jpeg"],
        "jpeg_srcset": next((s.srcset for s in sources if s.mime == "image/jpeg"), ""),
        "fallback": fallback or image.plain_rendition(),
        "alt": getattr(image, "alt_text", "") if alt is None else alt,
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }

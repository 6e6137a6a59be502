"""`{% picture %}`: a photo as a `<picture>` of its responsive renditions."""

from typing import Any

from django import template

from newsroom.responsive import picture_sources

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(photo: Any, *, sizes: str, eager: bool = False, css_class: str = "") -> dict[str, Any]:
    """`photo` (with `variants`, `rendition` and `alt_text`) at the width the
    screen needs, in the best format the browser shows. `eager` for the one
    picture above the fold that is the page's largest (the story's lead
    photo): loaded at once, first; every other picture waits until it nears
    the screen. A photo without variants yet shows its one rendition."""
    sources, fallback = picture_sources(photo.variants)
    return {
        "photo": photo,
        "sources": [source for source in sources if source.mime != "image/jpeg"],
        "jpeg_srcset": next((s.srcset for s in sources if s.mime == "image/jpeg"), ""),
        "fallback": fallback,
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }

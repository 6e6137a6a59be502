"""The publisher as structured data and shared pages name it: the site's
name (settings.SITE_NAME) and logo (settings.PUBLISHER_LOGO, with its size).

`manage.py check` refuses a logo that is not among the static files, or whose
picture is not the size the settings give, since search engines would be told
a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.templatetags.static import static
from PIL import Image


@dataclass(frozen=True)
class Logo:
    url: str  # an absolute URL, or a path on this site
    width: int
    height: int


def _is_absolute(name: str) -> bool:
    return name.startswith(("https://", "http://"))


def publisher_logo() -> Logo:
    """The logo: a static file's URL, or the absolute URL the settings give."""
    name = settings.PUBLISHER_LOGO
    url = name if _is_absolute(name) else static(name)
    return Logo(url, settings.PUBLISHER_LOGO_WIDTH, settings.PUBLISHER_LOGO_HEIGHT)


@checks.register()
def check_publisher_logo(**kwargs: Any) -> list[checks.CheckMessage]:
    """A static logo must be found among the static files, at the size the settings give."""
    name = settings.PUBLISHER_LOGO
    if _is_absolute(name):
        return []  # elsewhere: its operator vouches for its size
    found = finders.find(name)
    path = found[0] if isinstance(found, list) else found
    if not path:
        return [_error(f"PUBLISHER_LOGO names {name!r}, which is not among the static files.")]
    try:
        with Image.open(path) as image:
            size = image.size
    except Exception:  # Pillow raises many kinds of error on what it cannot open
        return [_error(f"PUBLISHER_LOGO names {name!r}, which is not a picture Pillow can read.")]
    stated = (settings.PUBLISHER_LOGO_WIDTH, settings.PUBLISHER_LOGO_HEIGHT)
    if size != stated:
        return [
            _error(
                f"PUBLISHER_LOGO {name!r} is {size[0]}×{size[1]} pixels, but "
                f"PUBLISHER_LOGO_WIDTH and PUBLISHER_LOGO_HEIGHT say {stated[0]}×{stated[1]}."
            )
        ]
    return []


def _error(message: str) -> checks.Error:
    return checks.Error(
        message,
        hint="Set PUBLISHER_LOGO to a static file's path or an absolute URL, and "
        "PUBLISHER_LOGO_WIDTH and PUBLISHER_LOGO_HEIGHT to its size in pixels.",
        id="newsroom.E002",
    )

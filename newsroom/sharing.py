"""What a page says about itself where it is shared: OpenGraph and Twitter
card tags (templates/includes/share_meta.html, by `{% share_meta %}`)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext, to_locale

# OpenGraph names a locale as language_TERRITORY: the territory of each of
# the site's languages (settings.LANGUAGES) that names no territory itself.
TERRITORIES = {
    "en": "GB",
    "ru": "RU",
    "kk": "KZ",
    "ky": "KG",
    "tg": "TJ",
    "uz": "UZ",
    "tk": "TM",
    "hy": "AM",
    "az": "AZ",
    "ka": "GE",
    "fa": "IR",
    "ps": "AF",
}
DESCRIPTION_LENGTH = 300


def og_locale(language: str) -> str:
    """`language` (a Django language code: "en-gb", "ru") as OpenGraph's
    locale ("en_GB", "ru_RU"); a language of no known territory alone."""
    locale = to_locale(language)
    if "_" in locale or locale not in TERRITORIES:
        return locale
    return f"{locale}_{TERRITORIES[locale]}"


def site_description() -> str:
    """What a page without a description of its own says of the site."""
    return f"{settings.SITE_NAME}: {gettext('independent reporting by local journalists.')}"

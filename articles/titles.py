"""Title normalisation shared by the models and the legacy parser.

Two titles name the same story when they differ only in case, white space
(including non-breaking spaces), quote style or trailing full stops. This module
imports nothing from Django so the parser can use it on its own.
"""

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)
_SPACE = re.compile(r"\s+")


def normalise_title(title: str) -> str:
    """Return the key under which a title is matched (never shown to readers)."""
    text = unicodedata.normalize("NFKC", title).translate(_QUOTES)
    text = _SPACE.sub(" ", text).strip().rstrip(".").strip()
    return text.casefold()

"""How titles and names are compared: the keys under which they match.

Two titles name the same story when they differ only in case, white space
(including non-breaking spaces), quote style or trailing full stops; two
spellings of a name are the same name under the same rule. `QUOTE_GROUPS` is
the one table of characters that count as the same quote or dash: the keys
below, the story page's title matching (articles.rendering) and the legacy
topic names (legacy.topics) all fold with it. `shorten` cuts a text for a
list, at a word.

Pure Python, no Django: the legacy parser uses it on its own.
"""

import re
import textwrap
import unicodedata

# Each group's first character stands for every character of the group. The
# acute accent (´) is not here: NFKC, applied first, turns it into a space and
# a combining accent, so it never reaches the table.
QUOTE_GROUPS: tuple[str, ...] = (
    "'\u2018\u2019\u201a\u201b\u2032`",
    '"\u201c\u201d\u201e\u201f\u00ab\u00bb',
    "-\u2013\u2014",
)
_FOLD = str.maketrans({char: group[0] for group in QUOTE_GROUPS for char in group[1:]})
_SPACE = re.compile(r"\s+")


def fold_quotes(text: str) -> str:
    """`text` with every quote and dash written as its group's plain character."""
    return text.translate(_FOLD)


def normalise_title(title: str) -> str:
    """Return the key under which a title is matched (never shown to readers)."""
    text = fold_quotes(unicodedata.normalize("NFKC", title))
    text = _SPACE.sub(" ", text).strip().rstrip(".").strip()
    return text.casefold()


def name_key(name: str) -> str:
    """The key under which spellings of a person's name are matched."""
    return normalise_title(name)


def shorten(text: str, width: int) -> str:
    """`text` on one line, cut after a whole word to at most `width` characters,
    with "…" where it was cut (mid-word only when its first word is too long)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = textwrap.shorten(text, width, placeholder="…")
    if cut == "…":
        return text[: width - 1] + "…"
    return cut[:-1].rstrip(" ,;:.-\u2013\u2014") + "…"

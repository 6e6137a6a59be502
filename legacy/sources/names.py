"""Recognising people's names: the capitalised runs of a text and which of
them can be a person.

A name is 1-4 capitalised words ("Zhovtis", "Maria van der Berg", "J. K.
Rowling", "Bashar al-Assad"), with no institution, place or calendar word in
it.  Sentence words and honorifics in front of it are dropped ("Despite
Duvanov", "Mr Duvanov"); capitalised titles in front of it ("Prime Minister
Karim Massimov", "Lawyer Anar Mehdiyev") are split off for the description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from legacy.lexicon import HONORIFIC_ABBREVIATIONS, NAME_PARTICLES, SURNAME_PREFIXES

from .vocabulary import (
    AMBIGUOUS_TITLES,
    HONORIFICS,
    INNER_STOP,
    LEADING_STOP,
    NON_NAME,
    TITLES,
    alternation,
)

__all__ = [
    "APOSTROPHES",
    "RUN_RE",
    "SURNAME_PREFIX_RE",
    "core_words",
    "split_run",
]


def _char_class(predicate: Callable[[str], bool]) -> str:
    """A regex character-class body for the Latin, Greek and Cyrillic letters
    that satisfy `predicate`, compressed into ranges."""
    blocks = ((0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x52F), (0x1E00, 0x1EFF))
    points = [cp for lo, hi in blocks for cp in range(lo, hi + 1) if predicate(chr(cp))]
    parts: list[str] = []
    start = prev = points[0]
    for cp in [*points[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        low, high = re.escape(chr(start)), re.escape(chr(prev))
        parts.append(low if start == prev else f"{low}-{high}")
        start = prev = cp
    return "".join(parts)


UPPER = f"[{_char_class(lambda c: c.isupper() or c.istitle())}]"
LETTER = r"[^\W\d_]"
APOSTROPHES = "’'"

# A capitalised name word: "Zhovtis", "Self-Governance", "O’Brien", "al-Assad",
# "d’Estaing"; never swallows a possessive "’s".  Also initials ("J.", "J.K.")
# and abbreviated honorifics ("Dr.").
_HONORIFIC = rf"{alternation(HONORIFIC_ABBREVIATIONS)}\."
_INITIALS = rf"{UPPER}\.(?:-?{UPPER}\.)*+(?= )"
_PREFIX = alternation(SURNAME_PREFIXES)
_PLAIN = (
    rf"(?:{_PREFIX}[-{APOSTROPHES}])?{UPPER}"
    rf"(?:{LETTER}|-(?={LETTER})|[{APOSTROPHES}](?!s\b)(?={LETTER}))*+"
)
_WORD = rf"(?:{_HONORIFIC}|{_INITIALS}|{_PLAIN})"
# A run of capitalised words, up to two particles between two of them
# ("Maria van der Berg"); the possessive loop keeps it linear.
RUN_RE = re.compile(
    rf"(?<![\w{APOSTROPHES}\-.]){_WORD}(?: (?:{alternation(NAME_PARTICLES)} ){{0,2}}{_WORD})*+"
)
SURNAME_PREFIX_RE = re.compile(rf"{_PREFIX}[-{APOSTROPHES}](?={UPPER})")

_MAX_RUN = 12  # capitalised words; a longer run is a headline, not a name


def core_words(words: Sequence[str]) -> list[str]:
    """The words of a name without its particles: "Maria van der Berg" →
    Maria, Berg."""
    return [word for word in words if word not in NAME_PARTICLES]


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper() and not word.endswith(".")


def _is_title(low: str, core_after: int) -> bool:
    """Whether the case-folded word `low`, followed by `core_after` name
    words, is a title in front of the name rather than part of it."""
    if core_after < 1:
        return False
    if low in TITLES:
        return core_after >= 2 or low not in AMBIGUOUS_TITLES
    return core_after >= 2 and low.endswith(("ist", "yst")) and len(low) > 4


def _drop_leading(words: list[str]) -> list[str]:
    """The run without the sentence words and honorifics that open it."""
    i = 0
    while i < len(words) and (
        words[i].casefold() in HONORIFICS or words[i].casefold() in LEADING_STOP
    ):
        i += 1
    return words[i:]


def split_run(run: str) -> tuple[list[str], list[str]] | None:
    """(title words, name words) for a run of capitalised words, or None when
    the run cannot be a person.

    Leading sentence words and honorifics are dropped ("Despite Duvanov",
    "Mr Duvanov"); capitalised titles in front of the name are returned
    separately ("Lawyer Anar Mehdiyev", "Human Rights Watch Director Hugh
    Williamson"); any other institution or calendar word rules the run out.
    """
    words = run.split(" ")
    if len(words) > _MAX_RUN:
        return None
    words = _drop_leading(words)
    # Read backwards to the last word that cannot belong to the name.
    core_after = 0
    titles: list[str] = []
    k = -1
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if word in NAME_PARTICLES:
            continue
        low = word.casefold()
        if _is_title(low, core_after) or low in HONORIFICS:
            titles = [t for t in words[: i + 1] if t.casefold() not in HONORIFICS]
            if any(t.casefold() in LEADING_STOP for t in titles):
                return None
            k = i
            break
        if low in NON_NAME or low in INNER_STOP or _is_acronym(word):
            return None
        core_after += 1
    if not 1 <= core_after <= 4:
        return None
    return titles, words[k + 1 :]

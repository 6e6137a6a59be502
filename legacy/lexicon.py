"""Words that both the story parser and the quoted-source extraction read.

Calendar words (for datelines, and so that "On December 16" is no name),
the lower-case particles and prefixes inside people's names ("Maria van der
Berg", "Bashar al-Assad") and abbreviated honorifics ("Dr.", "Prof."): each
written once here, as plain data.  Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ABBREVIATIONS",
    "HONORIFIC_ABBREVIATIONS",
    "MONTHS",
    "MONTH_NUMBERS",
    "NAME_PARTICLES",
    "SURNAME_PREFIXES",
    "WEEKDAYS",
    "WEEKDAY_NUMBERS",
]

# In calendar order: MONTHS[0] is January.
MONTHS: tuple[str, ...] = tuple(
    "january february march april may june july august september october november december".split()
)

# Every spelling of a month in a dateline, full or abbreviated, to its number.
MONTH_NUMBERS: Mapping[str, int] = MappingProxyType(
    {name: number for number, name in enumerate(MONTHS, 1)}
    | {name[:3]: number for number, name in enumerate(MONTHS, 1)}
    | {"sept": 9}
)

# In the order of `datetime.date.weekday()`: WEEKDAYS[0] is Monday.
WEEKDAYS: tuple[str, ...] = tuple(
    "monday tuesday wednesday thursday friday saturday sunday".split()
)

# Every spelling of a weekday in a dateline, full or abbreviated, to its number.
WEEKDAY_NUMBERS: Mapping[str, int] = MappingProxyType(
    {name: number for number, name in enumerate(WEEKDAYS)}
    | {name[:3]: number for number, name in enumerate(WEEKDAYS)}
    | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
)

# Lower-case words written between the capitalised words of a name:
# "Maria van der Berg", "Osama bin Laden", "Levon ter Petrosyan".
NAME_PARTICLES: frozenset[str] = frozenset(
    (
        "abu al bin bint da das de del della den der di dos du el ibn la le ten ter van von zu"
    ).split()
)

# Lower-case prefixes joined to a surname by a hyphen or an apostrophe:
# "al-Assad", "ash-Shami", "d’Estaing", "ul-Haq".
SURNAME_PREFIXES: frozenset[str] = frozenset(
    "abu ad al an ar as ash at az bin d da de di du el ibn l ud ul".split()
)

# Personal titles written abbreviated before a name ("Dr. Aigul Serikova").
HONORIFIC_ABBREVIATIONS: frozenset[str] = frozenset(
    "Capt Col Dr Gen Gov Lt Mr Mrs Ms Prof Rev Sen Sgt".split()
)

# Words after which a full stop does not end a sentence ("St. Petersburg",
# "Ltd.").  Initials ("J.") and dotted abbreviations ("D.C.") are recognised
# by their spelling instead.
ABBREVIATIONS: frozenset[str] = HONORIFIC_ABBREVIATIONS | frozenset(
    "Co Corp Dept Hon Inc Jr Ltd Mt No Rep Sr St Univ etc vs".split()
)

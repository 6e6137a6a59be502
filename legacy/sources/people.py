"""The people of one story, and which of them a name refers to.

A full name is the person of that name, or of a variant spelling of it (a
first name as an initial, a surname misspelt by one letter); a lone surname
is the person last mentioned with it.  Every look-up is an index probe, so
that resolving a story stays linear in its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .names import SURNAME_PREFIX_RE, core_words

__all__ = ["Person", "Registry"]

_MAX_CANDIDATES = 16  # people per index key; bounds the work on pathological input


@dataclass
class Person:
    """Someone the story names, and what the story says of them."""

    name: str
    first: str
    last: str
    excluded: bool = False  # an author: never a source
    first_seen: tuple[int, int] | None = None
    last_seen: tuple[int, int] = (-1, -1)
    quoted: bool = False
    description: str = ""
    aliases: list[str] = field(default_factory=list)

    def note_alias(self, spelling: str) -> None:
        if spelling not in (self.name, self.last) and spelling not in self.aliases:
            self.aliases.append(spelling)


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance between `a` and `b` is exactly one."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def misspelling(seen: str, known: str) -> bool:
    """`seen` is `known` misspelt by one letter.  Short names, a different
    first letter and the Slavic feminine form (Duvanov/Duvanova) do not
    count."""
    s, k = seen.casefold(), known.casefold()
    if min(len(s), len(k)) < 5 or s[0] != k[0]:
        return False
    if s == k + "a" or k == s + "a":
        return False
    return _within_one_edit(s, k)


def _surname_keys(word: str) -> tuple[str, ...]:
    """ "al-Assad" is found as "al-Assad" and as "Assad"."""
    key = word.casefold()
    bare = SURNAME_PREFIX_RE.sub("", word, count=1).casefold()
    return (key,) if bare == key else (key, bare)


def _deletions(word: str) -> set[str]:
    """`word` and every spelling of it with one letter left out: two words
    within one edit of each other share at least one of these keys."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _same_first_name(seen: str, known: str, middle: str | None) -> bool:
    """Whether the first name `seen` fits the `known` one: the same, the
    known person's middle name, misspelt, or an initial of it."""
    s, k = seen.casefold(), known.casefold()
    return (
        k == s
        or k == middle
        or misspelling(seen, known)
        or (seen.endswith(".") and k.startswith(s[:-1]))
        or (known.endswith(".") and s.startswith(k[:-1]))
    )


def _latest(candidates: Iterable[Person]) -> Person | None:
    best = None
    for person in candidates:
        if best is None or person.last_seen > best.last_seen:
            best = person
    return best


class Registry:
    """The people of one story, indexed so that every look-up is cheap."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self._by_name: dict[str, Person] = {}
        self._by_surname: dict[str, list[Person]] = {}
        self._near: dict[str, list[Person]] = {}  # deletion keys → people
        self._latest: dict[str, Person] = {}  # surname → last one mentioned

    def add(self, words: Sequence[str], *, excluded: bool = False) -> Person:
        core = core_words(words) or list(words)
        person = Person(name=" ".join(words), first=core[0], last=core[-1], excluded=excluded)
        self.people.append(person)
        self._by_name.setdefault(person.name.casefold(), person)
        for key in _surname_keys(person.last):
            self._by_surname.setdefault(key, []).append(person)
            for near in _deletions(key):
                bucket = self._near.setdefault(near, [])
                if len(bucket) < _MAX_CANDIDATES:
                    bucket.append(person)
        return person

    def seen(self, person: Person, pos: tuple[int, int]) -> None:
        """Note that the story names `person` at `pos`."""
        if person.first_seen is None:
            person.first_seen = pos
        person.last_seen = pos
        for key in _surname_keys(person.last):
            self._latest[key] = person

    def _near_spellings(self, word: str) -> list[Person]:
        found: dict[int, Person] = {}
        for key in _deletions(word.casefold()):
            for person in self._near.get(key, ()):
                found.setdefault(id(person), person)
        return list(found.values())

    def match_full(self, words: Sequence[str]) -> tuple[Person | None, bool]:
        """The person a full name refers to, and whether it is a variant
        spelling."""
        spelling = " ".join(words)
        person = self._by_name.get(spelling.casefold())
        if person is not None:
            return person, person.name != spelling
        core = core_words(words)
        first, last = core[0], core[-1]
        middle = core[1].casefold() if len(core) > 2 else None
        for person in self._by_surname.get(last.casefold(), [])[:_MAX_CANDIDATES]:
            if _same_first_name(first, person.first, middle):
                return person, True
        for person in self._near_spellings(last):
            if person.first.casefold() == first.casefold() and misspelling(last, person.last):
                return person, True
        return None, False

    def match_single(self, word: str, *, fuzzy: bool = True) -> tuple[Person | None, bool]:
        """The person a lone surname refers to (the one mentioned last when
        several share it), and whether it is a variant spelling; only exact
        spellings unless `fuzzy`."""
        keys = _surname_keys(word)
        recent = _latest(self._latest[k] for k in keys if k in self._latest)
        if recent is not None:
            return recent, False
        for key in keys:
            if key in self._by_surname:
                return self._by_surname[key][0], False
        if not fuzzy:
            return None, False
        near = [p for p in self._near_spellings(word) if misspelling(word, p.last)]
        if near:
            return _latest(near), True
        return None, False

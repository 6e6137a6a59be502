"""Reading one paragraph: the names in it, how each is quoted, the
description written with it, and where a pronoun is quoted.

Nothing here knows the story's other paragraphs; `people` and `resolution`
put the paragraphs together.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property

from .attribution import (
    PRONOUN_SPEECH_RE,
    SPEECH_HINT_RE,
    Quoting,
    attribute,
    clause_follows,
    find_speech_verb,
    object_mention,
)
from .descriptions import (
    after_object_word,
    bare,
    normalise,
    role_like,
    role_phrase_before,
    role_set_off_before,
)
from .names import RUN_RE, core_words, split_run
from .vocabulary import OBJECT_VERBS, ORG_HEADS

__all__ = ["Named", "Occurrence", "Paragraph", "read_paragraph"]

# Quoted words and asides ("(See Kazakstan’s Politicised Labour Disputes.)"):
# names in them are not the people the narrative introduces.  A quotation
# still open at the end of the paragraph runs to its end.
_ASIDE_RE = re.compile(r"“[^“”]*+(?:”|\Z)|\"[^\"]*+(?:\"|\Z)|\([^()]*+\)")
_BEFORE_CHARS = 40  # how far back a preposition or speech verb is looked for


# Compared and hashed by identity: each is one place in the story.
@dataclass(frozen=True, eq=False)
class Occurrence:
    """A person's name as written once in the story."""

    words: tuple[str, ...]  # the name as written, particles included
    pos: tuple[int, int]  # (paragraph, offset): the reading order
    quoting: Quoting
    description: str
    start: int  # where the name and its role phrase begin
    end: int

    @property
    def single(self) -> bool:
        """Whether the name is a lone surname ("Duvanov")."""
        return len(core_words(self.words)) == 1


@dataclass(frozen=True)
class Named:
    """A name in a paragraph, for resolving a pronoun attribution: a
    recognised occurrence, or a lone capitalised word that may be the
    surname of someone in the story."""

    start: int
    occurrence: Occurrence | None
    word: str  # the surname, for a lone surname
    quoting: Quoting
    aside: bool  # inside a quotation or parentheses


@dataclass
class Paragraph:
    """One paragraph of the story and the names read in it."""

    text: str
    index: int
    occurrences: list[Occurrence] = field(default_factory=list)
    lone: list[tuple[int, int]] = field(default_factory=list)  # lone words not read as names
    # Between a speaker's name and their verb: "Petrov, head of the Union of
    # Miners and Drillers, a trade union, said".
    appositives: list[tuple[int, int]] = field(default_factory=list)

    @cached_property
    def _asides(self) -> tuple[list[int], list[int]]:
        spans = [a.span() for a in _ASIDE_RE.finditer(self.text)]
        return [lo for lo, _ in spans], [hi for _, hi in spans]

    def in_aside(self, pos: int) -> bool:
        """Whether `pos` is inside a quotation or parentheses."""
        starts, ends = self._asides
        i = bisect_right(starts, pos) - 1
        return i >= 0 and starts[i] < pos < ends[i]

    def in_appositive(self, pos: int) -> bool:
        """Whether `pos` is inside a speaker's appositive (the spans are in
        reading order and do not overlap)."""
        i = bisect_right(self.appositives, (pos, len(self.text))) - 1
        return i >= 0 and self.appositives[i][0] <= pos < self.appositives[i][1]

    def _aside(self, pos: int) -> bool:
        return self.in_aside(pos) or self.in_appositive(pos)

    def named(self) -> list[Named]:
        """Every name in the paragraph, recognised or lone, in reading order."""
        names = [
            Named(
                occ.pos[1],
                occ,
                core_words(occ.words)[0] if occ.single else "",
                occ.quoting,
                self._aside(occ.pos[1]),
            )
            for occ in self.occurrences
        ]
        names += [n for start, end in self.lone if (n := self._lone_name(start, end)) is not None]
        names.sort(key=lambda n: n.start)
        return names

    def _lone_name(self, start: int, end: int) -> Named | None:
        """The lone capitalised word at `start`, as a possible surname."""
        text = self.text
        split = split_run(text[start:end])
        if split is None or len(split[1]) != 1:
            return None
        found = _role_before(text, start)
        if found is None:
            return None
        role, role_start = found
        obj = object_mention(text, _text_before(text, role_start), role, end)
        quoting = Quoting.OBJECT if obj else Quoting.MENTIONED
        return Named(start, None, split[1][0], quoting, self._aside(start))

    def pronoun_at(self) -> int | None:
        """Where the paragraph's first pronoun attribution outside quotation
        marks starts ("“…,” she said"), or None."""
        text = self.text
        for match in PRONOUN_SPEECH_RE.finditer(text):
            start = match.start("inv") if match.group("inv") else match.start()
            if self.in_aside(start):
                continue
            verb = match.group("verb")
            if verb in OBJECT_VERBS and not clause_follows(text, match.end()):
                continue  # "she denied the charges"
            return start
        return None


def read_paragraph(paragraph: str, index: int) -> Paragraph:
    """The names of one paragraph and how each is quoted."""
    read = Paragraph(normalise(paragraph), index)
    text = read.text
    found: list[Occurrence] = []
    for match in RUN_RE.finditer(text):
        start, end = match.span()
        if " " not in match.group() and not _may_be_quoted_surname(text, start, end):
            read.lone.append((start, end))
            continue
        split = split_run(match.group())
        if split is None:
            continue
        titles, name = split
        name_start = end - len(" ".join(name))
        read_name = _read_name(read, start, name_start, end, titles, name)
        if read_name is None:
            continue
        occ, appositive_end = read_name
        if occ.quoting is Quoting.SPEAKS and read.in_appositive(start):
            # "Petrov, head of the Union of Miners and Drillers, a trade union,
            # said": the verb is Petrov's, not that of a name in his appositive.
            occ = replace(occ, quoting=Quoting.MENTIONED)
        elif appositive_end > end:
            read.appositives.append((end, appositive_end))
        found.append(occ)
    found = _share_listed_verbs(text, found)
    read.occurrences = [occ for occ in found if occ.quoting.is_quote or not occ.single]
    return read


def _may_be_quoted_surname(text: str, start: int, end: int) -> bool:
    """Whether a lone capitalised word may be a quoted surname: a speech verb
    follows or shortly precedes it, or it is listed with other names."""
    return (
        find_speech_verb(text, end) is not None
        or text.startswith((" and ", ", "), end)
        or SPEECH_HINT_RE.search(text, max(0, start - 120), start) is not None
    )


def _read_name(
    read: Paragraph,
    run_start: int,
    name_start: int,
    end: int,
    titles: list[str],
    name: list[str],
) -> tuple[Occurrence, int] | None:
    """The occurrence of the name `name` that ends at `end`, with the
    capitalised `titles` in front of it, and where the appositive between
    it and its speech verb ends (-1 for none); None when it is no person."""
    text = read.text
    set_off = None
    if titles:
        role = role_phrase_before(text, run_start)
        role_start = run_start - (len(" ".join(role)) + 1 if role else 0)
    else:
        found = _role_before(text, run_start)
        if found is None:
            return None
        role, role_start = found
        if not role and (set_off := role_set_off_before(text, run_start)) is not None:
            role_start = set_off.start  # "The head of …, Asel Omarova, said"
    before = _text_before(text, role_start)
    single = len(core_words(name)) == 1
    attribution = attribute(text, end, before, single=single, set_off=set_off)
    description = attribution.description
    if role or titles:
        description = " ".join(role + titles)
    elif set_off is not None:
        description = set_off.description
    quoting = attribution.quoting
    if quoting is Quoting.MENTIONED and object_mention(text, before, role, end):
        quoting = Quoting.OBJECT
    occ = Occurrence(tuple(name), (read.index, name_start), quoting, description, role_start, end)
    return occ, attribution.appositive_end


def _role_before(text: str, start: int) -> tuple[list[str], int] | None:
    """The role phrase in front of the name at `start` and where it begins,
    or None when the word before says the name is no person's ("the
    independent weekly Dala Zhany")."""
    role = role_phrase_before(text, start)
    if role and bare(role[-1]) in ORG_HEADS:
        return None
    # "the wife of activist X said": X is a mention, "activist" X's role.
    role = after_object_word(role if role and role_like(role[-1]) else [])
    return role, start - (len(" ".join(role)) + 1 if role else 0)


def _text_before(text: str, start: int) -> str:
    """The text just before `start`, where a preposition or an inverted
    speech verb would be."""
    return text[max(0, start - _BEFORE_CHARS) : start]


def _share_listed_verbs(text: str, found: list[Occurrence]) -> list[Occurrence]:
    """ "Duvanov and Zhovtis said", "Duvanov, Zhovtis and Shumkin said": the
    names listed before the speaker share the verb."""
    found = list(found)
    for i in range(len(found) - 2, -1, -1):
        occ, nxt = found[i], found[i + 1]
        if occ.quoting.is_quote:
            continue
        joined_by_and = nxt.quoting is Quoting.SPEAKS and occ.end + 5 == nxt.start
        joined_by_comma = nxt.quoting is Quoting.LISTED and occ.end + 2 == nxt.start
        if (joined_by_and and text.startswith(" and ", occ.end)) or (
            joined_by_comma and text.startswith(", ", occ.end)
        ):
            found[i] = replace(occ, quoting=Quoting.LISTED)
    return found

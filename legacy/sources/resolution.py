"""Putting a story's paragraphs together: who each name refers to, who a
quoted pronoun is, and which people are the story's sources.

Full names are registered first, in reading order, so that a surname can
refer to a person introduced later in the story; then every name is
resolved to a person, who takes the quotes and the first description.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from legacy.result import Source

from .attribution import Quoting
from .names import core_words
from .people import Person, Registry
from .reading import Named, Occurrence, Paragraph

__all__ = [
    "Authors",
    "Story",
    "choose_sources",
    "mark_pronoun_speakers",
    "register_people",
    "resolve_references",
]


@dataclass(frozen=True)
class Authors:
    """The names that are never sources: the story's authors, and the
    surnames given alone (which exclude anyone who carries them)."""

    full_names: tuple[tuple[str, ...], ...]
    surnames: frozenset[str]  # case-folded

    @classmethod
    def of(cls, names: Iterable[object]) -> Authors:
        full: list[tuple[str, ...]] = []
        single: set[str] = set()
        for raw in names or ():
            words = tuple(raw.split()) if isinstance(raw, str) else ()
            if len(words) == 1:
                single.add(words[0].casefold())
            elif words:
                full.append(words)
        return cls(tuple(full), frozenset(single))

    def carries(self, surname: str) -> bool:
        return surname.casefold() in self.surnames


@dataclass
class Story:
    """A story's paragraphs as read, its people, and who each name is."""

    paragraphs: list[Paragraph]
    authors: Authors
    registry: Registry
    persons: dict[Occurrence, Person]

    @property
    def occurrences(self) -> Iterable[Occurrence]:
        for paragraph in self.paragraphs:
            yield from paragraph.occurrences


def register_people(paragraphs: list[Paragraph], authors: Authors) -> Story:
    """Register the authors, then everyone named in full, in reading order."""
    registry = Registry()
    for words in authors.full_names:
        registry.add(words, excluded=True)
    story = Story(paragraphs, authors, registry, {})
    for occ in story.occurrences:
        if len(core_words(occ.words)) < 2:
            continue
        person, _ = registry.match_full(occ.words)
        story.persons[occ] = person if person is not None else registry.add(occ.words)
    return story


def resolve_references(story: Story) -> None:
    """Resolve every name to its person in reading order (a lone surname to
    the person last mentioned with it), noting variant spellings, quotes and
    descriptions."""
    registry = story.registry
    for occ in story.occurrences:
        person, variant = _refers_to(story, occ)
        if person is None:
            continue  # an author's surname, or a surname nobody carries
        story.persons[occ] = person
        if variant:
            person.note_alias(" ".join(occ.words))
        registry.seen(person, occ.pos)
        if occ.quoting.is_quote:
            person.quoted = True
        if occ.description and not person.description:
            person.description = occ.description


def _refers_to(story: Story, occ: Occurrence) -> tuple[Person | None, bool]:
    """The person `occ` names, and whether it is a variant spelling."""
    if occ in story.persons:  # a full name, registered already
        person = story.persons[occ]
        return person, person.name != " ".join(occ.words)
    surname = core_words(occ.words)[0]
    if story.authors.carries(surname):
        return None, False
    return story.registry.match_single(surname)


def mark_pronoun_speakers(story: Story) -> None:
    """ "For pensioner Zarina Odinaeva, …" then "“…,” she said.": a pronoun
    quoted in a paragraph that names nobody before it is the person named
    last in the paragraph before."""
    for prev, paragraph in pairwise(story.paragraphs):
        person = _pronoun_speaker(story, paragraph, prev)
        if person is not None:
            person.quoted = True


def _who(story: Story, named: Named) -> tuple[bool, Person | None]:
    """Whether `named` names someone, and who, unless it is an author or a
    speaker known only by a surname ("…, said Duvanov.")."""
    if story.authors.carries(named.word):
        return True, None
    if named.occurrence is not None:
        person = story.persons.get(named.occurrence)
        if person is None:
            return True, None
    else:
        person, _ = story.registry.match_single(named.word, fuzzy=False)
        if person is None:
            return False, None  # "Kazakstan", "Resorting"
    if person.excluded or story.authors.carries(person.last):
        return True, None
    return True, person


def _pronoun_speaker(story: Story, paragraph: Paragraph, prev: Paragraph) -> Person | None:
    """The person a pronoun attribution in `paragraph` refers to: the last
    one named in `prev`, when `paragraph` names nobody before the
    attribution.  Nobody when that person is an author or was only mentioned
    as an object ("the trial of X", "X’s lawyer"); names in quotations and
    asides are skipped."""
    at = paragraph.pronoun_at()
    if at is None:
        return None
    for named in paragraph.named():
        if named.start >= at:
            break
        if _who(story, named)[0]:
            return None
    last: tuple[Named, Person | None] | None = None
    for named in prev.named():
        if named.aside:
            continue
        found, person = _who(story, named)
        if found:
            last = (named, person)
    if last is None or last[0].quoting is Quoting.OBJECT:
        return None
    return last[1]


def choose_sources(story: Story) -> list[Source]:
    """The quoted people who are not authors, in order of first appearance."""
    chosen: Sequence[Person] = [
        p
        for p in story.registry.people
        if p.quoted
        and not p.excluded
        and p.first_seen is not None
        and not story.authors.carries(p.last)
    ]
    chosen = sorted(chosen, key=lambda p: p.first_seen or (0, 0))
    return [
        Source(name=p.name, description=p.description, aliases=tuple(p.aliases)) for p in chosen
    ]

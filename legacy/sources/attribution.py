"""Speech attribution: whether the text around a name reports that person's
words, and how (`Quoting`).

A person is quoted when a speech verb follows the name ("Duvanov said",
"Yevgeny Zhovtis, head of …, said"), or the name follows an inverted speech
verb or "according to" ("“…,” said Zarina Odinaeva", "according to Bolot
Kadyrov").  A verb with a plain object reports no words ("Kozlov denied the
charges"), and neither does a name that is the object of a preposition or a
participle ("the wife of X said", "a lawyer representing X said").
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from .descriptions import (
    TOKEN_RE,
    SetOffRole,
    appositive_description,
    continues_appositive,
    head_is_role,
    is_age,
    role_like,
    trailing_description,
)
from .names import APOSTROPHES, RUN_RE, split_run
from .vocabulary import (
    ARTICLES,
    CLAUSE_SUBJECTS,
    CLAUSE_WORDS,
    DESC_STOP,
    INVERTED_VERBS,
    OBJECT_PARTICIPLES,
    OBJECT_PREPOSITIONS,
    OBJECT_VERBS,
    SPEECH_VERBS,
    VERB_MODIFIERS,
    alternation,
)

__all__ = [
    "PRONOUN_SPEECH_RE",
    "SPEECH_HINT_RE",
    "Attribution",
    "Quoting",
    "SpeechVerb",
    "attribute",
    "clause_follows",
    "find_speech_verb",
    "object_mention",
]


class Quoting(enum.Enum):
    """How a name is written in relation to a speech verb."""

    MENTIONED = "mentioned"  # no speech verb of theirs: "Kozlov was jailed"
    OBJECT = "object"  # mentioned as an object: "the trial of X", "X’s lawyer"
    SPEAKS = "speaks"  # the subject of a speech verb: "X said", "X, an analyst, said"
    INVERTED = "inverted"  # after the verb: "“…,” said X", "according to X"
    LISTED = "listed"  # shares the verb of the next name: "X and Y said"

    @property
    def is_quote(self) -> bool:
        """Whether the person's words are reported."""
        return self in (Quoting.SPEAKS, Quoting.INVERTED, Quoting.LISTED)


_VERB = alternation(SPEECH_VERBS)
_MODIFIER = rf"(?:[a-z]+ly|{alternation(VERB_MODIFIERS)})"
_INVERTED = alternation(INVERTED_VERBS)
_PUNCT = '[,;:.!?“”"()\\[\\]]'
_NOT_PUNCT = '[^,;:.!?“”"()\\[\\]]'

# After a name: up to two adverbs, then a speech verb ("X also said").
_VERB_AFTER_RE = re.compile(rf" (?:{_MODIFIER} ){{0,2}}+(?P<verb>{_VERB})\b")
# A phrase between commas after a name: ", head of the bureau," (the comma
# that closes it is not consumed).
_APPOSITIVE_RE = re.compile(rf", ?(?P<app>{_NOT_PUNCT}{{1,300}}+)(?=,)")
_MAX_APPOSITIVES = 4
# Before a name (or before the role phrase in front of it): an inverted
# speech verb after a quote or comma ("…,” said X"), or "according to".
_PRE_VERB_RE = re.compile(rf"(?:[,;:”\"’—–…] ?{_INVERTED}|\b[Aa]ccording to(?: the)?) \Z")
_ACCORDING_RE = re.compile(r"[Aa]ccording to(?: the)? \Z")
# Cheap test for a speech verb shortly before a lone surname.
SPEECH_HINT_RE = re.compile(rf"\b(?:{_INVERTED}|according)\b")
# What may follow the name in "said X": the end of the clause.
_PRE_VERB_END_RE = re.compile(rf" ?(?:{_PUNCT}|’(?!s\b)|\Z| who\b)")
# "said X, DESCRIPTION." / "according to X, DESCRIPTION,".
POST_DESC_RE = re.compile(rf", ?(?P<d>{_NOT_PUNCT}{{1,300}}+)(?P<end>{_PUNCT}|\Z)")
# A name that is the object of a preposition or participle is not the speaker:
# "the wife of Pavel Shumkin said", "a lawyer representing X said", "friends
# of jailed activist X told IWPR" (the participle is not in the role phrase).
_OBJECT_BEFORE_RE = re.compile(
    rf"\b{alternation(OBJECT_PREPOSITIONS | OBJECT_PARTICIPLES)}"
    r"(?: the| a| an)?(?: [a-z]{3,}ed)? \Z"
)
# A speech attribution to a pronoun: "“…,” she said", "He told IWPR that …",
# "“…,” said she."
PRONOUN_SPEECH_RE = re.compile(
    rf"\b(?:[Hh]e|[Ss]he) (?:{_MODIFIER} ){{0,2}}+(?P<verb>{_VERB})\b"
    rf"|[,;:”\"’—–…] ?(?P<inv>{_INVERTED}) (?:he|she)\b(?=[.,;:!?]|\Z)"
)
_CLAUSE_STOP_RE = re.compile(r"[,;:.!?“”\"()\[\]—–…]")


def object_mention(text: str, before: str, role_phrase: list[str], end: int) -> bool:
    """Whether a name is mentioned as an object: after a preposition ("the
    trial of X", "supporters of jailed activist X"), inside a role phrase
    with "of" ("the trial of activist X": the phrase ends in a role noun, so
    X is what follows "of"), or as a possessive ("X’s lawyer")."""
    return (
        _OBJECT_BEFORE_RE.search(before) is not None
        or any(w.casefold() == "of" for w in role_phrase)
        or text.startswith(tuple(APOSTROPHES), end)
    )


def clause_follows(text: str, pos: int) -> bool:
    """Whether what follows a verb at `pos` is reported speech (a clause, a
    colon, a quote) rather than a plain object ("denied the charges")."""
    if pos >= len(text) or text[pos] != " ":
        return True  # "…,” Kozlov confirmed.  /  "Kozlov denied: …"
    stop = _CLAUSE_STOP_RE.search(text, pos, pos + 200)
    limit = stop.start() if stop else min(len(text), pos + 200)
    words = text[pos + 1 : limit].split(" ")
    if words[0].casefold() in CLAUSE_SUBJECTS:
        return True
    for word in words:
        low = word.casefold()
        if low in CLAUSE_WORDS or low.endswith(("n’t", "n't")):
            return True
    if stop is None:
        return False
    mark = stop.group()
    if mark in ':“"':
        return True
    return mark == "," and text.startswith((" “", ' "', "“", '"'), stop.end())


def _speaker_follows(text: str, pos: int) -> bool:
    """Whether a name follows the verb at `pos` and ends the clause: in
    "the court jailed Kozlov, leader of Alga, said Duvanov." the speaker is
    Duvanov, not Kozlov.  A role phrase may precede it ("said lawyer X")."""
    if not text.startswith(" ", pos):
        return False
    start = pos + 1
    tokens = text[start : start + 120].split(" ")
    k = 0
    while k < len(tokens) and k < 5 and tokens[k][:1].islower():
        low = tokens[k]
        if not (k == 0 and low in ARTICLES) and (low in DESC_STOP or not TOKEN_RE.fullmatch(low)):
            return False
        start += len(tokens[k]) + 1
        k += 1
    if k and not role_like(tokens[k - 1]):
        return False
    run = RUN_RE.match(text, start)
    if run is None or split_run(run.group()) is None:
        return False
    end = run.end()
    if end == len(text) or text[end] in ".;!?)":
        return True
    post = POST_DESC_RE.match(text, end)  # "said Duvanov, a journalist."
    return bool(post and post.group("end") in (".", "") and trailing_description(post.group("d")))


@dataclass(frozen=True)
class SpeechVerb:
    """A speech verb after a name, and the appositives between them."""

    match: re.Match[str]
    appositives: tuple[str, ...]

    @property
    def verb(self) -> str:
        return self.match.group("verb")


def find_speech_verb(text: str, end: int, *, set_off: bool = False) -> SpeechVerb | None:
    """The speech verb after the name ending at `end`: "X said", "X, head of
    …, said", "X, who told IWPR", "X, 64, a retired teacher …, said"; with
    `set_off` (the name follows a role phrase and a comma) also "X, said"."""
    first = _APPOSITIVE_RE.match(text, end)
    if first is not None and (verb := _VERB_AFTER_RE.match(text, first.end() + 1)):
        return SpeechVerb(verb, (first.group("app"),))
    if text.startswith(", who", end) and (verb := _VERB_AFTER_RE.match(text, end + 5)):
        return SpeechVerb(verb, ())
    if verb := _VERB_AFTER_RE.match(text, end):
        return SpeechVerb(verb, ())
    if set_off and text.startswith(",", end) and (verb := _VERB_AFTER_RE.match(text, end + 1)):
        return SpeechVerb(verb, ())
    return _after_appositives(text, first)


def _after_appositives(text: str, first: re.Match[str] | None) -> SpeechVerb | None:
    """A speech verb after a chain of appositives, each of which still
    describes the person: "Nikola Petrov, head of the Union of Miners and
    Drillers, a Donetsk-based trade union, said"."""
    if first is None or not continues_appositive(first.group("app")):
        return None
    chain = [first.group("app")]
    pos = first.end()
    while len(chain) < _MAX_APPOSITIVES:
        nxt = _APPOSITIVE_RE.match(text, pos)
        if nxt is None or not continues_appositive(nxt.group("app")):
            return None
        chain.append(nxt.group("app"))
        pos = nxt.end()
        if verb := _VERB_AFTER_RE.match(text, pos + 1):
            return SpeechVerb(verb, tuple(chain))
    return None


def _reports_words(text: str, found: SpeechVerb) -> bool:
    """Whether the verb found after a name reports that person's words; a
    person merely mentioned is never a source."""
    if found.verb in INVERTED_VERBS and _speaker_follows(text, found.match.end()):
        return False
    return found.verb not in OBJECT_VERBS or clause_follows(text, found.match.end())


def speech_after(text: str, end: int, *, set_off: bool = False) -> SpeechVerb | None:
    """The speech verb after the name ending at `end`, when it reports that
    person's words."""
    found = find_speech_verb(text, end, set_off=set_off)
    if found is None or not _reports_words(text, found):
        return None  # "Kozlov, leader of Alga, denied the charges"
    return found


@dataclass(frozen=True)
class Attribution:
    """How a name is quoted, the description written after it, and where
    the speaker's appositive ends (at the speech verb; -1 when there is
    none)."""

    quoting: Quoting
    description: str = ""
    appositive_end: int = -1


def _post_description(text: str, end: int) -> re.Match[str] | None:
    """The phrase after a comma that follows a name ("said X, a lawyer."),
    past an age ("said X, 64, a retired teacher.")."""
    post = POST_DESC_RE.match(text, end)
    if post is not None and post.group("end") == "," and is_age(post.group("d")):
        return POST_DESC_RE.match(text, post.end() - 1)
    return post


def attribute(
    text: str, end: int, before: str, *, single: bool, set_off: SetOffRole | None = None
) -> Attribution:
    """How the name ending at `end` is quoted, and the description written
    after it; `before` is the text in front of the name and its role phrase,
    `single` says whether it is a lone surname, `set_off` is the role phrase
    set off by a comma before it."""
    inverted = set_off.inverted if set_off else _PRE_VERB_RE.search(before) is not None
    after = None if set_off and inverted else speech_after(text, end, set_off=set_off is not None)
    if after is not None and not _OBJECT_BEFORE_RE.search(before):
        described = bool(after.appositives) and continues_appositive(after.appositives[0])
        appositive_end = after.match.start("verb") if described else -1
        return Attribution(
            Quoting.SPEAKS, appositive_description(after.appositives), appositive_end
        )
    if inverted:
        according = set_off.according if set_off else _ACCORDING_RE.search(before) is not None
        if not according and not _PRE_VERB_END_RE.match(text, end):
            return Attribution(Quoting.MENTIONED)
        post = _post_description(text, end)
        description = trailing_description(post.group("d")) if post else ""
        if post and according and (post.group("end") != "," or not head_is_role(description)):
            description = ""  # "according to X, the authorities …"
        return Attribution(Quoting.INVERTED, description)
    if single:
        return Attribution(Quoting.MENTIONED)
    # A mention: remember an appositive description for later.
    post = _post_description(text, end)
    if post and post.group("end") == ",":
        description = trailing_description(post.group("d"))
        if description and head_is_role(description):
            return Attribution(Quoting.MENTIONED, description)
    return Attribution(Quoting.MENTIONED)

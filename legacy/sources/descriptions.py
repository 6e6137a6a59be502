"""The description a story gives a person: role phrases and appositives.

A role phrase is written before the name ("journalist and political
commentator Sergei Duvanov", "Labour activist Pavel Shumkin"); an appositive
after it, between commas ("Nino Beridze, an analyst at the Tbilisi Centre,
said").  Both are read here, and told apart from clauses ("Kozlov, who was
arrested in May, …") that describe nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .names import APOSTROPHES, RUN_RE, split_run
from .vocabulary import (
    ARTICLES,
    CLAUSE_OPENERS,
    CONNECTORS,
    DESC_STOP,
    DETERMINERS,
    HEAD_BREAK,
    INVERTED_VERBS,
    LEADING_STOP,
    NON_DESC_START,
    NON_NAME,
    NOT_ROLE,
    OBJECT_WORDS,
    PERSONAL_PRONOUNS,
    POSSESSIVE_DETERMINERS,
    RELATIVE_PRONOUNS,
    ROLE_NOUNS,
    ROLE_SUFFIXES,
    TITLES,
    VERB_FORMS,
)

__all__ = [
    "TOKEN_RE",
    "SetOffRole",
    "after_object_word",
    "appositive_description",
    "bare",
    "is_age",
    "head_is_role",
    "normalise",
    "role_like",
    "role_phrase_before",
    "role_set_off_before",
    "trailing_description",
]

TOKEN_RE = re.compile(rf"[\w{APOSTROPHES}\-]+")
_MAX_ROLE_WORDS = 8
_POSSESSIVE_ENDS = ("’s", "'s", "s’", "s'")
# An age written as an appositive: "Marat Ibraev, 64, a retired teacher".
_AGE_RE = re.compile(r"(?:aged )?\d{1,3}")
_PUNCT_CHARS = ',;:.!?“”"()[]—–…'
# The start of the phrase that ends a text: the last punctuation mark and
# what follows it (possessive, so linear).
_PHRASE_START_RE = re.compile(r"[,;:.!?“”\"()\[\]—–…][^,;:.!?“”\"()\[\]—–…]*+\Z")
_INVERTING_MARKS = ',;:”"’—–…'  # what may stand before "said" in "“…,” said X"
_MAX_SET_OFF = 200  # characters of a role phrase set off by commas
_MAX_HEAD_WORDS = 6
# Words that may open a role phrase set off before a name ("Another
# resident, X, said", "His lawyer, X, said").
_PHRASE_OPENERS = ARTICLES | POSSESSIVE_DETERMINERS | {"another", "one"}


def normalise(text: str) -> str:
    """Single ordinary spaces (U+00A0 and line breaks included)."""
    return " ".join(text.split())


def bare(word: str) -> str:
    """A word without a trailing possessive or punctuation, case-folded."""
    word = word.casefold().rstrip(".,;:")
    for tail in ("’s", "'s", "’", "'"):
        if word.endswith(tail):
            return word[: -len(tail)]
    return word


def role_like(word: str) -> bool:
    """Whether `word` names a role ("lawyer", "columnist", "Economist")."""
    w = bare(word)
    if not w or w in NOT_ROLE:
        return False
    if w in ROLE_NOUNS or w in TITLES:
        return True
    return w.endswith(ROLE_SUFFIXES) and len(w) > 3


def head_is_role(description: str) -> bool:
    """Whether the head noun of a description ("spokesman" in "spokesman for
    the state power company") is a role."""
    head = ""
    for word in description.split(" "):
        low = bare(word)
        if low in HEAD_BREAK or (low in DESC_STOP and low not in ARTICLES):
            break
        head = word
    return bool(head) and role_like(head)


def _clean_description(text: str) -> str:
    """Strip a leading article ("a lawyer" → "lawyer"), but keep "the" before
    a possessive ("the paper’s deputy editor")."""
    words = normalise(text).strip(" ,;:").split(" ")
    if words and words[0].casefold() in ARTICLES:
        following = words[1] if len(words) > 1 else ""
        if not (words[0].casefold() == "the" and following.endswith(_POSSESSIVE_ENDS)):
            words = words[1:]
    return " ".join(words)


def trailing_description(text: str) -> str:
    """A description written after a comma, or "" when the phrase is a
    clause rather than a description."""
    text = text.strip()
    if not text or not text[0].islower():
        return ""
    first = text.split(" ")[0].casefold()
    if first in NON_DESC_START:
        return ""
    if first not in ARTICLES and first.endswith("ing"):
        return ""  # "adding that …", "referring to …"
    return _clean_description(text)


def after_object_word(words: list[str]) -> list[str]:
    """The role phrase after its last object word: "wife of activist" →
    "activist", so that the text before the phrase ends in "of"."""
    for i in range(len(words) - 1, -1, -1):
        if words[i].casefold() in OBJECT_WORDS:
            return words[i + 1 :]
    return words


def _sentence_start(tokens: list[str], j: int, cut: bool) -> bool:
    """Whether `tokens[j]` opens a sentence (`cut`: the tokens were cut from
    the middle of the text, so the first one may not)."""
    if j == 0:
        return not cut
    return tokens[j - 1].rstrip("”\"’')").endswith((".", "!", "?"))


def _takes_capitalised(tokens: list[str], j: int, words: list[str], cut: bool) -> bool | None:
    """Whether the capitalised `tokens[j]` joins the role phrase `words`
    read so far (True), ends it after joining (None), or ends it (False).

    A capitalised word ("Labour", "Kazak", "IWPR’s") qualifies a role noun
    that follows it; it never sits next to the name.
    """
    tok = tokens[j]
    if not words:
        return False
    if words[-1].casefold() in CONNECTORS:
        # "Journalist and political commentator X" opens a sentence: the
        # capitalised role is written so only because it is first.
        return None if _sentence_start(tokens, j, cut) and role_like(tok) else False
    low = tok.casefold()
    # Only institution words chain: "Human Rights lawyer".
    return words[-1][0].islower() or (low in NON_NAME and low not in LEADING_STOP)


def role_phrase_before(text: str, start: int) -> list[str]:
    """The lower-case role phrase written just before `start`, read backwards
    ("journalist and political commentator", "Labour activist")."""
    if start < 2 or text[start - 1] != " ":
        return []
    lo = max(0, start - 200)
    tokens = text[lo : start - 1].split(" ")
    if lo > 0:
        tokens = tokens[1:]  # possibly cut in the middle
    words: list[str] = []
    for j in range(len(tokens) - 1, -1, -1):
        tok = tokens[j]
        if not tok or not TOKEN_RE.fullmatch(tok) or tok.casefold() in DESC_STOP:
            break
        if _is_participle(tok):
            # "jailed journalist X" but not "Police detained journalist X": a
            # past participle opens the phrase only after a determiner or a
            # boundary, otherwise it is the verb of a clause.
            prev = tokens[j - 1].casefold() if j > 0 else ""
            if prev and prev not in DETERMINERS and TOKEN_RE.fullmatch(prev):
                break
            words.append(tok)
            break
        if not tok[0].islower() and not tok[0].isdigit():
            joins = _takes_capitalised(tokens, j, words, lo > 0)
            if joins is None:
                words.append(tok)
            if not joins:
                break
        words.append(tok)
        if len(words) >= _MAX_ROLE_WORDS:
            break
    words.reverse()
    while words and words[0].casefold() in CONNECTORS:
        words.pop(0)
    return words


def _is_participle(token: str) -> bool:
    low = token.casefold()
    return low.endswith("ed") and len(low) > 4 and "-" not in low


def is_age(phrase: str) -> bool:
    """Whether an appositive gives an age ("64", "aged 64"): an age is not a
    description, and the one after it is the person's."""
    return _AGE_RE.fullmatch(phrase.strip()) is not None


def appositive_description(appositives: Sequence[str]) -> str:
    """The description given by the appositives between a name and its
    speech verb: "Nikola Petrov, head of the Union of Miners and Drillers, a
    Donetsk-based trade union, said" → the whole chain after the name; an
    age in front is skipped, and a relative clause ends it."""
    rest = [a for a in appositives if not is_age(a)]
    if not rest:
        return ""
    parts = [trailing_description(rest[0])]
    for appositive in rest[1:]:
        if not parts[0] or _is_relative_clause(appositive):
            break
        parts.append(normalise(appositive))
    return ", ".join(parts)


def _is_relative_clause(phrase: str) -> bool:
    return phrase.strip().split(" ")[0].casefold() in RELATIVE_PRONOUNS


def continues_appositive(phrase: str) -> bool:
    """Whether a phrase between commas after a name's first appositive still
    describes that person (an age, a description, a relative clause), rather
    than starting something else ("…, and Zhovtis, …")."""
    return is_age(phrase) or _is_relative_clause(phrase) or bool(trailing_description(phrase))


@dataclass(frozen=True)
class SetOffRole:
    """A role phrase that ends with a comma before a name: "The head of the
    regional health department, Asel Omarova, said", or after an inverted
    verb, "“…,” said the family’s lawyer, Timur Aliev"."""

    description: str
    start: int  # where the phrase begins (its inverted verb included)
    inverted: bool  # after "said" or "according to"
    according: bool


def role_set_off_before(text: str, start: int) -> SetOffRole | None:
    """The role phrase set off by a comma just before the name at `start`,
    when it is a noun phrase headed by a role and opens its clause."""
    if not text.startswith(", ", start - 2):
        return None
    lo = max(0, start - 2 - _MAX_SET_OFF)
    mark = _PHRASE_START_RE.search(text, lo, start - 2)
    if mark is None and lo > 0:
        return None  # too long to be a role phrase
    phrase_at = mark.start() + 1 if mark else 0
    raw = text[phrase_at : start - 2]
    if raw.endswith(" "):
        return None
    phrase = raw.lstrip(" ’'")
    phrase_at += len(raw) - len(phrase)
    first, _, rest = phrase.partition(" ")
    inverted = according = False
    if first in INVERTED_VERBS and mark and mark.group()[0] in _INVERTING_MARKS:
        inverted, phrase = True, rest
    elif phrase.casefold().startswith("according to "):
        inverted = according = True
        phrase = phrase[len("according to ") :]
    elif first.casefold() in CLAUSE_OPENERS:
        phrase = rest  # "But the head of …, X, said"
    description = role_noun_phrase(phrase)
    if not description:
        return None
    if not inverted and mark and mark.group()[0] == "," and _follows_name(text, mark.start()):
        return None  # "Zhovtis, head of the bureau, Duvanov and …": Zhovtis's
    return SetOffRole(description, phrase_at, inverted, according)


def _follows_name(text: str, comma: int) -> bool:
    """Whether a person's name ends at `comma`, so that the phrase after the
    comma is that person's appositive; a place after a preposition ("In
    Almaty,", "Speaking in Khorog,") opens the clause instead."""
    for run in RUN_RE.finditer(text, max(0, comma - 120), comma):
        if run.end() != comma:
            continue
        if run.group().split(" ")[0].casefold() in LEADING_STOP:
            return False
        before = text[max(0, run.start() - 30) : run.start()].split(" ")
        if len(before) > 1 and before[-2].isalpha() and before[-2].islower():
            return False  # the object of "in", "from", "met", …
        return split_run(run.group()) is not None
    return False


def role_noun_phrase(phrase: str) -> str:
    """The description a noun phrase headed by a role gives ("the head of
    the regional health department", "the family’s lawyer"), or "" when the
    phrase is anything else (a clause, a place, an organisation)."""
    words = phrase.split(" ")
    if not words[0]:
        return ""
    first = 1 if words[0].casefold() in _PHRASE_OPENERS else 0
    head_end = next(
        (k for k in range(first, len(words)) if bare(words[k]) in HEAD_BREAK), len(words)
    )
    head = words[first:head_end]
    if not 1 <= len(head) <= _MAX_HEAD_WORDS or not role_like(head[-1]):
        return ""
    if not all(_modifies_role(word) for word in head):
        return ""
    complement = words[head_end:]
    if complement and role_like(complement[-1]):
        return ""  # "the wife of the jailed activist, X,": whose name is X?
    if not _is_complement(complement):
        return ""
    return _clean_description(phrase)


def _modifies_role(word: str) -> bool:
    """Whether `word` may stand in the head of a role phrase: a lower-case
    word that is no verb or function word, a possessive ("Kozlov’s"), an
    acronym, or a capitalised institution word or title ("Health Ministry
    spokesman")."""
    if not TOKEN_RE.fullmatch(word) or word.casefold() in DESC_STOP:
        return False
    if word[0].islower() or word.endswith(_POSSESSIVE_ENDS):
        return True
    low = bare(word)
    return (word.isupper() and len(word) > 1) or low in NON_NAME or low in TITLES


def _is_complement(words: Sequence[str]) -> bool:
    """Whether the words after a role phrase's head ("of the regional health
    department") complete it, rather than go on with a verb of their own."""
    for word in words:
        if word.casefold() in RELATIVE_PRONOUNS:
            return True  # "teacher who lost his savings"
        if word in VERB_FORMS or word in PERSONAL_PRONOUNS:
            return False  # "the head of the union said that his deputy"
    return True

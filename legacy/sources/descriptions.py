"""The description a story gives a person: role phrases and appositives.

A role phrase is written before the name ("journalist and political
commentator Sergei Duvanov", "Labour activist Pavel Shumkin"); an appositive
after it, between commas ("Nino Beridze, an analyst at the Tbilisi Centre,
said").  Both are read here, and told apart from clauses ("Kozlov, who was
arrested in May, …") that describe nothing.
"""

from __future__ import annotations

import re

from .names import APOSTROPHES
from .vocabulary import (
    ARTICLES,
    CONNECTORS,
    DESC_STOP,
    DETERMINERS,
    HEAD_BREAK,
    LEADING_STOP,
    NON_DESC_START,
    NON_NAME,
    NOT_ROLE,
    OBJECT_WORDS,
    ROLE_NOUNS,
    ROLE_SUFFIXES,
    TITLES,
)

__all__ = [
    "TOKEN_RE",
    "after_object_word",
    "bare",
    "head_is_role",
    "normalise",
    "role_like",
    "role_phrase_before",
    "trailing_description",
]

TOKEN_RE = re.compile(rf"[\w{APOSTROPHES}\-]+")
_MAX_ROLE_WORDS = 8
_POSSESSIVE_ENDS = ("’s", "'s", "s’", "s'")


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

"""Quoted sources in a legacy story's body: plain text in, `Source` objects out.

A person is a quoted source when the story reports their words: a speech verb
follows the name (``Duvanov said``, ``Yevgeny Zhovtis, head of …, said``), or
the name follows an inverted speech verb or ``according to`` (``“…,” said
Zarina Odinaeva``, ``according to Bolot Kadyrov``), or a paragraph that names
nobody before its attribution to a pronoun (``“…,” she said``) follows one
whose last person named is them, other than as an object (``the trial of
X``, ``X’s lawyer``) or in a quotation or an aside.  The description is the
one the story gives the person anywhere: a role phrase before the name
(``journalist and political commentator Sergei Duvanov``, ``Lawyer Anar
Mehdiyev``) or an appositive after it (``Nino Beridze, an analyst at …,``).
A person only mentioned is never a source: ``sentenced activist X``, ``X
denied the charges`` (a verb with a plain object, not reported words), ``X,
leader of Alga, said Duvanov`` (the speaker follows the verb).

Later references by surname alone are the same person, and so is a surname
misspelt by one letter (recorded in `Source.aliases`).  Names must look like a
person's: 2-4 capitalised words, no institution or place words.

The module is pure Python (no Django).  Every regular expression is compiled
once and written so that it cannot backtrack catastrophically; the work per
story is linear in its length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from .lexicon import (
    HONORIFIC_ABBREVIATIONS,
    MONTH_NUMBERS,
    NAME_PARTICLES,
    SURNAME_PREFIXES,
    WEEKDAYS,
)
from .result import Source

__all__ = ["extract_sources"]


# --------------------------------------------------------------------------
# Character classes and the name pattern
# --------------------------------------------------------------------------


def _char_class(predicate) -> str:
    """A regex character-class body for the Latin/Greek/Cyrillic letters that
    satisfy `predicate`, compressed into ranges."""
    blocks = ((0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x52F), (0x1E00, 0x1EFF))
    points = [cp for lo, hi in blocks for cp in range(lo, hi + 1) if predicate(chr(cp))]
    parts: list[str] = []
    start = prev = points[0]
    for cp in points[1:] + [-1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(
            re.escape(chr(start))
            if start == prev
            else f"{re.escape(chr(start))}-{re.escape(chr(prev))}"
        )
        start = prev = cp
    return "".join(parts)


_UP = f"[{_char_class(lambda c: c.isupper() or c.istitle())}]"
_L = r"[^\W\d_]"  # any letter
_APOS = "’'"


# A capitalised name word: "Zhovtis", "Self-Governance", "O’Brien", "al-Assad",
# "d’Estaing"; never swallows a possessive "’s".  Also initials ("J.", "J.K.")
# and abbreviated honorifics ("Dr.").
def _alternation(words: frozenset[str]) -> str:
    """A regex group matching any of `words`, longest first."""
    return "(?:" + "|".join(sorted(map(re.escape, words), key=lambda w: (-len(w), w))) + ")"


_HONORIFIC = rf"{_alternation(HONORIFIC_ABBREVIATIONS)}\."
_INITIALS = rf"{_UP}\.(?:-?{_UP}\.)*+(?= )"
_PREFIX = _alternation(SURNAME_PREFIXES)
_PLAIN = (
    rf"(?:{_PREFIX}[-{_APOS}])?{_UP}"
    rf"(?:{_L}|-(?={_L})|[{_APOS}](?!s\b)(?={_L}))*+"
)
_WORD = rf"(?:{_HONORIFIC}|{_INITIALS}|{_PLAIN})"
# Lower-case particles allowed between name words: "Maria van der Berg".
_PARTICLE = _alternation(NAME_PARTICLES)
# A run of capitalised words; the possessive loop keeps it linear.
_RUN_RE = re.compile(rf"(?<![\w{_APOS}\-.]){_WORD}(?: (?:{_PARTICLE} ){{0,2}}{_WORD})*+")
_PARTICLES = NAME_PARTICLES
_SURNAME_PREFIX_RE = re.compile(rf"{_PREFIX}[-{_APOS}](?={_UP})")


# --------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------

_MONTHS = " ".join(MONTH_NUMBERS)
_NAME_MONTHS = frozenset(("may", "june", "april", "august"))
_WEEKDAYS = " ".join(WEEKDAYS)

# Words that can open a capitalised run without being part of a name
# ("Despite Duvanov’s …", "The Almaty …", "On December 16 …").  Anywhere
# later in a run they disqualify it ("Reporters Without Borders").
_LEADING_STOP = frozenset(
    (
        "the a an this that these those in at on for but and or nor as while "
        "when whenever after before despite according however meanwhile if "
        "although though since officially last next he she they we it i you "
        "his her their our its my your there here then now yesterday today "
        "tomorrow also even still so because unlike like with without by from "
        "to of under over during among between both neither either many some "
        "most all each every no not only speaking asked interviewed writing "
        "instead earlier later recently indeed moreover furthermore "
        "nevertheless nonetheless thus hence therefore already perhaps maybe "
        "until once where what which who whom whose why how whereas whether "
        "unless yet again overall initially finally eventually besides "
        "otherwise elsewhere inside outside across behind beyond above below "
        "near around against into onto upon toward towards via per than "
        "wherever whoever whatever nobody everybody everyone someone anyone "
        "nothing everything something anything one two three four five six "
        "seven eight nine ten dear please thank thanks yes okay ok see "
        "spring summer autumn winter fall "
    ).split()
    + _MONTHS.split()
    + _WEEKDAYS.split()
)

# Honorifics: dropped from the front of a name, not used as a description.
_HONORIFICS = frozenset(
    {h.casefold() for h in HONORIFIC_ABBREVIATIONS}
    | {f"{h.casefold()}." for h in HONORIFIC_ABBREVIATIONS}
    | {"miss", "sir", "dame", "madam"}
)

# Capitalised titles and roles written in front of a name ("Lawyer Anar
# Mehdiyev", "Prime Minister Karim Massimov"): they become the description.
_TITLES = frozenset(
    (
        "president vice prime minister deputy former acting chief senior "
        "first foreign interior justice defence defense finance economy "
        "health education general colonel captain major lieutenant sergeant "
        "commander admiral marshal judge justice prosecutor senator governor "
        "mayor ambassador envoy consul professor imam mullah bishop "
        "archbishop patriarch rabbi pastor lawyer attorney advocate "
        "journalist reporter correspondent editor activist analyst expert "
        "economist commentator blogger writer poet director chairman "
        "chairwoman chairperson chair spokesman spokeswoman spokesperson mp "
        "ombudsman dissident opposition labour labor human rights student "
        "pensioner teacher doctor farmer businessman businesswoman "
        "entrepreneur engineer researcher scholar historian academic "
        "sociologist political scientist psychologist lecturer nurse "
        "photographer filmmaker artist musician singer cleric official "
        "diplomat candidate councillor councilor deputy-head head veteran "
        "detective inspector officer constable sheriff king queen prince "
        "princess emir sultan khan president-elect co-founder founder "
        "organiser organizer coordinator secretary secretary-general "
        "director-general representative delegate"
    ).split()
)

# Titles that are also given names or adjectives: they need a full name
# after them ("Judge Sarsenova" may be a surname pair).
_AMBIGUOUS_TITLES = frozenset(
    (
        "major king prince princess queen judge marshal chair head first "
        "human rights labour labor opposition political health education "
        "justice interior foreign finance economy defence defense senior "
        "acting former vice deputy chief prime general captain"
    ).split()
)
_MAX_RUN = 12  # capitalised words; a longer run is a headline, not a name

# Words that never belong to a person's name: institutions, places, media,
# calendar words.  A run containing one is not a person.
_NON_NAME = frozenset(
    (
        "ministry ministries party parties bureau institute institution court "
        "courts government committee union council office police agency "
        "department commission foundation fund association centre center "
        "organisation organization society service services assembly "
        "parliament senate bank company corporation corp inc ltd llc group "
        "network movement front alliance league federation republic state "
        "states kingdom emirate university college school academy hospital "
        "clinic press news times post radio television tv club forum board "
        "authority authorities administration embassy mission nations united "
        "army forces guard security church mosque cathedral temple unit "
        "project initiative campaign programme program coalition trust "
        "congress cabinet duma majlis mazhilis kenesh kurultai chamber "
        "tribunal prison colony region province oblast district city town "
        "village street square avenue road lake river mountains mountain sea "
        "ocean valley desert asia europe africa america americas central "
        "north south east west northern southern eastern western middle "
        "rights watch international human rule national federal islamic "
        "democratic social socialist communist liberal republican world "
        "global media journal gazette daily weekly review magazine herald "
        "tribune agency channel trial airport station museum theatre theater "
        "house palace bazaar market factory oil gas "
        "energy holding holdings industries limited partners airlines "
        "railway railways dam canal pipeline spring summer autumn winter "
        "week year month century era revolution war crisis "
        "treaty accord agreement act code constitution olympics cup "
        "championship festival prize award"
    ).split()
    + [m for m in _MONTHS.split() if m not in _NAME_MONTHS]
    + _WEEKDAYS.split()
)
# Inside a run a stop word rules it out, except the months that are also
# names ("Theresa May", "June Carter"); at its start they are dropped.
_INNER_STOP = _LEADING_STOP - _NAME_MONTHS

# Nouns that, written just before a capitalised name, say the name is not a
# person ("the independent weekly Dala Zhany", "opposition party Alga").
_ORG_HEADS = frozenset(
    (
        "newspaper paper weekly daily tabloid magazine journal outlet website "
        "site portal channel broadcaster station agency party group movement "
        "organisation organization company firm bank union village town city "
        "region district province river street square club band programme "
        "program project initiative campaign festival fund foundation "
        "institute ministry committee council court prison colony newspaper’s"
    ).split()
)

# Role nouns recognised by spelling, for the word just before a name.
_ROLE_NOUNS = frozenset(
    (
        "head chief deputy official expert veteran elder figure witness "
        "victim colleague friend relative wife husband son daughter brother "
        "sister mother father uncle aunt cousin neighbour neighbor nurse "
        "judge envoy aide mp chair boss guard cleric imam mullah priest monk "
        "nun poet scholar diplomat academic attorney advocate delegate "
        "candidate citizen person native secretary representative executive "
        "detective captive operative emissary dignitary missionary "
        "functionary activist analyst pundit student pensioner hero critic "
        "chef captain general colonel major sergeant lieutenant marshal "
        "widow widower fiancée fiancé partner graduate ally rival opponent "
        "mayor pilot driver nanny housewife mp."
    ).split()
)
_NOT_ROLE = frozenset(
    "government parliament movement department agreement statement "
    "management development environment equipment moment event content "
    "element comment argument payment treatment punishment settlement "
    "investment employment unemployment judgment judgement achievement "
    "announcement assessment document monument percent accident incident "
    "intent extent consent present recent current different independent "
    "urgent violent silent ancient efficient sufficient evident frequent "
    "prominent permanent apparent relevant significant important "
    "constant distant giant plant want grant pleasant vacant instant "
    "restaurant dominant brilliant other under over after never ever "
    "either neither whether rather together later earlier former power "
    "matter border water paper newspaper letter number order corner "
    "summer winter september october november december prior minor error "
    "floor door colour color labour labor honour favour behaviour "
    "behavior terror horror mirror motor sector factor vector interior "
    "exterior superior inferior her per for or nor their your our four "
    "poor human german roman barrier frontier easier heavier member’s "
    "answer offer cover centre center theatre theater meter metre "
    "register chapter quarter dinner river tower hour flour corridor "
    "mayor’s".split()
)
_ROLE_SUFFIXES = (
    "ist",
    "yst",
    "er",
    "or",
    "ian",
    "man",
    "woman",
    "men",
    "women",
    "person",
    "ant",
    "ent",
    "eer",
    "ee",
    "eur",
    "ier",
    "ess",
)

# Words that end a role phrase read backwards from a name.
_DESC_STOP = frozenset(
    (
        "the a an this that these those he she it they we i you his her its "
        "their our my your him them us me who whom whose which what to by "
        "with for from in on at as into onto upon about against between "
        "among amongst through during without within under over after "
        "before since until till than via per toward towards across behind "
        "beyond near around like unlike including except despite but or nor "
        "so yet because although though while whereas if unless when "
        "whenever where wherever whether is are was were be been being am "
        "has have had do does did will would can could shall should may "
        "might must got get gets also not only just even still then now "
        "there here too very more most less least already again both either "
        "neither all some any many much few several each every other another "
        "such according said says say told tells tell added adds noted notes "
        "explained explains argued argues warned warns stated states insisted "
        "insists recalled recalls agreed agrees claimed claims believes "
        "believed thinks commented observed remarked replied asked asks "
        "continued concluded stressed suggested conceded admitted "
        "acknowledged complained alleged maintained predicted declared "
        "announced wrote writes urged confirmed denied described cited led "
        "met meet meeting called named case took gave sent saw hit beat put "
        "let brought caught kept left found made became knew thought heard "
        "sought fought won lost paid spent sold shot struck threw chose drove "
        "fled"
    ).split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your and or "
    "one two three another".split()
)
_CONNECTORS = frozenset(("and", "of", "or", "&"))

# An appositive or trailing phrase starting with one of these is not a
# description ("Nurgazieva, who had helped …", "Zhovtis, however, said").
_NON_DESC_START = frozenset(
    (
        "who whom whose which that speaking interviewed contacted reached "
        "asked when while after before in at on however too also meanwhile "
        "though although himself herself themselves for like but and or so "
        "then now yes no not he she it they we i this these those there here "
        "as if because since until already still again perhaps moreover "
        "indeed nevertheless instead therefore thus whom citing quoted "
        "according with without by to"
    ).split()
)
_ARTICLES = frozenset(("a", "an", "the"))
# Where a description's head noun ends ("spokesman for the …").
_HEAD_BREAK = frozenset(
    "of for in at on with from based who which whose that and or to by "
    "near outside inside since".split()
)


# --------------------------------------------------------------------------
# Speech patterns
# --------------------------------------------------------------------------

_VERBS = (
    r"(?:said|says|told|tells|added|adds|noted|notes|explained|explains"
    r"|argued|argues|warned|warns|stated|states|insisted|insists|recalled"
    r"|recalls|agreed|agrees|claimed|claims|believes|believed|thinks|feels"
    r"|commented|comments|observed|observes|remarked|remarks|replied"
    r"|replies|responded|responds|answered|answers|asked|asks|continued"
    r"|continues|concluded|concludes|emphasised|emphasized|emphasises"
    r"|emphasizes|stressed|stresses|suggested|suggests|conceded|concedes"
    r"|admitted|admits|acknowledged|acknowledges|complained|complains"
    r"|alleged|alleges|maintained|maintains|predicted|predicts|contended"
    r"|contends|asserted|asserts|declared|declares|announced|announces"
    r"|wrote|writes|estimated|estimates|cautioned|cautions|urged|urges"
    r"|confirmed|confirms|denied|denies|described|describes|recounted"
    r"|recounts|countered|counters|objected|objects|disagreed|disagrees"
    r"|reported|reports|testified|testifies|pointed out|points out"
    r"|went on|goes on|spoke to|speaks to|summed up|sums up)"
)
_ADVERBS = (
    r"(?:[a-z]+ly|also|later|then|has|had|have|would|will|could|may|might"
    r"|previously|recently|earlier|further|still|again|once|even|too|now"
    r"|subsequently)"
)
_PUNCT = '[,;:.!?“”"()\\[\\]]'
_NOT_PUNCT = '[^,;:.!?“”"()\\[\\]]'

# After a name: optional ", APPOSITIVE," or ", who", then up to two adverbs,
# then a speech verb.
_AFTER_RE = re.compile(
    rf"(?:, ?(?P<app>{_NOT_PUNCT}{{1,300}}+),|, who)?"
    rf" (?:{_ADVERBS} ){{0,2}}+(?P<verb>{_VERBS})\b"
)
# Verbs that also take an ordinary object: "Kozlov denied the charges",
# "continued to lead the party", "wrote a letter", "observed the trial".
# After a name they report words only when a clause, a colon or a quote
# follows (see `_reports_words`).
_OBJECT_VERBS = frozenset(
    (
        "denied denies confirmed confirms announced announces described "
        "describes reported reports admitted admits acknowledged "
        "acknowledges continued continues maintained maintains wrote writes "
        "answered answers asked asks declared declares claimed claims "
        "observed observes agreed agrees concluded concludes"
    ).split()
    + ["went on", "goes on"]
)
# Words that show a reported clause follows such a verb ("denied that …",
# "admitted he had …", "described the trial as …").
_CLAUSE_WORDS = frozenset(
    (
        "that how why what whether if as is are was were be been had has "
        "have would will could can should might must did does do"
    ).split()
)
# A pronoun right after the verb opens a clause too ("admitted he lied").
_CLAUSE_SUBJECTS = frozenset("he she they we i it this there".split())
# The verbs of an inverted attribution ("…, said Duvanov."), written once for
# `_INVERTED_VERBS`, `_INVERTED` and `_SPEECH_HINT_RE`.
_INVERTED_WORDS = (
    "said says added adds noted explained argued warned insisted recalled "
    "claimed commented observed remarked replied asked continued concluded "
    "stressed suggested admitted conceded complained wrote"
).split()
_INVERTED = frozenset(_INVERTED_WORDS)
_INVERTED_VERBS = f"(?:{'|'.join(_INVERTED_WORDS)})"
_INVERTED_VERB_RE = re.compile(rf"{_INVERTED_VERBS}\Z")
# Before a name (or before the role phrase in front of it): an inverted
# speech verb after a quote or comma ("…,” said X"), or "according to".
_PRE_VERB_RE = re.compile(rf"(?:[,;:”\"’—–…] ?{_INVERTED_VERBS}|\b[Aa]ccording to(?: the)?) \Z")
# Cheap test for a speech verb shortly before a lone surname.
_SPEECH_HINT_RE = re.compile(rf"\b(?:{'|'.join(_INVERTED_WORDS)}|according)\b")
_ACCORDING_RE = re.compile(r"[Aa]ccording to(?: the)? \Z")
# What may follow the name in "said X": the end of the clause.
_PRE_VERB_END_RE = re.compile(rf" ?(?:{_PUNCT}|’(?!s\b)|\Z| who\b)")
# "said X, DESCRIPTION." / "according to X, DESCRIPTION,".
_POST_DESC_RE = re.compile(rf", ?(?P<d>{_NOT_PUNCT}{{1,300}}+)(?P<end>{_PUNCT}|\Z)")
# A name that is the object of a preposition or participle is not the speaker:
# "the wife of Pavel Shumkin said", "a lawyer representing X said", "friends
# of jailed activist X told IWPR" (the participle is not in the role phrase).
_OBJECT_BEFORE_RE = re.compile(
    r"\b(?:of|for|by|with|against|to|about|on|behalf of|than|like|between"
    r"|among|from|representing|defending|including|quoting|citing|accusing"
    r"|supporting|involving|regarding|concerning|interviewing|visiting"
    r"|arresting|detaining|charging|sentencing|naming|blaming|criticising"
    r"|criticizing|praising)(?: the| a| an)?(?: [a-z]{3,}ed)? \Z"
)
# The words of `_OBJECT_BEFORE_RE` that `_pre_words` can take into a role
# phrase ("wife of activist", "lawyer representing activist"): the name is
# their object, and only the words after them describe it.
_OBJECT_WORDS = frozenset(
    (
        "of representing defending including quoting citing accusing "
        "supporting involving regarding concerning interviewing visiting "
        "arresting detaining charging sentencing naming blaming criticising "
        "criticizing praising"
    ).split()
)
_TOKEN_RE = re.compile(rf"[\w{_APOS}\-]+")
# A speech attribution to a pronoun: "“…,” she said", "He told IWPR that …",
# "“…,” said she."  The speaker is then the person last named in the
# paragraph before (see `_pronoun_speaker`).
_PRONOUN_SPEECH_RE = re.compile(
    rf"\b(?:[Hh]e|[Ss]he) (?:{_ADVERBS} ){{0,2}}+(?P<verb>{_VERBS})\b"
    rf"|[,;:”\"’—–…] ?(?P<inv>{_INVERTED_VERBS}) (?:he|she)\b(?=[.,;:!?]|\Z)"
)
# Quoted words and asides ("(See Kazakstan’s Politicised Labour Disputes.)"):
# names in them are not the people the narrative introduces.  A quotation
# still open at the end of the paragraph runs to its end.
_ASIDE_RE = re.compile(r"“[^“”]*+(?:”|\Z)|\"[^\"]*+(?:\"|\Z)|\([^()]*+\)")


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Single ordinary spaces (U+00A0 and line breaks included)."""
    return " ".join(text.split())


def _bare(word: str) -> str:
    """A word without a trailing possessive or punctuation, case-folded."""
    word = word.casefold().rstrip(".,;:")
    for tail in ("’s", "'s", "’", "'"):
        if word.endswith(tail):
            return word[: -len(tail)]
    return word


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper() and not word.endswith(".")


def _role_like(word: str) -> bool:
    w = _bare(word)
    if not w or w in _NOT_ROLE:
        return False
    if w in _ROLE_NOUNS or w in _TITLES:
        return True
    return w.endswith(_ROLE_SUFFIXES) and len(w) > 3


def _head_is_role(desc: str) -> bool:
    """Whether the head noun of a description ("spokesman" in "spokesman for
    the state power company") is a role."""
    head = ""
    for word in desc.split(" "):
        low = _bare(word)
        if low in _HEAD_BREAK or (low in _DESC_STOP and low not in _ARTICLES):
            break
        head = word
    return bool(head) and _role_like(head)


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance between `a` and `b` is exactly one."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _misspelling(seen: str, known: str) -> bool:
    """`seen` is `known` misspelt by one letter.  Short names, a different
    first letter and the Slavic feminine form (Duvanov/Duvanova) do not
    count."""
    s, k = seen.casefold(), known.casefold()
    if min(len(s), len(k)) < 5 or s[0] != k[0]:
        return False
    if s == k + "a" or k == s + "a":
        return False
    return _within_one_edit(s, k)


def _clean_description(text: str) -> str:
    """Strip a leading article ("a lawyer" → "lawyer"), but keep "the" before
    a possessive ("the paper’s deputy editor")."""
    desc = _norm(text).strip(" ,;:")
    words = desc.split(" ")
    if words and words[0].casefold() in _ARTICLES:
        nxt = words[1] if len(words) > 1 else ""
        possessive = nxt.endswith(("’s", "'s", "s’", "s'"))
        if not (words[0].casefold() == "the" and possessive):
            words = words[1:]
    return " ".join(words)


def _trailing_description(text: str) -> str:
    """A description written after a comma, or "" when the phrase is a
    clause rather than a description."""
    text = text.strip()
    if not text or not text[0].islower():
        return ""
    words = text.split(" ")
    first = words[0].casefold()
    if first in _NON_DESC_START:
        return ""
    if first not in _ARTICLES and first.endswith("ing"):
        return ""  # "adding that …", "referring to …"
    return _clean_description(text)


# --------------------------------------------------------------------------
# Reading one name run
# --------------------------------------------------------------------------


@dataclass
class _Occurrence:
    words: tuple[str, ...]  # the name as written, particles included
    pos: tuple[int, int]  # (paragraph, offset): the reading order
    speech: bool
    description: str
    via_after: bool = False  # speech detected from a following verb
    listed: bool = False  # shares the verb of the next name in a list
    single: bool = False  # a lone surname
    start: int = 0  # where the name and its role phrase begin
    end: int = 0
    # A mention in an object position ("the trial of X", "X’s lawyer"): never
    # the speaker a later pronoun refers to.
    obj: bool = False


@dataclass
class _Named:
    """A name in a paragraph, for resolving a pronoun attribution: a
    recognised occurrence, or a lone capitalised word that may be the
    surname of someone in the story."""

    start: int
    occ: _Occurrence | None
    word: str
    obj: bool
    aside: bool  # inside a quotation or parentheses


def _object_mention(text: str, before: str, pre: list[str], end: int) -> bool:
    """Whether a name is mentioned as an object: after a preposition ("the
    trial of X", "supporters of jailed activist X"), inside a role phrase
    with "of" ("the trial of activist X": the phrase ends in a role noun, so
    X is what follows "of"), or as a possessive ("X’s lawyer")."""
    return (
        _OBJECT_BEFORE_RE.search(before) is not None
        or any(w.casefold() == "of" for w in pre)
        or text.startswith(tuple(_APOS), end)
    )


def _after_object_word(pre: list[str]) -> list[str]:
    """The role phrase after its last object word: "wife of activist" →
    "activist", so that the text before the phrase ends in "of"."""
    for i in range(len(pre) - 1, -1, -1):
        if pre[i].casefold() in _OBJECT_WORDS:
            return pre[i + 1 :]
    return pre


def _is_title(low: str, core_after: int) -> bool:
    if core_after < 1:
        return False
    if low in _TITLES:
        return core_after >= 2 or low not in _AMBIGUOUS_TITLES
    return core_after >= 2 and low.endswith(("ist", "yst")) and len(low) > 4


def _split_run(run: str) -> tuple[list[str], list[str]] | None:
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
    i = 0
    while i < len(words):
        low = words[i].casefold()
        if low in _HONORIFICS or low in _LEADING_STOP:
            i += 1
            continue
        break
    words = words[i:]
    # The last word that cannot belong to the name; what follows is the name.
    core_after = 0
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if w in _PARTICLES:
            continue
        low = w.casefold()
        if _is_title(low, core_after) or low in _HONORIFICS:
            titles = [t for t in words[: k + 1] if t.casefold() not in _HONORIFICS]
            if any(t.casefold() in _LEADING_STOP for t in titles):
                return None
            break
        if low in _NON_NAME or low in _INNER_STOP or _is_acronym(w):
            return None
        core_after += 1
    else:
        k = -1
        titles = []
    name = words[k + 1 :]
    if not 1 <= core_after <= 4:
        return None
    return titles, name


def _sentence_start(tokens: list[str], j: int, lo: int) -> bool:
    """Whether `tokens[j]` opens a sentence (`lo` is where the tokens were
    cut from the text; 0 means they start with it)."""
    if j == 0:
        return lo == 0
    return tokens[j - 1].rstrip("”\"’')").endswith((".", "!", "?"))


def _pre_words(text: str, start: int) -> list[str]:
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
        if not tok or not _TOKEN_RE.fullmatch(tok):
            break
        low = tok.casefold()
        if low in _DESC_STOP:
            break
        if low.endswith("ed") and len(low) > 4 and "-" not in low:
            # "jailed journalist X" but not "Police detained journalist X":
            # a past participle opens the phrase only after a determiner or
            # a boundary, otherwise it is the verb of a clause.
            prev = tokens[j - 1].casefold() if j > 0 else ""
            if j > 0 and prev and prev not in _DETERMINERS and (_TOKEN_RE.fullmatch(prev)):
                break
            words.append(tok)
            break
        if not tok[0].islower() and not tok[0].isdigit():
            # A capitalised word ("Labour", "Kazak", "IWPR’s") qualifies a
            # role noun that follows it; it never sits next to the name.
            if not words:
                break
            if words[-1].casefold() in _CONNECTORS:
                # "Journalist and political commentator X" opens a sentence:
                # the capitalised role is written so only because it is first.
                if _sentence_start(tokens, j, lo) and _role_like(tok):
                    words.append(tok)
                break
            if not words[-1][0].islower() and (low not in _NON_NAME or low in _LEADING_STOP):
                break  # only institution words chain: "Human Rights lawyer"
        words.append(tok)
        if len(words) >= 8:
            break
    words.reverse()
    while words and words[0].casefold() in _CONNECTORS:
        words.pop(0)
    return words


_CLAUSE_STOP_RE = re.compile(r"[,;:.!?“”\"()\[\]—–…]")


def _clause_follows(text: str, pos: int) -> bool:
    """Whether what follows a verb at `pos` is reported speech (a clause, a
    colon, a quote) rather than a plain object ("denied the charges")."""
    if pos >= len(text) or text[pos] != " ":
        return True  # "…,” Kozlov confirmed.  /  "Kozlov denied: …"
    stop = _CLAUSE_STOP_RE.search(text, pos, pos + 200)
    limit = stop.start() if stop else min(len(text), pos + 200)
    words = text[pos + 1 : limit].split(" ")
    if words[0].casefold() in _CLAUSE_SUBJECTS:
        return True
    for word in words:
        low = word.casefold()
        if low in _CLAUSE_WORDS or low.endswith(("n’t", "n't")):
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
        if not (k == 0 and low in _ARTICLES) and (
            low in _DESC_STOP or not _TOKEN_RE.fullmatch(low)
        ):
            return False
        start += len(tokens[k]) + 1
        k += 1
    if k and not _role_like(tokens[k - 1]):
        return False
    run = _RUN_RE.match(text, start)
    if run is None or _split_run(run.group()) is None:
        return False
    end = run.end()
    if end == len(text) or text[end] in ".;!?)":
        return True
    post = _POST_DESC_RE.match(text, end)  # "said Duvanov, a journalist."
    return bool(post and post.group("end") in (".", "") and _trailing_description(post.group("d")))


def _reports_words(text: str, after: re.Match) -> bool:
    """Whether the verb `_AFTER_RE` found after a name reports that person's
    words; a person merely mentioned is never a source."""
    verb = after.group("verb")
    if verb in _INVERTED and _speaker_follows(text, after.end()):
        return False
    return verb not in _OBJECT_VERBS or _clause_follows(text, after.end())


class _Reader:
    """Finds the name occurrences in one paragraph."""

    __slots__ = ("text", "index", "found", "lone", "_asides")

    def __init__(self, text: str, index: int):
        self.text = text
        self.index = index
        self.found: list[_Occurrence] = []
        self.lone: list[tuple[int, int]] = []  # lone words not read as names
        self._asides: tuple[list[int], list[int]] | None = None

    def in_aside(self, pos: int) -> bool:
        """Whether `pos` is inside a quotation or parentheses."""
        if self._asides is None:
            spans = [a.span() for a in _ASIDE_RE.finditer(self.text)]
            self._asides = ([lo for lo, _ in spans], [hi for _, hi in spans])
        starts, ends = self._asides
        i = bisect_right(starts, pos) - 1
        return i >= 0 and starts[i] < pos < ends[i]

    def occurrences(self) -> Iterable[_Occurrence]:
        text = self.text
        found: list[_Occurrence] = []
        for match in _RUN_RE.finditer(text):
            run = match.group()
            if " " not in run:
                # A lone capitalised word matters only as a quoted surname.
                start, end = match.span()
                if (
                    _AFTER_RE.match(text, end) is None
                    and not text.startswith((" and ", ", "), end)
                    and _SPEECH_HINT_RE.search(text, max(0, start - 120), start) is None
                ):
                    self.lone.append((start, end))
                    continue
            split = _split_run(run)
            if split is None:
                continue
            titles, name = split
            # Where the name itself starts inside the run.
            name_start = match.end() - len(" ".join(name))
            occ = self._read(match.start(), name_start, match.end(), titles, name)
            if occ is not None:
                found.append(occ)
        # "Duvanov and Zhovtis said", "Duvanov, Zhovtis and Shumkin said":
        # the names listed before the speaker share the verb.
        for i in range(len(found) - 2, -1, -1):
            occ, nxt = found[i], found[i + 1]
            if occ.speech or not nxt.speech:
                continue
            if (
                nxt.via_after and occ.end + 5 == nxt.start and text.startswith(" and ", occ.end)
            ) or (nxt.listed and occ.end + 2 == nxt.start and text.startswith(", ", occ.end)):
                occ.speech = occ.listed = True
        self.found = [occ for occ in found if occ.speech or not occ.single]
        return self.found

    def pronoun_at(self) -> int | None:
        """Where the paragraph's first pronoun attribution outside quotation
        marks starts ("“…,” she said"), or None."""
        text = self.text
        for match in _PRONOUN_SPEECH_RE.finditer(text):
            start = match.start("inv") if match.group("inv") else match.start()
            if self.in_aside(start):
                continue
            verb = match.group("verb")
            if verb in _OBJECT_VERBS and not _clause_follows(text, match.end()):
                continue  # "she denied the charges"
            return start
        return None

    def named(self) -> list[_Named]:
        """Every name in the paragraph, recognised or lone, in reading order."""
        text = self.text
        aside = self.in_aside
        names = [
            _Named(
                occ.pos[1],
                occ,
                next((w for w in occ.words if w not in _PARTICLES), "") if occ.single else "",
                occ.obj,
                aside(occ.pos[1]),
            )
            for occ in self.found
        ]
        for start, end in self.lone:
            split = _split_run(text[start:end])
            if split is None or len(split[1]) != 1:
                continue
            pre = _pre_words(text, start)
            if pre and _bare(pre[-1]) in _ORG_HEADS:
                continue
            if pre and not _role_like(pre[-1]):
                pre = []
            pre = _after_object_word(pre)
            desc_start = start - (len(" ".join(pre)) + 1 if pre else 0)
            before = text[max(0, desc_start - 40) : desc_start]
            obj = _object_mention(text, before, pre, end)
            names.append(_Named(start, None, split[1][0], obj, aside(start)))
        names.sort(key=lambda n: n.start)
        return names

    def _read(
        self,
        run_start: int,
        name_start: int,
        end: int,
        titles: list[str],
        name: list[str],
    ) -> _Occurrence | None:
        text = self.text
        single = sum(1 for w in name if w not in _PARTICLES) == 1

        after = _AFTER_RE.match(text, end)
        if after is not None and not _reports_words(text, after):
            after = None  # "Kozlov, leader of Alga, denied the charges"
        # The role phrase in front of the run.
        pre = _pre_words(text, run_start)
        if pre and not titles:
            if _bare(pre[-1]) in _ORG_HEADS:
                return None  # "the independent weekly Dala Zhany"
            if not _role_like(pre[-1]):
                pre = []
            # "the wife of activist X said": X is a mention, not the speaker.
            pre = _after_object_word(pre)
        desc_words = pre + titles
        desc_start = run_start - (len(" ".join(pre)) + 1 if pre else 0)
        before = text[max(0, desc_start - 40) : desc_start]

        speech = False
        via_after = False
        description = ""
        if after is not None and not _OBJECT_BEFORE_RE.search(before):
            speech = via_after = True
            app = after.group("app")
            if app:
                description = _trailing_description(app)
        elif _PRE_VERB_RE.search(before):
            according = _ACCORDING_RE.search(before) is not None
            if according or _PRE_VERB_END_RE.match(text, end):
                speech = True
                post = _POST_DESC_RE.match(text, end)
                if post:
                    desc = _trailing_description(post.group("d"))
                    if according and (post.group("end") != "," or not _head_is_role(desc)):
                        desc = ""  # "according to X, the authorities …"
                    description = desc
        elif not single:
            # A mention: remember an appositive description for later.
            post = _POST_DESC_RE.match(text, end)
            if post and post.group("end") == ",":
                desc = _trailing_description(post.group("d"))
                if desc and _head_is_role(desc):
                    description = desc

        if desc_words:
            description = " ".join(desc_words)
        obj = not speech and _object_mention(text, before, pre, end)
        return _Occurrence(
            words=tuple(name),
            pos=(self.index, name_start),
            speech=speech,
            description=description,
            via_after=via_after,
            single=single,
            start=desc_start,
            end=end,
            obj=obj,
        )


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------


@dataclass
class _Person:
    name: str
    first: str
    last: str
    excluded: bool = False
    first_seen: tuple[int, int] | None = None
    last_seen: tuple[int, int] = (-1, -1)
    quoted: bool = False
    description: str = ""
    aliases: list[str] = field(default_factory=list)

    def note_alias(self, spelling: str) -> None:
        if spelling != self.name and spelling != self.last and (spelling not in self.aliases):
            self.aliases.append(spelling)


def _surname_keys(word: str) -> tuple[str, ...]:
    """ "al-Assad" is found as "al-Assad" and as "Assad"."""
    key = word.casefold()
    bare = _SURNAME_PREFIX_RE.sub("", word, count=1).casefold()
    return (key,) if bare == key else (key, bare)


def _deletions(word: str) -> set[str]:
    """`word` and every spelling of it with one letter left out: two words
    within one edit of each other share at least one of these keys."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


_MAX_CANDIDATES = 16  # bounds the work for pathological input


class _Registry:
    """The people of one story, indexed so that every look-up is cheap."""

    def __init__(self) -> None:
        self.people: list[_Person] = []
        self.by_name: dict[str, _Person] = {}
        self.by_surname: dict[str, list[_Person]] = {}
        self.near: dict[str, list[_Person]] = {}  # deletion keys → people
        self.latest: dict[str, _Person] = {}  # surname → last one mentioned

    def add(self, words: Sequence[str], *, excluded: bool = False) -> _Person:
        core = [w for w in words if w not in _PARTICLES] or list(words)
        person = _Person(name=" ".join(words), first=core[0], last=core[-1], excluded=excluded)
        self.people.append(person)
        self.by_name.setdefault(person.name.casefold(), person)
        for key in _surname_keys(person.last):
            self.by_surname.setdefault(key, []).append(person)
            for near in _deletions(key):
                bucket = self.near.setdefault(near, [])
                if len(bucket) < _MAX_CANDIDATES:
                    bucket.append(person)
        return person

    def seen(self, person: _Person, pos: tuple[int, int]) -> None:
        if person.first_seen is None:
            person.first_seen = pos
        person.last_seen = pos
        for key in _surname_keys(person.last):
            self.latest[key] = person

    def _near(self, word: str) -> list[_Person]:
        found: dict[int, _Person] = {}
        for key in _deletions(word.casefold()):
            for person in self.near.get(key, ()):
                found.setdefault(id(person), person)
        return list(found.values())

    @staticmethod
    def _latest(candidates: Iterable[_Person]) -> _Person | None:
        best = None
        for person in candidates:
            if best is None or person.last_seen > best.last_seen:
                best = person
        return best

    def match_full(self, words: Sequence[str]) -> tuple[_Person | None, bool]:
        """The person a full name refers to, and whether it is a variant
        spelling."""
        spelling = " ".join(words)
        person = self.by_name.get(spelling.casefold())
        if person is not None:
            return person, person.name != spelling
        core = [w for w in words if w not in _PARTICLES]
        first, last = core[0], core[-1]
        ffirst = first.casefold()
        middle = core[1].casefold() if len(core) > 2 else None
        same_last = self.by_surname.get(last.casefold(), ())
        for person in same_last[:_MAX_CANDIDATES]:
            pfirst = person.first.casefold()
            if (
                pfirst == ffirst
                or pfirst == middle
                or _misspelling(first, person.first)
                or (first.endswith(".") and pfirst.startswith(ffirst[:-1]))
                or (person.first.endswith(".") and ffirst.startswith(pfirst[:-1]))
            ):
                return person, True
        for person in self._near(last):
            if person.first.casefold() == ffirst and _misspelling(last, person.last):
                return person, True
        return None, False

    def match_single(self, word: str, *, fuzzy: bool = True) -> tuple[_Person | None, bool]:
        """The person a lone surname refers to (the one mentioned last when
        several share it), and whether it is a variant spelling; only exact
        spellings unless `fuzzy`."""
        keys = _surname_keys(word)
        recent = self._latest(self.latest[k] for k in keys if k in self.latest)
        if recent is not None:
            return recent, False
        for key in keys:
            if key in self.by_surname:
                return self.by_surname[key][0], False
        if not fuzzy:
            return None, False
        near = [p for p in self._near(word) if _misspelling(word, p.last)]
        if near:
            return self._latest(near), True
        return None, False


def _exclusions(exclude: Collection[str]) -> list[list[str]]:
    names = []
    for raw in exclude or ():
        if not isinstance(raw, str):
            continue
        words = raw.split()
        if words:
            names.append(words)
    return names


class _Resolver:
    """Who the names of a paragraph refer to, once the story's people are
    known."""

    def __init__(
        self,
        registry: _Registry,
        persons: dict[int, _Person],
        excluded_singles: set[str],
    ):
        self.registry = registry
        self.persons = persons  # id(occurrence) → the person it refers to
        self.excluded_singles = excluded_singles

    def _author(self, person: _Person) -> bool:
        return person.excluded or person.last.casefold() in self.excluded_singles

    def who(self, named: _Named) -> tuple[bool, _Person | None]:
        """Whether `named` names someone, and who, unless it is an author or
        a speaker known only by a surname ("…, said Duvanov.")."""
        if named.word.casefold() in self.excluded_singles:
            return True, None
        if named.occ is not None:
            person = self.persons.get(id(named.occ))
            if person is None:
                return True, None
        else:
            person, _ = self.registry.match_single(named.word, fuzzy=False)
            if person is None:
                return False, None  # "Kazakstan", "Resorting"
        return True, None if self._author(person) else person

    def pronoun_speaker(self, reader: _Reader, prev: _Reader) -> _Person | None:
        """The person a pronoun attribution in `reader`'s paragraph refers to:
        the last one named in the paragraph before, `prev`, when this
        paragraph names nobody before the attribution.  Nobody when that
        person is an author or was only mentioned as an object ("the trial
        of X", "X’s lawyer"); names in quotations and asides are skipped."""
        at = reader.pronoun_at()
        if at is None:
            return None
        for named in reader.named():
            if named.start >= at:
                break
            if self.who(named)[0]:
                return None
        last: tuple[_Named, _Person | None] | None = None
        for named in prev.named():
            if named.aside:
                continue
            found, person = self.who(named)
            if found:
                last = (named, person)
        if last is None or last[0].obj:
            return None
        return last[1]


# --------------------------------------------------------------------------
# The API
# --------------------------------------------------------------------------


def extract_sources(paragraphs: Sequence[str], *, exclude: Collection[str] = ()) -> list[Source]:
    """The people quoted in a story's body paragraphs, in order of first
    appearance, each with the description the story gives them.

    `exclude` holds names that are never sources (the story's authors); their
    surnames alone are excluded too.  Never raises on odd text.
    """
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    occurrences: list[_Occurrence] = []
    readers: list[_Reader] = []
    for index, paragraph in enumerate(paragraphs or ()):
        if not isinstance(paragraph, str) or not paragraph:
            continue
        reader = _Reader(_norm(paragraph), index)
        occurrences.extend(reader.occurrences())
        readers.append(reader)

    registry = _Registry()
    excluded_singles: set[str] = set()
    for words in _exclusions(exclude):
        if len(words) == 1:
            excluded_singles.add(words[0].casefold())
        else:
            registry.add(words, excluded=True)

    # Full names first, in reading order, so that a surname can refer to a
    # person introduced later in the story.
    resolved: list[tuple[_Occurrence, _Person | None, bool]] = []
    for occ in occurrences:
        core = [w for w in occ.words if w not in _PARTICLES]
        if len(core) < 2:
            resolved.append((occ, None, False))
            continue
        person, variant = registry.match_full(occ.words)
        if person is None:
            person = registry.add(occ.words)
            variant = False
        resolved.append((occ, person, variant))

    persons: dict[int, _Person] = {}
    for occ, person, variant in resolved:
        if person is None:
            word = next((w for w in occ.words if w not in _PARTICLES), "")
            if word.casefold() in excluded_singles:
                continue
            person, variant = registry.match_single(word)
            if person is None:
                continue  # a surname nobody in the story carries
        persons[id(occ)] = person
        spelling = " ".join(occ.words)
        if variant:
            person.note_alias(spelling)
        registry.seen(person, occ.pos)
        if occ.speech:
            person.quoted = True
        if occ.description and not person.description:
            person.description = occ.description

    # "For pensioner Zarina Odinaeva, …" then "“…,” she said.": a pronoun
    # quoted in the next paragraph is the person named last.
    resolver = _Resolver(registry, persons, excluded_singles)
    for prev, reader in pairwise(readers):
        person = resolver.pronoun_speaker(reader, prev)
        if person is not None:
            person.quoted = True

    chosen = [
        p
        for p in registry.people
        if p.quoted
        and not p.excluded
        and p.first_seen is not None
        and p.last.casefold() not in excluded_singles
    ]
    chosen.sort(key=lambda p: p.first_seen)
    return [
        Source(name=p.name, description=p.description, aliases=tuple(p.aliases)) for p in chosen
    ]

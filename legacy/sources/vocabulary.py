"""The word lists of quoted-source extraction, as plain data.

Which words cannot be names, which are roles and titles, which verbs report
speech, which words end a description.  Each list holds a word once, in
alphabetical order within its groups; `names` and `attribution` build their
regular expressions from these sets with `alternation`.  Calendar words,
name particles and honorifics shared with the parser live in
`legacy.lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from legacy.lexicon import HONORIFIC_ABBREVIATIONS, MONTH_NUMBERS, WEEKDAYS


def _words(text: str) -> frozenset[str]:
    """The white-space separated words of `text`."""
    return frozenset(text.split())


def alternation(words: Iterable[str]) -> str:
    """A regular-expression group matching any of `words`, longest first
    (so that a word is never cut short by a shorter one it starts with)."""
    ordered = sorted(words, key=lambda word: (-len(word), word))
    return "(?:" + "|".join(re.escape(word) for word in ordered) + ")"


MONTH_WORDS = frozenset(MONTH_NUMBERS)  # full and abbreviated
WEEKDAY_WORDS = frozenset(WEEKDAYS)
# Months that are also names ("Theresa May", "June Carter").
NAME_MONTHS = _words("april august june may")
SEASONS = _words("autumn spring summer winter")

# --------------------------------------------------------------------------
# Words that are not names
# --------------------------------------------------------------------------

# Words that can open a capitalised run without being part of a name
# ("Despite Duvanov’s …", "The Almaty …", "On December 16 …").  Anywhere
# later in a run they disqualify it ("Reporters Without Borders").
LEADING_STOP = (
    _words(
        # articles, pronouns and determiners
        """
        a all an both each either every he her his i it its many most my neither no
        one our she some that the their these they this those we you your
        """
    )
    | _words(
        # prepositions and conjunctions
        """
        above according across after against although among and around as at
        because before behind below besides between beyond but by despite during
        for from if in inside into like near nor of on onto or outside over per
        since so than though to toward towards under unless unlike until upon via
        when whenever where whereas wherever whether which while who whoever whom
        whose why with without yet
        """
    )
    | _words(
        # sentence adverbs and time words
        """
        again already also earlier elsewhere even eventually finally
        furthermore hence here however indeed initially instead last later
        maybe meanwhile moreover nevertheless next nonetheless now officially
        once only otherwise overall perhaps recently still then there
        therefore thus today tomorrow yesterday
        """
    )
    | _words(
        # indefinites, numbers, interjections and participles opening a sentence
        """
        anyone anything asked dear eight everybody everyone everything five four
        how interviewed nine nobody not nothing ok okay please see seven six
        someone something speaking ten thank thanks three two what whatever
        writing yes
        """
    )
    | SEASONS
    | {"fall"}
    | MONTH_WORDS
    | WEEKDAY_WORDS
)

# Words that never belong to a person's name: institutions, places, media,
# calendar words.  A run containing one is not a person.
NON_NAME = (
    _words(
        # institutions and organisations
        """
        academy administration agency alliance army assembly association
        authorities authority bank board bureau cabinet campaign chamber church
        club coalition college commission committee company congress corp
        corporation council court courts department duma embassy emirate
        federation forces forum foundation front fund government group guard
        holding holdings hospital inc industries initiative institute
        institution kenesh kurultai league limited llc ltd majlis mazhilis
        ministries ministry mission mosque movement network office organisation
        organization parliament parties partners party police prison program
        programme project republic school security senate service services society
        state states temple tribunal trust union unit university
        """
    )
    | _words(
        # adjectives of institutions' names
        """
        central communist democratic federal global human international islamic
        liberal national republican rights rule social socialist united watch
        world
        """
    )
    | _words(
        # places and buildings
        """
        africa airport america americas asia avenue bazaar canal cathedral center
        centre city clinic colony dam desert district east eastern europe factory
        house kingdom lake market middle mountain mountains museum nations north
        northern oblast ocean palace province region river road sea south southern
        square station street theater theatre town valley village west western
        """
    )
    | _words(
        # media
        """
        channel daily gazette herald journal magazine media news post press radio
        review television times tribune tv weekly
        """
    )
    | _words(
        # industries, events, documents and time
        """
        accord act agreement airlines award century championship code
        constitution crisis cup energy era festival gas month oil olympics
        pipeline prize railway railways revolution treaty trial war week year
        """
    )
    | SEASONS
    | (MONTH_WORDS - NAME_MONTHS)
    | WEEKDAY_WORDS
)
# Inside a run a stop word rules it out, except the months that are also
# names; at its start they are dropped.
INNER_STOP = LEADING_STOP - NAME_MONTHS

# Honorifics: dropped from the front of a name, not used as a description.
HONORIFICS = (
    frozenset(h.casefold() for h in HONORIFIC_ABBREVIATIONS)
    | frozenset(f"{h.casefold()}." for h in HONORIFIC_ABBREVIATIONS)
    | _words("dame madam miss sir")
)

# Nouns that, written just before a capitalised name, say the name is not a
# person ("the independent weekly Dala Zhany", "opposition party Alga").
ORG_HEADS = _words(
    """
    agency band bank broadcaster campaign channel city club colony committee
    company council court daily district festival firm foundation fund group
    initiative institute journal magazine ministry movement newspaper
    newspaper’s organisation organization outlet paper party portal prison
    program programme project province region river site square station street
    tabloid town union village website weekly
    """
)

# --------------------------------------------------------------------------
# Roles and titles
# --------------------------------------------------------------------------

# Capitalised titles and roles written in front of a name ("Lawyer Anar
# Mehdiyev", "Prime Minister Karim Massimov"): they become the description.
TITLES = (
    _words(
        # offices and ranks
        """
        admiral ambassador archbishop bishop captain chair chairman chairperson
        chairwoman chief colonel commander constable consul councillor councilor
        deputy deputy-head detective diplomat director director-general emir
        envoy general governor head imam inspector judge khan king lieutenant
        major marshal mayor minister mp mullah officer official ombudsman pastor
        patriarch president president-elect prime prince princess prosecutor
        queen rabbi secretary secretary-general senator sergeant sheriff
        spokesman spokesperson spokeswoman sultan
        """
    )
    | _words(
        # professions and callings
        """
        academic activist advocate analyst artist attorney blogger businessman
        businesswoman candidate cleric co-founder commentator coordinator
        correspondent delegate dissident doctor economist editor engineer
        entrepreneur expert farmer filmmaker founder historian journalist
        lawyer lecturer musician nurse organiser organizer pensioner
        photographer poet professor psychologist reporter representative
        researcher scholar scientist singer sociologist student teacher veteran
        writer
        """
    )
    | _words(
        # qualifiers of a title ("Foreign Minister", "Human Rights lawyer")
        """
        acting defence defense economy education finance first foreign former
        health human interior justice labor labour opposition political rights
        senior vice
        """
    )
)

# Titles that are also given names or adjectives: they need a full name
# after them ("Judge Sarsenova" may be a surname pair).
AMBIGUOUS_TITLES = _words(
    """
    acting captain chair chief defence defense deputy economy education finance
    first foreign former general head health human interior judge justice king
    labor labour major marshal opposition political prime prince princess queen
    rights senior vice
    """
)

# Role nouns recognised by spelling, for the word just before a name.
ROLE_NOUNS = _words(
    """
    academic activist advocate aide ally analyst attorney boss candidate captain
    captive chair chef chief citizen cleric colleague colonel critic delegate
    deputy detective dignitary diplomat driver elder emissary envoy executive
    expert figure functionary general graduate guard head hero housewife imam
    judge lieutenant major marshal mayor missionary monk mp mp. mullah nanny
    native nun nurse official operative opponent partner pensioner person pilot
    poet priest pundit representative rival scholar secretary sergeant student
    veteran victim witness
    """
) | _words(
    # family
    """
    aunt brother cousin daughter father fiancé fiancée friend husband mother
    neighbor neighbour relative sister son uncle widow widower wife
    """
)

# Endings of role nouns not listed ("columnist", "campaigner", "translator").
ROLE_SUFFIXES = tuple(
    "ant ee eer ent er ess eur ian ier ist man men or person woman women yst".split()
)

# Words with those endings that are no roles.
NOT_ROLE = _words(
    """
    accident achievement after agreement ancient announcement answer apparent
    argument assessment barrier behavior behaviour border brilliant center
    centre chapter color colour comment consent constant content corner
    corridor cover current department development different dinner distant
    document dominant door earlier easier efficient either element employment
    environment equipment error event ever evident extent exterior factor favour
    floor flour for former four frequent frontier german giant government grant
    heavier her honour horror hour human important incident independent inferior
    instant intent interior investment judgement judgment labor labour later
    letter management matter mayor’s member’s meter metre minor mirror moment
    monument motor movement neither never newspaper nor number offer or order
    other our over paper parliament payment per percent permanent plant pleasant
    poor power present prior prominent punishment quarter rather recent register
    relevant restaurant river roman sector settlement significant silent
    statement sufficient summer superior terror theater theatre their together
    tower treatment under unemployment urgent vacant vector violent want water
    whether winter your
    """
) | _words("december november october september")

# --------------------------------------------------------------------------
# Descriptions
# --------------------------------------------------------------------------

ARTICLES = _words("a an the")
POSSESSIVE_DETERMINERS = _words("her his its my our their your")
PERSONAL_PRONOUNS = _words("he him i it me she them they us we you")
RELATIVE_PRONOUNS = _words("that which who whom whose")
# Words that may open a clause before its subject ("But the head of …").
CLAUSE_OPENERS = _words("and but meanwhile yet")
# Words before a past participle that still open a role phrase ("the
# jailed journalist X", "two detained activists").
DETERMINERS = ARTICLES | _words(
    "and another her his its my one or our that their these this those three two your"
)
CONNECTORS = _words("& and of or")

# Verbs that end a role phrase read backwards from a name: speech verbs and
# common past tenses ("… met journalist X").
_DESC_STOP_VERBS = _words(
    """
    acknowledged added adds admitted agreed agrees alleged announced argued
    argues asked asks beat became believed believes brought called caught chose
    cited claimed claims commented complained conceded concluded confirmed
    continued declared denied described drove explained explains fled fought
    found gave get gets got heard hit insisted insists kept knew led left let
    lost made maintained meet meeting met named noted notes observed paid
    predicted put recalled recalls remarked replied said saw say says sent shot
    sold sought spent stated states stressed struck suggested tell tells thinks
    thought threw told took urged warned warns won writes wrote
    """
)
# Verbs and auxiliaries: a phrase with one of them in it is a clause, not a
# description.
VERB_FORMS = _DESC_STOP_VERBS | _words(
    """
    am are be been being can could did do does had has have is may might must
    shall should was were will would
    """
)
# Words that end a role phrase read backwards from a name.
DESC_STOP = (
    _words(
        # articles, pronouns, determiners and quantifiers
        """
        a all an another any both each either every few he her him his i it its
        least less many me more most much my neither other our several she some
        such that the their them these they this those us we what which who whom
        whose you your
        """
    )
    | _words(
        # prepositions and conjunctions
        """
        about according across after against also although among amongst around as at
        because before behind between beyond but by despite during except for
        from if in including into like near nor on onto or over per since so
        than then though through till to toward towards under unless unlike
        until upon via when whenever where whereas wherever whether while with
        within without yet
        """
    )
    | _words(
        # auxiliaries and adverbs
        """
        again already am are be been being can case could did do does even had
        has have here is just may might must not now only shall should still
        there too very was were will would
        """
    )
    | _DESC_STOP_VERBS
)

# An appositive or trailing phrase starting with one of these is not a
# description ("Nurgazieva, who had helped …", "Zhovtis, however, said").
NON_DESC_START = _words(
    """
    according after again already also although and as asked at because before
    but by citing contacted for he here herself himself however i if in indeed
    instead interviewed it like meanwhile moreover nevertheless no not now on or
    perhaps quoted reached she since so speaking still that themselves then
    there therefore these they this those though thus to too until we when
    which while who whom whose with without yes
    """
)
# Where a description's head noun ends ("spokesman for the …").
HEAD_BREAK = _words(
    "and at based by for from in inside near of on or outside since that to which who whose with"
)

# --------------------------------------------------------------------------
# Speech
# --------------------------------------------------------------------------

# Verbs that report words, after the speaker ("Zhovtis said", "Kadyrov told
# IWPR"), in the past and the present.
SPEECH_VERBS = _words(
    """
    acknowledged acknowledges added adds admits admitted agreed agrees alleged
    alleges announced announces answered answers argued argues asked asks
    asserted asserts believed believes cautioned cautions claimed claims
    commented comments complained complains conceded concedes concluded
    concludes confirmed confirms contended contends continued continues
    countered counters declared declares denied denies described describes
    disagreed disagrees emphasised emphasises emphasized emphasizes estimated
    estimates explained explains feels insisted insists maintained maintains
    noted notes objected objects observed observes predicted predicts recalled
    recalls recounted recounts remarked remarks replied replies reported reports
    responded responds said says stated states stressed stresses suggested
    suggests tells testified testifies thinks told urged urges warned warns
    writes wrote
    """
) | {
    "goes on",
    "pointed out",
    "points out",
    "speaks to",
    "spoke to",
    "summed up",
    "sums up",
    "went on",
}

# Adverbs and auxiliaries between a speaker and the verb ("also noted",
# "has said"); besides these, any word ending in -ly.
VERB_MODIFIERS = _words(
    """
    again also could earlier even further had has have later may might now once
    previously recently still subsequently then too will would
    """
)

# Verbs that also take an ordinary object: "Kozlov denied the charges",
# "continued to lead the party", "wrote a letter", "observed the trial".
# After a name they report words only when a clause, a colon or a quote
# follows.
OBJECT_VERBS = _words(
    """
    acknowledged acknowledges admits admitted agreed agrees announced announces
    answered answers asked asks claimed claims concluded concludes confirmed
    confirms continued continues declared declares denied denies described
    describes maintained maintains observed observes reported reports writes
    wrote
    """
) | {"goes on", "went on"}

# Words that show a reported clause follows such a verb ("denied that …",
# "admitted he had …", "described the trial as …").
CLAUSE_WORDS = _words(
    """
    are as be been can could did do does had has have how if is might must
    should that was were what whether why will would
    """
)
# A pronoun right after the verb opens a clause too ("admitted he lied").
CLAUSE_SUBJECTS = _words("he i it she there they this we")

# The verbs of an inverted attribution, before the speaker ("“…,” said
# Duvanov", "…, added lawyer X").
INVERTED_VERBS = _words(
    """
    added adds admitted argued asked claimed commented complained conceded
    concluded continued explained insisted noted observed recalled remarked
    replied said says stressed suggested warned wrote
    """
)

# Participles whose object a following name is: "a lawyer representing X
# said", "friends of jailed activist X": the name is not the speaker, and
# only the words after them describe it.
OBJECT_PARTICIPLES = _words(
    """
    accusing arresting blaming charging citing concerning criticising
    criticizing defending detaining including interviewing involving naming
    praising quoting regarding representing sentencing supporting visiting
    """
)
OBJECT_WORDS = OBJECT_PARTICIPLES | {"of"}
# Prepositions whose object a following name is ("the wife of X said").
OBJECT_PREPOSITIONS = _words("about against among between by for from like of on than to with") | {
    "behalf of"
}

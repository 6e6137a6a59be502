"""Property-based tests of the legacy story parser (no database)."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legacy.parser import LegacyFormatError, decode, parse, parse_bytes, read_title
from legacy.result import Author, ParsedStory, Photo
from newsroom.text import normalise_title

NBSP = "\u00a0"
PROPERTY_SETTINGS = settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])


def no_sources(paragraphs, *, exclude=()):
    return []


def parse_or_error(text, **kwargs):
    """Parse, accepting only a ParsedStory or a LegacyFormatError."""
    try:
        result = parse(text, extract_sources=no_sources, **kwargs)
    except LegacyFormatError as error:
        assert error.reason
        assert error.line is None or error.line >= 1
        return None
    assert isinstance(result, ParsedStory)
    return result


# Pieces of the format, so that random documents often get deep into the parser.
FRAGMENTS = [
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    NBSP,
    "\t",
    "\ufeff",
    ".",
    ",",
    "(",
    ")",
    ":",
    "’",
    "“",
    "Title",
    "Story",
    "text",
    "Ann Lee",
    "Bo",
    " is ",
    " and ",
    ", and ",
    ", ",
    "(See ",
    "(See also ",
    " for more on this issue",
    " for background",
    "(Photo: ",
    "IWPR",
    "Friday, ",
    "Fri ",
    "14 ",
    "December",
    "Dec.",
    " 2012",
    ", 2012",
    "31 February 2012",
    "2012-12-14",
    "Kazakhstan",
    "Support local journalists",
    "Donate",
    "St.",
    "van ",
    "(See Story and Title.)",
    "Ann Lee is a reporter.",
]
soup = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)
# Half of the documents get a valid header so the body and tail rules run too.
fragment_text = st.one_of(
    soup, soup.map(lambda body: f"Title\n\nStandfirst.\n\nFriday, 14 December, 2012\n\n{body}")
)


@PROPERTY_SETTINGS
@given(st.text())
def test_parse_arbitrary_text(text):
    parse_or_error(text)


@PROPERTY_SETTINGS
@given(fragment_text, st.frozensets(st.sampled_from(["title", "story and text", "ann lee"])))
def test_parse_fragment_soup(text, known):
    parsed = parse_or_error(text, known_titles=known)
    if parsed is not None:
        assert parsed.title == read_title(text)
        assert all(p and p == p.strip() for p in parsed.body)
        assert all(link and link == link.strip() for link in parsed.cross_links)
        assert len({normalise_title(link) for link in parsed.cross_links}) == len(
            parsed.cross_links
        )


@PROPERTY_SETTINGS
@given(st.binary())
def test_decode_arbitrary_bytes(data):
    try:
        text = decode(data)
    except LegacyFormatError as error:
        assert error.reason
        return
    assert "\r" not in text and "\0" not in text
    assert not text.startswith("\ufeff")


@PROPERTY_SETTINGS
@given(st.text().filter(lambda t: "\0" not in t), st.booleans(), st.booleans())
def test_decode_round_trips_text(text, bom, crlf):
    encoded = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
    expected = encoded[1:] if encoded.startswith("\ufeff") else encoded
    expected = expected.replace("\r\n", "\n").replace("\r", "\n")
    if not expected:
        try:
            decode(encoded.encode("utf-8"))
        except LegacyFormatError as error:
            assert error.reason == "file is empty"
        else:
            raise AssertionError("an empty file decoded")
    else:
        assert decode(encoded.encode("utf-8")) == expected


@PROPERTY_SETTINGS
@given(st.binary())
def test_parse_bytes_arbitrary_bytes(data):
    try:
        result = parse_bytes(data, extract_sources=no_sources)
    except LegacyFormatError:
        return
    assert isinstance(result, ParsedStory)


# --- generated well-formed stories -------------------------------------------------

SIMPLE_WORDS = ["River", "Town", "Council", "Votes", "Winter", "Market", "Border", "Court"]
AND_LEFT = ["Oil", "Bread", "War"]
AND_RIGHT = ["Gas", "Salt", "Peace"]
FIRST_NAMES = ["Ann", "Bo", "Saule", "Timur", "Maria", "Levon"]
SURNAMES = ["Lee", "Chen", "Kazakova", "Bekov", "van der Berg", "Ter Grigoryan", "O’Brien"]
ROLES = [
    "a reporter",
    "IWPR’s country director in Kazakstan",
    "a journalist based in St. Petersburg",
    "an editor in Washington, D.C",
]
TOPICS = ["Kazakhstan", "Protests", "Frontline Updates", "Human Rights", "Armenia"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

spaces = st.sampled_from([" ", NBSP, f"{NBSP} ", "  "])
simple_title = st.lists(st.sampled_from(SIMPLE_WORDS), min_size=1, max_size=4).map(" ".join)
and_title = st.tuples(st.sampled_from(AND_LEFT), st.sampled_from(AND_RIGHT)).map(
    lambda pair: f"{pair[0]} and {pair[1]} Deal"
)
link_title = st.one_of(simple_title, and_title)
sentence = st.lists(
    st.sampled_from(["the", "people", "said", "it", "was", "cold", "“quoted”", "o’clock"]),
    min_size=1,
    max_size=12,
).map(lambda words: "the " + " ".join(words) + ".")


@st.composite
def see_clause(draw):
    titles = draw(st.lists(link_title, min_size=1, max_size=3))
    space = draw(spaces)
    if len(titles) == 1:
        joined = titles[0]
    else:
        joined = ", ".join(titles[:-1]) + f"{space}and{space}" + titles[-1]
    trailer = draw(st.sampled_from(["", " for more on this issue", " for background"]))
    return titles, f"(See {joined}{trailer}.)"


@st.composite
def paragraph(draw):
    text = draw(sentence)
    titles = []
    if draw(st.booleans()):
        titles, clause = draw(see_clause())
        text = f"{text} {clause}"
    return text, titles


@st.composite
def author(draw):
    name = f"{draw(st.sampled_from(FIRST_NAMES))} {draw(st.sampled_from(SURNAMES))}"
    return Author(name, draw(st.sampled_from(ROLES)))


@st.composite
def dateline(draw, date):
    weekday = WEEKDAYS[date.weekday()]
    wrong = draw(st.booleans())
    if wrong:
        weekday = WEEKDAYS[(date.weekday() + draw(st.integers(1, 6))) % 7]
    month = MONTHS[date.month - 1]
    form = draw(st.integers(0, 3))
    text = [
        f"{weekday}, {date.day} {month}, {date.year}",
        f"{weekday} {date.day} {month} {date.year}",
        f"{date.day} {month} {date.year}",
        f"{weekday[:3]}, {date.day} {month[:3]} {date.year}",
    ][form]
    warning = None
    if wrong and form != 2:
        warning = (
            f"dateline says {weekday} but {date.day} {month} {date.year} "
            f"was a {WEEKDAYS[date.weekday()]}"
        )
    return text, warning


@st.composite
def stories(draw):
    """A well-formed story file and what parsing it must give."""
    date = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)))
    date_text, warning = draw(dateline(date))
    title = draw(simple_title)
    standfirst = draw(sentence).capitalize()
    photo = draw(
        st.none()
        | st.builds(
            Photo,
            st.just("A street in the capital."),
            st.sampled_from(["IWPR", "Courtesy of the Town Council", "Ann Lee"]),
        )
    )
    paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=5))
    authors = draw(st.lists(author(), min_size=1, max_size=3))
    topics = draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True))

    header = [title, standfirst]
    if draw(st.booleans()):
        header += [title, standfirst]
    if photo:
        header += [f"{photo.caption} (Photo: {photo.credit})"] * draw(st.integers(1, 2))
    blank = draw(st.sampled_from(["\n\n", "\n\n\n", f"\n{NBSP} \n"]))
    byline = draw(spaces).join(f"{a.name} is {a.role}." for a in authors) + draw(
        st.sampled_from(["", NBSP, f"{NBSP} "])
    )
    tail = [byline]
    if topics:
        tail.append("\n".join(topics))
    if draw(st.booleans()):
        tail[-1] += "\nSupport local journalists"
    text = (
        blank.join(header)
        + "\n"
        + date_text
        + blank
        + blank.join(text for text, _ in paragraphs)
        + blank
        + blank.join(tail)
    )
    if draw(st.booleans()):
        text += "\n"
    links: dict[str, str] = {}
    for _, titles in paragraphs:
        for link in titles:
            links.setdefault(normalise_title(link), link)
    expected = ParsedStory(
        title=title,
        standfirst=standfirst,
        published=date,
        photo=photo,
        body=[text.strip() for text, _ in paragraphs],
        cross_links=list(links.values()),
        authors=authors,
        topics=topics,
        warnings=[warning] if warning else [],
    )
    return text, expected


known_and_titles = frozenset(
    normalise_title(f"{left} and {right} Deal") for left in AND_LEFT for right in AND_RIGHT
)


@PROPERTY_SETTINGS
@given(stories(), st.booleans(), st.booleans())
def test_well_formed_stories_round_trip(generated, bom, crlf):
    text, expected = generated
    data = text.replace("\n", "\r\n") if crlf else text
    data = (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")
    parsed = parse_bytes(data, known_titles=known_and_titles, extract_sources=no_sources)
    assert parsed == expected


@PROPERTY_SETTINGS
@given(stories())
def test_unknown_and_titles_split_at_and(generated):
    text, expected = generated
    parsed = parse(text, extract_sources=no_sources)
    pieces = []
    for link in expected.cross_links:
        pieces.extend(link.split(" and "))
    assert [normalise_title(p) for p in parsed.cross_links] == list(
        dict.fromkeys(normalise_title(p) for p in pieces)
    )


# --- inputs built to trip up backtracking regular expressions ------------------------


PATHOLOGICAL = [
    "(See " + " " * 20000,
    "(See " + "a, " * 5000 + "b)",
    "(See " + "Aa and " * 3000 + "for more" + " x" * 3000 + ")",
    "(Photo:" * 5000 + ")",
    "(Photo: " + " " * 20000 + "x",
    "Ann " * 5000 + "is a reporter.",
    "Ann Lee is " + "St. " * 5000 + "x.",
    "Ann Lee is a. " * 3000,
    "Friday, " * 5000 + "14 December 2012",
    "1" * 20000 + " December 2012",
    "Support " * 5000 + "journalists",
]


def pathological_stories(line):
    """`line` as a header line, a body line and a tail line of a story."""
    return (
        f"T\n\nS\n\n{line}\n\nx\n",
        f"T\n\nS\n\n14 December 2012\n\n{line}\n",
        f"T\n\nS\n\n14 December 2012\n\nx.\n\n{line}",
    )


def test_pathological_lines_parse_or_fail_cleanly():
    # bench/sources_bench.py times these parses.
    for line in PATHOLOGICAL:
        for text in pathological_stories(line):
            parse_or_error(text, known_titles=frozenset({"aa and aa"}))

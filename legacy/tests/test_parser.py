"""Example-based tests of the legacy story parser (no database)."""

import datetime
from pathlib import Path

import pytest

from legacy import parser
from legacy.parser import LegacyFormatError, decode, parse, parse_bytes, read_title
from legacy.result import Author, Photo
from legacy.topics import classify_topic
from newsroom.text import normalise_title

CORPUS = Path(__file__).resolve().parent / "legacy_corpus"
NBSP = "\u00a0"


def no_sources(paragraphs, *, exclude=()):
    return []


def corpus(name, **kwargs):
    kwargs.setdefault("extract_sources", no_sources)
    return parse_bytes((CORPUS / name).read_bytes(), **kwargs)


def story(*body, dateline="Friday, 14 December, 2012", tail="Ann Lee is a reporter.\n\nPolitics"):
    """A minimal well-formed story around the given body paragraphs."""
    parts = ["A Title", "A standfirst.", dateline, *body, tail]
    return "\n\n".join(parts) + "\n"


def parse_story(*body, **kwargs):
    known = kwargs.pop("known_titles", frozenset())
    return parse(story(*body, **kwargs), known_titles=known, extract_sources=no_sources)


# --- the real sample -------------------------------------------------------------


@pytest.fixture
def sample(shared_sample):
    return parse_bytes(shared_sample.read_bytes(), extract_sources=no_sources)


def test_sample_matches_contract(sample):
    contract = sample.as_contract("janaozen-cold-winds.txt")
    assert contract["title"] == "Cold Winds From Janaozen"
    assert contract["standfirst"] == (
        "Repression has worsened as authorities fail to learn the real lessons "
        "of December 2011 bloodshed."
    )
    assert contract["published"] == "2012-12-14"
    assert contract["photo"] == {
        "caption": "The building of Ozenmunaigaz, the oil company at the centre of the "
        "industrial dispute that ended in violence last December.",
        "credit": "Serik Kovlanbaev",
    }
    assert contract["cross_links"] == [
        "Kazakstan: Opposition Activist Jailed",
        "Janaozen Trial Gets Under Way in Kazakstan",
        "Kazakstan's Politicised Labour Disputes",
    ]
    assert contract["authors"] == [
        {"name": "Alexandra Kazakova", "role": "IWPR’s country director in Kazakstan"},
        {"name": "Saule Mukhametrakhimova", "role": "IWPR Central Asia editor"},
    ]
    assert contract["topics"] == ["Kazakhstan", "Protests", "Frontline Updates"]
    assert contract["warnings"] == []


def test_sample_body_is_the_story_paragraphs_only(sample):
    body = sample.body
    assert len(body) == 21
    assert body[0].startswith("Last year’s violence in the town of Janaozen")
    assert body[0].endswith("interviewed by IWPR.")
    assert body[-1].startswith("While many were concerned")
    assert all(paragraph == paragraph.strip() for paragraph in body)
    assert "“It’s very worrying,” he said." in body
    see = next(p for p in body if "Opposition Activist Jailed" in p)
    assert see.endswith(
        f"(See Kazakstan: Opposition Activist Jailed{NBSP}and{NBSP}"
        "Janaozen Trial Gets Under Way in Kazakstan.)"
    )
    joined = "\n".join(body)
    for dropped in (
        "Cold Winds From Janaozen",
        "(Photo:",
        "Friday, 14 December",
        "is IWPR Central Asia editor",
        "Frontline Updates",
        "Support local",
    ):
        assert dropped not in joined


def test_sample_title_pass(shared_sample):
    assert read_title(decode(shared_sample.read_bytes())) == "Cold Winds From Janaozen"


def test_sample_parses_the_same_every_time(sample, shared_sample):
    # bench/sources_bench.py times this parse.
    data = shared_sample.read_bytes()
    assert parse_bytes(data, extract_sources=no_sources) == sample


# --- the corpus ---------------------------------------------------------------------


def test_no_photo():
    parsed = corpus("no-photo.txt")
    assert parsed.title == "Village Schools Reopen After Spring Floods"
    assert (
        parsed.standfirst == "Teachers return to classrooms that were under water only a month ago."
    )
    assert parsed.photo is None
    assert parsed.published == datetime.date(2014, 3, 3)
    assert len(parsed.body) == 3
    assert (
        parsed.body[1]
        == "“We lost the books, but we did not lose the children,” said a head teacher, who asked not to be named."
    )
    assert parsed.authors == [Author("Dana Osmonova", "a freelance reporter in the valley")]
    assert parsed.topics == ["Education", "Floods"]
    assert parsed.cross_links == []
    assert parsed.warnings == []


def test_no_repeated_header_and_courtesy_credit():
    parsed = corpus("no-repeated-header.txt")
    assert parsed.title == "Bakers Protest Rising Flour Prices"
    assert parsed.photo == Photo(
        "A baker stacks loaves at a market stall in the old town.", "Courtesy of the Bakers’ Guild"
    )
    assert parsed.published == datetime.date(2011, 6, 7)
    assert parsed.body[0].startswith("Several dozen bakers")
    assert len(parsed.body) == 2
    assert parsed.authors == [Author("Timur Bekov", "an IWPR-trained journalist")]
    assert parsed.topics == ["Economy", "Kyrgyzstan"]


@pytest.mark.parametrize("name", ["dateline-no-weekday.txt", "dateline-no-commas.txt"])
def test_dateline_variants(name):
    parsed = corpus(name)
    assert parsed.published == datetime.date(2011, 6, 7)
    assert parsed.body[0].startswith("The first ferry left")
    assert parsed.authors == [Author("Ilona Varga", "IWPR’s regional coordinator")]
    assert parsed.topics == ["Transport"]
    assert parsed.warnings == []


def test_month_abbreviation_caption_after_dateline_and_boilerplate_in_topics():
    parsed = corpus("month-abbreviation.txt")
    assert parsed.published == datetime.date(2015, 2, 5)
    assert parsed.photo == Photo("The new health post, seen from the road.", "IWPR")
    assert parsed.body[0].startswith("Nurses at the new clinic")
    assert len(parsed.body) == 2
    assert parsed.topics == ["Health", "Tajikistan"]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "dateline",
    [
        "Friday, 14 December, 2012",
        "Friday 14 December 2012",
        "14 December 2012",
        "14 December, 2012",
        "Fri, 14 Dec 2012",
        "Fri. 14 Dec. 2012",
        "FRIDAY, 14 DECEMBER, 2012",
        "14th December 2012",
        "December 14, 2012",
        "Friday, December 14, 2012",
        f"Friday,{NBSP}14{NBSP}December,  2012",
        "2012-12-14",
    ],
)
def test_dateline_forms(dateline):
    parsed = parse_story("Some text.", dateline=dateline)
    assert parsed.published == datetime.date(2012, 12, 14)
    assert parsed.warnings == []


def test_weekday_mismatch_is_a_warning():
    parsed = corpus("weekday-mismatch.txt")
    assert parsed.published == datetime.date(2012, 12, 14)
    assert parsed.warnings == ["dateline says Monday but 14 December 2012 was a Friday"]


def test_crlf_with_bom_parses_like_lf():
    data = (CORPUS / "no-photo.txt").read_bytes()
    assert b"\r" not in data
    crlf = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    cr_only = data.replace(b"\n", b"\r")
    expected = parse_bytes(data, extract_sources=no_sources)
    assert parse_bytes(crlf, extract_sources=no_sources) == expected
    assert parse_bytes(cr_only, extract_sources=no_sources) == expected
    assert decode(crlf) == data.decode()


def test_see_clause_title_with_and_known():
    path = CORPUS / "see-title-with-and.txt"
    assert NBSP in path.read_text(encoding="utf-8")
    known = {normalise_title("Oil and Gas Deal Signed"), normalise_title("Unrelated Story")}
    parsed = corpus("see-title-with-and.txt", known_titles=known)
    assert parsed.cross_links == [
        "Oil and Gas Deal Signed",
        "Pipeline Reaches the Frontier",
        "Transit Fees Explained",
        "Customs Union Expands",
        "Border Crossings Reopen",
    ]
    assert (
        f"(See Oil and Gas Deal Signed{NBSP} and{NBSP} Pipeline Reaches the Frontier.)"
        in parsed.body[0]
    )
    assert parsed.body[2] == (
        "(See Transit Fees Explained, Customs Union Expands and Border Crossings Reopen "
        "for background.)"
    )
    assert parsed.topics == ["Energy", "Uzbekistan", "Kazakstan"]
    assert parsed.authors == [Author("Kamila Ergasheva", "a journalist in Tashkent")]


def test_see_clause_title_with_and_unknown_splits_everywhere():
    parsed = corpus("see-title-with-and.txt")
    assert parsed.cross_links == [
        "Oil",
        "Gas Deal Signed",
        "Pipeline Reaches the Frontier",
        "Transit Fees Explained",
        "Customs Union Expands",
        "Border Crossings Reopen",
    ]


def test_known_titles_may_be_any_collection():
    parsed = corpus("see-title-with-and.txt", known_titles=["oil and gas deal signed"])
    assert parsed.cross_links[0] == "Oil and Gas Deal Signed"


@pytest.mark.parametrize(
    ("clause", "known", "expected"),
    [
        ("(See A Story.)", (), ["A Story"]),
        ("(See A Story)", (), ["A Story"]),
        ("(See also A Story.)", (), ["A Story"]),
        ("(See One, Two and Three.)", (), ["One", "Two", "Three"]),
        ("(See One, Two, and Three.)", (), ["One", "Two", "Three"]),
        ("(See One for more.)", (), ["One"]),
        ("(See One for more on this story.)", (), ["One"]),
        ("(See One and Two, for background.)", (), ["One", "Two"]),
        ("(See One for an earlier report.)", (), ["One"]),
        ("(See Calls for More Aid.)", (), ["Calls for More Aid"]),
        (
            "(See Bread and Salt, Oil and Gas.)",
            ("bread and salt", "oil and gas"),
            ["Bread and Salt", "Oil and Gas"],
        ),
        ("(See Bread and Salt and Water.)", ("bread and salt",), ["Bread and Salt", "Water"]),
        ("(See Water and Bread and Salt.)", ("bread and salt",), ["Water", "Bread and Salt"]),
        ("(See Fight for more rights.)", ("fight for more rights",), ["Fight for more rights"]),
        ("(see page 3)", (), []),
        ("(See below.)", (), []),
    ],
)
def test_see_clauses(clause, known, expected):
    parsed = parse_story(f"Some text. {clause}", known_titles=frozenset(known))
    assert parsed.cross_links == expected
    assert parsed.body[0] == f"Some text. {clause}"


def test_cross_links_deduplicated_in_order():
    parsed = parse_story("(See B Story.)", "Text (See A Story and B Story.) more.", "(See B STORY)")
    assert parsed.cross_links == ["B Story", "A Story"]


def test_several_authors():
    parsed = corpus("several-authors.txt")
    assert parsed.authors == [
        Author("Anna Petrosyan", "a photographer and reporter in Yerevan"),
        Author("Levon Ter Grigoryan", "IWPR’s Armenia editor"),
        Author("Maria van der Berg", "a freelance journalist based in St. Petersburg"),
    ]
    assert parsed.photo == Photo(
        "Residents queue for water at a standpipe in the southern district.", "Anna Petrosyan"
    )
    assert parsed.standfirst == "Residents queue at standpipes as reservoirs run low."
    assert parsed.body[-1] == "“We fill every bottle we own,” one resident said."
    assert parsed.topics == ["Armenia", "Environment", "Caucasus Reporting Service"]


def test_topics_glued_to_byline():
    text = story("Body text.", tail="Ann Lee is a reporter.\nPolitics\nSupport local journalists")
    parsed = parse(text, extract_sources=no_sources)
    assert parsed.authors == [Author("Ann Lee", "a reporter")]
    assert parsed.topics == ["Politics"]
    assert parsed.body == ["Body text."]


def test_byline_sentences_on_separate_lines_and_no_topics():
    parsed = parse_story("Body text.", tail="Ann Lee is a reporter.\nBo Chen is an editor.")
    assert parsed.authors == [Author("Ann Lee", "a reporter"), Author("Bo Chen", "an editor")]
    assert parsed.topics == []
    assert parsed.body == ["Body text."]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The court is expected to rule next week.",
        "Ann Lee is a reporter. She lives in Almaty.",
        "ann lee is a reporter.",
        "Ann is a reporter.",
    ],
)
def test_last_paragraph_that_is_not_a_byline_stays_in_body(paragraph):
    parsed = parse_story("Body text.", tail=f"{paragraph}\n\nPolitics")
    assert parsed.authors == []
    assert parsed.body == ["Body text.", paragraph]
    assert "no byline: the story has no authors" in parsed.warnings


def test_missing_standfirst_is_a_warning():
    parsed = parse(
        "A Title\n\n14 December 2012\n\nText.\n\nAnn Lee is a reporter.\n",
        extract_sources=no_sources,
    )
    assert parsed.standfirst == ""
    assert parsed.body == ["Text."]
    assert parsed.warnings == ["no standfirst"]


def test_differing_second_caption_is_a_warning():
    text = "T\n\nS\n\nOne view. (Photo: IWPR)\nAnother view. (Photo: IWPR)\n14 December 2012\n\nText.\n"
    parsed = parse(text, extract_sources=no_sources)
    assert parsed.photo == Photo("One view.", "IWPR")
    assert parsed.warnings[0] == "line 6: a second, different photo caption was ignored"


def test_read_title():
    assert read_title(f"\ufeff\n  \n{NBSP}Cold Winds {NBSP}\r\nmore") == "Cold Winds"
    assert read_title("\n \t\n") is None
    assert read_title("") is None


# --- sources hook ---------------------------------------------------------------------


def test_extract_sources_gets_final_body_and_author_names():
    calls = []

    def fake(paragraphs, *, exclude=()):
        calls.append((list(paragraphs), list(exclude)))
        return ["a source"]

    parsed = corpus("several-authors.txt", extract_sources=fake)
    assert parsed.sources == ["a source"]
    assert calls == [(parsed.body, ["Anna Petrosyan", "Levon Ter Grigoryan", "Maria van der Berg"])]


# --- malformed files ------------------------------------------------------------------


def error_of(call, *args):
    with pytest.raises(LegacyFormatError) as info:
        call(*args)
    return info.value


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf"])
def test_empty_file(data):
    error = error_of(decode, data)
    assert error.reason == "file is empty"


def test_blank_file():
    error = error_of(parse_bytes, b" \n\t\r\n\xc2\xa0\n")
    assert error.reason == "file is empty (only white space)"


def test_binary_file_with_nul():
    error = error_of(decode, b"Title\nline two\x00\x01\x02")
    assert error.reason == "not a UTF-8 text file (binary data at byte 14)"
    assert error.line == 2


def test_file_in_another_encoding():
    error = error_of(decode, "Caf\u00e9 Closes\n".encode("latin-1"))
    assert error.reason == "not a UTF-8 text file (binary data at byte 3)"
    assert error.line == 1


def test_single_line():
    error = error_of(parse_bytes, (CORPUS / "single-line.txt").read_bytes())
    assert error.reason == "only a title: no standfirst or dateline"
    assert error.line == 1


def test_no_dateline():
    error = error_of(parse_bytes, (CORPUS / "no-dateline.txt").read_bytes())
    assert error.reason.startswith(
        "no dateline: expected a date such as 'Friday, 14 December, 2012'"
    )
    assert "Work on the old railway bridge" in error.reason
    assert error.line == 9
    assert str(error).startswith("line 9: no dateline")


def test_header_only():
    error = error_of(parse, "Title\n\nStandfirst.\n\nTitle\n")
    assert error.reason.startswith("no dateline: the file ends after the header")
    assert error.line == 5


@pytest.mark.parametrize(
    "dateline", ["31 February 2012", "Friday, 0 December, 2012", "1 January 0000"]
)
def test_impossible_date(dateline):
    error = error_of(parse, story("Text.", dateline=dateline))
    assert error.reason == f"the dateline {dateline!r} is not a valid date"
    assert error.line == 5


@pytest.mark.parametrize("dateline", ["Someday, 14 December, 2012", "14 Decembre 2012"])
def test_unknown_names_are_no_dateline(dateline):
    error = error_of(parse, story("Text.", dateline=dateline))
    assert error.reason.startswith("no dateline")
    assert error.line == 5


# --- topics ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kazakhstan", "country"),
        ("Kazakstan", "country"),
        ("KYRGYZ REPUBLIC", "country"),
        ("kyrgyzstan", "country"),
        ("Tajikistan", "country"),
        ("Uzbekistan", "country"),
        ("Turkmenistan", "country"),
        ("Afghanistan", "country"),
        ("Azerbaijan", "country"),
        ("Armenia", "country"),
        ("Georgia", "country"),
        ("Russia", "country"),
        ("Iran", "country"),
        ("Iraq", "country"),
        ("Syria", "country"),
        ("Ukraine", "country"),
        ("Belarus", "country"),
        ("Cote d’Ivoire", "country"),
        ("Côte d'Ivoire", "country"),
        ("The Gambia", "country"),
        ("St Lucia", "country"),
        ("Bosnia & Herzegovina", "country"),
        ("Guinea-Bissau", "country"),
        ("Democratic Republic of Congo", "country"),
        ("Frontline Updates", "series"),
        ("Caucasus Reporting Service", "series"),
        ("Reporting Central Asia", "series"),
        ("Tribunal Update", "series"),
        ("Weekly Briefing", "series"),
        ("Elections Digest", "series"),
        ("Caspian Bulletin", "series"),
        ("Women’s Voices Series", "series"),
        ("Protests", "theme"),
        ("Human Rights", "theme"),
        ("Kazakhstan Elections", "theme"),
        ("", "theme"),
    ],
)
def test_classify_topic(name, kind):
    assert classify_topic(name) == kind


def test_see_clause_as_last_paragraph_is_not_a_topic():
    parsed = parse_story("Text.", tail="Ann Lee is a reporter.\n\n(See A Story)")
    assert parsed.topics == []
    assert parsed.body == ["Text.", "Ann Lee is a reporter.", "(See A Story)"]
    assert parsed.cross_links == ["A Story"]


def test_default_sources_come_from_the_sources_module(monkeypatch):
    def fake(paragraphs, *, exclude=()):
        return [f"{len(paragraphs)} paragraphs, excluding {', '.join(exclude)}"]

    monkeypatch.setattr(parser, "_default_extract_sources", fake)
    parsed = parse_bytes((CORPUS / "no-photo.txt").read_bytes())
    assert parsed.sources == ["3 paragraphs, excluding Dana Osmonova"]  # type: ignore[comparison-overlap]

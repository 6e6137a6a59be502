"""Rendering story bodies: cross-links found in text and linked, HTML left intact."""

import pytest

from articles.fragments import byline_entries
from articles.models import Byline
from articles.rendering import link_titles, render_body, title_pattern
from newsroom.text import QUOTE_GROUPS, normalise_title
from people.models import Person

ONE = ("Title One", "/stories/title-one/")
TWO = ("Title Two", "/stories/title-two/")


def test_see_reference_links_both_titles():
    body = "<p>Oil prices fell. (See Title One and Title Two.)</p>"
    assert render_body(body, [ONE, TWO]) == (
        '<p>Oil prices fell. (See <a href="/stories/title-one/">Title One</a> and '
        '<a href="/stories/title-two/">Title Two</a>.)</p>'
    )


def test_pending_link_stays_plain_text():
    body = "<p>(See Title One and Title Two.)</p>"
    html = render_body(body, [ONE, ("Title Two", None)])
    assert '<a href="/stories/title-one/">Title One</a>' in html
    assert "and Title Two.)" in html
    assert html.count("<a ") == 1


@pytest.mark.parametrize(
    "written",
    [
        "title one",
        "TITLE ONE",
        "Title\u00a0One",
        "Title&nbsp;One",
        "Title \n  One",
    ],
)
def test_title_found_whatever_case_and_white_space(written):
    html = render_body(f"<p>(See {written}.)</p>", [ONE])
    assert '<a href="/stories/title-one/">' in html


def test_quotes_and_dashes_match_their_variants():
    link = ("The \u201cBig\u201d Deal \u2013 What\u2019s Next", "/stories/deal/")
    html = render_body('<p>(See The "Big" Deal - What\'s Next.)</p>', [link])
    assert '<a href="/stories/deal/">The "Big" Deal - What\'s Next</a>.)' in html


def test_trailing_full_stop_of_title_is_not_required():
    html = render_body("<p>(See Title One.)</p>", [("Title One.", "/x/")])
    assert '<a href="/x/">Title One</a>.)' in html


def test_quote_classes_agree_with_normalise_title():
    for group in QUOTE_GROUPS:
        keys = {normalise_title(f"a{char}b") for char in group}
        assert len(keys) == 1, group


def test_title_not_matched_inside_a_longer_word():
    html = render_body("<p>Entitle Oneness and Title Ones.</p>", [ONE])
    assert "<a " not in html


def test_longest_title_wins_where_titles_overlap():
    links = [("Title One", "/short/"), ("Title One Returns", "/long/")]
    html = render_body("<p>(See Title One Returns.)</p>", links)
    assert '<a href="/long/">Title One Returns</a>' in html
    assert "/short/" not in html


def test_every_occurrence_is_linked():
    html = render_body("<p>Title One began it.</p><p>(See Title One.)</p>", [ONE])
    assert html.count('href="/stories/title-one/"') == 2


def test_editors_own_links_are_left_alone():
    body = '<p><a href="https://example.org/">Read Title One elsewhere</a>; (See Title One.)</p>'
    html = render_body(body, [ONE])
    assert (
        '<a href="https://example.org/" rel="noopener noreferrer">Read Title One elsewhere</a>'
        in html
    )
    assert html.count('href="/stories/title-one/"') == 1


def test_title_in_markup_is_linked_inside_it():
    html = render_body("<p>(See <em>Title One</em>.)</p>", [ONE])
    assert '<em><a href="/stories/title-one/">Title One</a></em>' in html


def test_attribute_values_are_never_rewritten():
    body = '<p><a href="https://example.org/" title="Title One">x</a> Title One</p>'
    html = render_body(body, [ONE])
    assert 'title="Title One"' in html
    assert html.endswith('<a href="/stories/title-one/">Title One</a></p>')


def test_escaped_text_stays_escaped():
    body = "<p>1 &lt; 2 &amp; Oil &amp; Gas News &lt;script&gt;</p>"
    html = render_body(body, [("Oil & Gas News", "/oil/")])
    assert '<a href="/oil/">Oil &amp; Gas News</a>' in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html


def test_hostile_title_and_href_are_escaped():
    html = link_titles("<p>x <b>y</b></p>", [("<b>", '/x/"><script>')])
    assert "<script>" not in html
    html = link_titles("<p>(See A&lt;B.)</p>", [("A<B", '/a"onmouseover="x')])
    assert '<a href="/a&quot;onmouseover=&quot;x">A&lt;B</a>' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        '<iframe src="https://evil.example/"></iframe>',
    ],
)
def test_render_sanitises_again(hostile):
    html = render_body(f"<p>Title One {hostile}</p>", [ONE])
    for needle in ("<script", "alert(1)", "onerror", "javascript:", "<iframe", "<img"):
        assert needle not in html


def test_no_links_leaves_body_as_sanitised():
    assert render_body("<p>Plain.</p>") == "<p>Plain.</p>"
    assert render_body("") == ""


def test_empty_title_is_ignored():
    assert title_pattern("  .  ") is None
    assert render_body("<p>Text.</p>", [(" ", "/x/")]) == "<p>Text.</p>"


def test_three_names_without_roles_read_a_b_and_c():
    bylines = [
        Byline(person=Person(name=name, slug=name.lower()), role="role")
        for name in ("Timur Bekmuratov", "Nigora Saidova", "Dilnoza Yusupova")
    ]
    separators = [entry["separator"] for entry in byline_entries(bylines, roles=False)]
    assert separators == ["", ", ", " and "]
    with_roles = [entry["separator"] for entry in byline_entries(bylines)]
    assert with_roles == ["", ", ", ", and "]

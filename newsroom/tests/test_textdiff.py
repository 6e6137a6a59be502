"""Readable differences between two texts: words, not markup."""

from newsroom.textdiff import Segment, diff_html, has_changes, html_to_text, word_diff


def test_html_reads_as_its_text_one_paragraph_a_line():
    body = "<h2>Talks</h2><p>The <strong>strike</strong>  began &amp; spread.</p><ul><li>One</li><li>Two</li></ul>"
    assert html_to_text(body) == "Talks\nThe strike began & spread.\n• One\n• Two"


def test_a_changed_word_shows_as_that_word():
    segments = word_diff(
        "The strike began on Monday.\nTalks failed.", "The strike began on Tuesday.\nTalks failed."
    )
    assert segments == [
        Segment("same", "The strike began on "),
        Segment("removed", "Monday."),
        Segment("added", "Tuesday."),
        Segment("same", "\nTalks failed."),
    ]


def test_added_and_removed_paragraphs():
    segments = word_diff("One.\nTwo.", "One.\nTwo.\nThree.")
    assert segments == [Segment("same", "One.\nTwo.\n"), Segment("added", "Three.")]
    assert word_diff("One.\nTwo.", "Two.") == [
        Segment("removed", "One."),
        Segment("same", "\nTwo."),
    ]


def test_a_rewritten_passage_is_shown_whole_not_in_shreds():
    segments = word_diff("Water tariffs rise in Bishkek", "Bishkek raises water tariffs")
    assert segments == [
        Segment("removed", "Water tariffs rise in Bishkek"),
        Segment("added", "Bishkek raises water tariffs"),
    ]


def test_the_html_escapes_the_text():
    html = diff_html(word_diff("a <b>", "a <i>"))
    assert html == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>"
    assert not has_changes(word_diff("same", "same"))

"""Story bodies never carry active content, whatever an editor pastes."""

from newsroom.sanitize import sanitize_html

HOSTILE = (
    "<p>Before<script>alert('script')</script></p>"
    '<p><img src="x" onerror="alert(1)">Image</p>'
    '<p><a href="javascript:alert(2)">bad link</a> and <a href="https://iwpr.net/" onclick="x()">good</a></p>'
    '<iframe src="https://evil.example/"></iframe>'
    "<style>body{display:none}</style>"
    '<p style="color:red" class="x">Styled</p>'
    '<a href="JaVaScRiPt:alert(3)">mixed case</a>'
    '<a href="data:text/html,<script>alert(4)</script>">data</a>'
)


def test_hostile_markup_is_removed_and_text_kept():
    clean = sanitize_html(HOSTILE)
    for dangerous in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<style",
        "style=",
        "data:text",
        "<img",
    ):
        assert dangerous.lower() not in clean.lower()
    assert "Before" in clean and "Styled" in clean
    assert '<a href="https://iwpr.net/" rel="noopener noreferrer">good</a>' in clean


def test_ordinary_editing_markup_survives():
    html = (
        '<h2>Sub</h2><p><strong>b</strong> <em>i</em> <a href="/stories/x/">x</a></p>'
        "<blockquote><p>q</p></blockquote><ul><li>one</li></ul>"
    )
    clean = sanitize_html(html)
    for fragment in (
        "<h2>Sub</h2>",
        "<strong>b</strong>",
        "<em>i</em>",
        "<blockquote>",
        "<li>one</li>",
    ):
        assert fragment in clean

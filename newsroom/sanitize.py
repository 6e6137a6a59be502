"""The one HTML allowlist for story bodies, applied on save and on render.

nh3 (a binding to the Rust crate ammonia) drops every tag and attribute not
listed here, with the content of `<script>` and `<style>`; event-handler
attributes and `javascript:` URLs never survive.
"""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "figure",
    "figcaption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    clean_content_tags={"script", "style"},
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allowlist removed."""
    if not html:
        return ""
    return _cleaner.clean(html)

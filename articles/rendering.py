"""Story bodies as readers see them, and the story page's related stories.

A body holds its "(See Title One and Title Two.)" references as plain text,
exactly as written. The story's CrossLink rows say which of those titles name
other stories; `render_body` finds each title in the body's text and wraps it in
a link to the target's current address. Titles are found the way
`newsroom.text.normalise_title` compares them: ignoring case, the kind of white
space (including no-break spaces) and the style of quotes and dashes.

Nothing here touches the database: callers pass (title, href) pairs built from
rows they have already fetched.
"""

import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from newsroom.sanitize import sanitize_html
from newsroom.text import QUOTE_GROUPS

if TYPE_CHECKING:
    from articles.models import Story

# One tag of serialised HTML. nh3 writes attribute values in double quotes and
# escapes ">" inside them, but quoted values are skipped whole regardless, so a
# ">" inside an attribute can never end a tag early.
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")

# Text inside these elements is never linked: the editor's own links (no links
# inside links) and code.
_NO_LINK_ELEMENTS = frozenset({"a", "code"})

# Each quote or dash matches the other characters of its group (see newsroom.text).
_CHAR_CLASS = {
    char: "[" + "".join(re.escape(c) for c in group) + "]"
    for group in QUOTE_GROUPS
    for char in group
}
_SPACE_OR_CHAR = re.compile(r"\s+|.", re.DOTALL)


def title_pattern(title: str) -> str | None:
    """A regular expression matching `title` as it may be written in running text.

    Any run of white space matches any other, quotes and dashes match their
    variants, trailing full stops are left out (they end the sentence, not the
    title), and a title never matches in the middle of a word.
    """
    text = title.strip().rstrip(".").strip()
    if not text:
        return None
    parts = []
    for token in _SPACE_OR_CHAR.findall(text):
        if token.isspace():
            parts.append(r"\s+")
        else:
            parts.append(_CHAR_CLASS.get(token) or re.escape(token))
    start = r"(?<!\w)" if re.match(r"\w", text) else ""
    end = r"(?!\w)" if re.search(r"\w$", text) else ""
    return start + "".join(parts) + end


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


class _Linker:
    """Finds every cross-link title in a text segment and links it."""

    def __init__(self, links: Iterable[tuple[str, str | None]]):
        self.hrefs: dict[str, str | None] = {}
        alternatives = []
        # Longest titles first, so "Title One Two" wins over "Title One" where
        # both match at the same place. Pending titles take part too, so that
        # a shorter resolved title is not linked inside a longer pending one.
        ordered = sorted(links, key=lambda link: len(link[0]), reverse=True)
        for i, (title, href) in enumerate(ordered):
            pattern = title_pattern(title)
            if pattern is None:
                continue
            name = f"link{i}"
            self.hrefs[name] = href
            alternatives.append(f"(?P<{name}>{pattern})")
        self.regex = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    def link(self, segment: str) -> str:
        """`segment` (escaped HTML text) with each title found wrapped in a link."""
        text = html.unescape(segment)
        if self.regex is None or not self.regex.search(text):
            return segment
        pieces, last = [], 0
        for match in self.regex.finditer(text):
            pieces.append(_escape(text[last : match.start()]))
            assert match.lastgroup is not None  # every alternative is a named group
            href = self.hrefs[match.lastgroup]
            if href:
                pieces.append(f'<a href="{html.escape(href)}">{_escape(match.group())}</a>')
            else:
                pieces.append(_escape(match.group()))
            last = match.end()
        pieces.append(_escape(text[last:]))
        return "".join(pieces)


def link_titles(body: str, links: Iterable[tuple[str, str | None]]) -> str:
    """Wrap each (title, href) title found in `body`'s text in `<a href>`.

    `body` must be sanitised HTML. A pair whose href is None (a pending link)
    leaves its title as text. Text inside links and code is left alone, and
    a title split by markup (half of it in italics) is not found.
    """
    linker = _Linker(links)
    if linker.regex is None:
        return body
    out, pos, inside_no_link = [], 0, 0
    for tag in _TAG.finditer(body):
        text = body[pos : tag.start()]
        out.append(linker.link(text) if text and not inside_no_link else text)
        name = _TAG_NAME.match(tag.group())
        if name and name.group(2).lower() in _NO_LINK_ELEMENTS:
            if name.group(1):
                inside_no_link = max(0, inside_no_link - 1)
            elif not tag.group().endswith("/>"):
                inside_no_link += 1
        out.append(tag.group())
        pos = tag.end()
    tail = body[pos:]
    out.append(linker.link(tail) if tail and not inside_no_link else tail)
    return "".join(out)


def render_body(body: str, links: Iterable[tuple[str, str | None]] = ()) -> str:
    """The body as readers see it: sanitised again, then with cross-links linked.

    Sanitising again at render time means that HTML which reached the database
    without passing Story.save (a bulk update, a raw import) is still inert.
    Every piece added afterwards is escaped, so the result stays safe.
    """
    return link_titles(sanitize_html(body), links)


def related_stories(story: "Story") -> list["Story"]:
    """Stories this one links to, then stories that link here, newest first, once each.

    Reads only the prefetched `outgoing_links` and `incoming_links` of
    StoryQuerySet.for_detail(); the first leaves out unpublished targets, the
    second is filtered here.
    """
    seen = {story.pk}
    linked_to = []
    for link in story.outgoing_links.all():
        if link.target is not None and link.target.pk not in seen:
            seen.add(link.target.pk)
            linked_to.append(link.target)
    linking_here = []
    for link in story.incoming_links.all():
        if link.source.is_published and link.source.pk not in seen:
            seen.add(link.source.pk)
            linking_here.append(link.source)
    linking_here.sort(key=lambda s: (s.published_at, s.pk), reverse=True)
    return linked_to + linking_here

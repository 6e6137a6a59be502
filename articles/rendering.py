"""Story bodies as readers see them, and the story page's related stories.

A story links to another in two stored forms, both backed by a CrossLink row:

- a title as written: "(See Title One and Title Two.)" in plain text, as the
  importer stores it. `render_body` finds each cross-link title in the body's
  text and wraps it in a link to the target's current address. Titles are
  found the way `newsroom.text.normalise_title` compares them: ignoring case,
  the kind of white space (including no-break spaces) and the style of quotes
  and dashes.
- a story link, `<a href="/stories/id/42/">any words</a>`, as the editor's
  "Link to a story" tool inserts it (and as the editor shows the imported
  titles). The address names the story's id, not its slug, so it survives a
  rename; it answers with a redirect on its own (articles.views.story_by_id),
  the sanitiser keeps it as any relative link, and `render_body` rewrites it
  to the target's current address, or to plain text while the target is not
  published.

A cross-link in neither form (added in the admin without touching the text)
is listed after the body, under "See also" (`RenderedBody.see_also`).

Nothing here touches the database: callers pass links built from rows they
have already fetched.
"""

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsroom.sanitize import sanitize_html
from newsroom.text import QUOTE_GROUPS, normalise_title

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

# The stored form of a story link. Fixed, not reversed from the URL
# configuration: stored text must not change meaning with a deployment's
# prefix (articles/urls.py answers it, and a test keeps the two the same).
STORY_LINK_PREFIX = "/stories/id/"
_STORY_HREF = re.compile(r"/stories/id/([1-9][0-9]{0,17})/")
# nh3 writes every attribute value in double quotes.
_HREF = re.compile(r'\shref="([^"]*)"')


def story_link(pk: int) -> str:
    """The stored address of a link to the story `pk`."""
    return f"{STORY_LINK_PREFIX}{pk}/"


def story_link_id(href: str) -> int | None:
    """The story id that a stored story link names, or None for any other address."""
    match = _STORY_HREF.fullmatch(html.unescape(href).strip())
    return int(match[1]) if match else None


@dataclass(frozen=True)
class BodyLink:
    """A cross-link as the body renders it: its title, its target's id
    (None while pending) and the target's address (None while readers may
    not follow it: pending, or the target unpublished)."""

    title: str
    target_id: int | None = None
    href: str | None = None


@dataclass
class RenderedBody:
    html: str
    # Links readers may follow that the text carries in neither form.
    see_also: list[BodyLink] = field(default_factory=list)


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
        self.titles: dict[str, str] = {}
        self.found: set[str] = set()  # the titles matched so far
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
            self.titles[name] = title
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
            self.found.add(self.titles[match.lastgroup])
            if href:
                pieces.append(f'<a href="{html.escape(href)}">{_escape(match.group())}</a>')
            else:
                pieces.append(_escape(match.group()))
            last = match.end()
        pieces.append(_escape(text[last:]))
        return "".join(pieces)


class _BodyLinker:
    """One pass over a sanitised body: titles found in its text are linked,
    story links rewritten to their target's address or unwrapped."""

    def __init__(
        self, links: Iterable[tuple[str, str | None]], story_hrefs: Mapping[int, str]
    ) -> None:
        self.titles = _Linker(links)
        self.story_hrefs = story_hrefs
        self.stories_named: set[int] = set()  # by a story link, followable or not
        self.stories_linked: set[int] = set()  # by a story link rendered as a link
        self.inside_no_link = 0
        # One entry per open <a>: whether its tag was dropped (and so its end tag too).
        self.anchors: list[bool] = []

    def run(self, body: str) -> str:
        out, pos = [], 0
        for tag in _TAG.finditer(body):
            out.append(self.text(body[pos : tag.start()]))
            out.append(self.tag(tag.group()))
            pos = tag.end()
        out.append(self.text(body[pos:]))
        return "".join(out)

    def text(self, segment: str) -> str:
        if not segment or self.inside_no_link:
            return segment
        return self.titles.link(segment)

    def tag(self, tag: str) -> str:
        name = _TAG_NAME.match(tag)
        element = name.group(2).lower() if name else ""
        closing = bool(name and name.group(1))
        if element == "a":
            return self.anchor_end() if closing else self.anchor_start(tag)
        if element in _NO_LINK_ELEMENTS and not tag.endswith("/>"):
            self.inside_no_link = max(0, self.inside_no_link + (-1 if closing else 1))
        return tag

    def anchor_start(self, tag: str) -> str:
        href = _HREF.search(tag)
        story_id = story_link_id(href[1]) if href else None
        if story_id is None:
            self.anchors.append(False)
            self.inside_no_link += 1
            return tag
        self.stories_named.add(story_id)
        target = self.story_hrefs.get(story_id)
        if target is None:
            # Not a story readers may open: its words stay, as text that
            # may still hold a title to link.
            self.anchors.append(True)
            return ""
        self.stories_linked.add(story_id)
        self.anchors.append(False)
        self.inside_no_link += 1
        return f'<a href="{html.escape(target)}">'

    def anchor_end(self) -> str:
        dropped = self.anchors.pop() if self.anchors else False
        if dropped:
            return ""
        self.inside_no_link = max(0, self.inside_no_link - 1)
        return "</a>"


def link_titles(body: str, links: Iterable[tuple[str, str | None]]) -> str:
    """Wrap each (title, href) title found in `body`'s text in `<a href>`.

    `body` must be sanitised HTML. A pair whose href is None (a pending link)
    leaves its title as text. Text inside links and code is left alone, and
    a title split by markup (half of it in italics) is not found. Story links
    are left as they are.
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


def render_story_body(body: str, links: Iterable[BodyLink] = ()) -> RenderedBody:
    """The body as readers see it, with the links it does not carry listed apart.

    Sanitised again first: HTML which reached the database without passing
    Story.save (a bulk update, a raw import) is still inert. Every piece
    added afterwards is escaped, so the result stays safe.
    """
    links = list(links)
    story_hrefs = {
        link.target_id: link.href for link in links if link.target_id and link.href is not None
    }
    linker = _BodyLinker([(link.title, link.href) for link in links], story_hrefs)
    rendered = linker.run(sanitize_html(body))
    found = {normalise_title(title) for title in linker.titles.found}
    see_also = []
    seen: set[int | None] = set(linker.stories_linked)
    for link in links:
        if link.href is None or link.target_id in seen or normalise_title(link.title) in found:
            continue
        seen.add(link.target_id)
        see_also.append(link)
    return RenderedBody(rendered, see_also)


def render_body(body: str, links: Iterable[tuple[str, str | None]] = ()) -> str:
    """The body as readers see it, for (title, href) pairs: sanitised again,
    then with the titles found linked (see render_story_body)."""
    return render_story_body(body, [BodyLink(title, None, href) for title, href in links]).html


def links_in_text(body: str, titles: Iterable[str]) -> tuple[set[str], set[int]]:
    """Which of `titles` the sanitised `body` carries as text (their keys,
    see normalise_title) and which stories it links to by story link."""
    linker = _BodyLinker([(title, None) for title in titles], {})
    linker.run(body)
    return {normalise_title(title) for title in linker.titles.found}, linker.stories_named


def body_for_editor(body: str, links: Iterable[tuple[str, int]]) -> str:
    """`body` with each (title, target id) title found in its text made a
    story link, so that the editor shows imported "(See …)" references as
    the links they are; saving keeps them in that form."""
    return link_titles(body, [(title, story_link(pk)) for title, pk in links])


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

"""Readable differences between two versions of a text, for editors.

`html_to_text` reads a rich-text body as its reader would: the words, one
paragraph per line, no markup. `word_diff` compares two texts paragraph by
paragraph, and the paragraphs that changed word by word, so that a changed
comma shows as that comma rather than as a whole paragraph replaced.
`diff_html` marks the result up with <ins> and <del>.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser
from typing import Literal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Elements that end a line of text for a reader.
_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "br", "hr"}
    | {"tr", "figure", "figcaption", "ul", "ol", "table", "section", "article"}
)


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text of an HTML fragment: one line per paragraph, spaces collapsed."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)


Kind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[Segment]:
    """`old` turned into `new` as runs of kept, removed and added text."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        if segments:  # the line break between this run and the one before
            segments.append(Segment("same", "\n"))
        if tag == "equal":
            segments.append(Segment("same", before))
        elif tag == "delete":
            segments.append(Segment("removed", before))
        elif tag == "insert":
            segments.append(Segment("added", after))
        else:
            segments += _words_diff(before, after)
    return _merged(segments)


# Below this share of words in common, a rewritten passage reads better as
# the old one struck out and the new one in full than as shreds of both.
REWRITTEN = 0.5


def _words_diff(old: str, new: str) -> list[Segment]:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    if matcher.ratio() < REWRITTEN:
        return [Segment("removed", old), Segment("added", new)]
    segments = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old_words[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new_words[j1:j2])))
    return segments


def _merged(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(segment.kind, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def has_changes(segments: list[Segment]) -> bool:
    return any(segment.kind != "same" for segment in segments)


_TAGS = {"added": "ins", "removed": "del"}


def diff_html(segments: list[Segment]) -> SafeString:
    """The segments as HTML: kept text plain, <del> for removed, <ins> for added.

    Line breaks stay newlines: the page shows the text with `white-space: pre-wrap`.
    """
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<{0}>{1}</{0}>", _TAGS[s.kind], s.text) if s.kind != "same" else s.text,)
            for s in segments
        ),
    )

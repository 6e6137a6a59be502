"""Parser for the legacy plain-text story exports.

The format is described in the shared ``legacy-format.md``: title, standfirst,
an optional repeated header, an optional photo caption, a dateline, body
paragraphs (with ``(See TITLE.)`` cross-links), a byline paragraph, a block of
topic lines and some call-to-action boilerplate.

This module is pure Python (no Django) so it can be used and tested on its
own. Every regular expression is written so that it cannot backtrack
catastrophically: parsing arbitrary text stays linear-ish.
"""

from __future__ import annotations

import codecs
import datetime
import re
from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from legacy.lexicon import (
    ABBREVIATIONS,
    MONTH_NUMBERS,
    MONTHS,
    NAME_PARTICLES,
    SURNAME_PREFIXES,
    WEEKDAY_NUMBERS,
    WEEKDAYS,
)
from legacy.result import Author, ParsedStory, Photo
from legacy.sources import extract_sources as _default_extract_sources
from newsroom.text import normalise_title

__all__ = ["LegacyFormatError", "decode", "parse", "parse_bytes", "read_title"]


class LegacyFormatError(ValueError):
    """A file that cannot be read as a story; `line` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


_NON_SPACE = re.compile(r"\S")
_LINE_END = re.compile(r"[\r\n]")

# --- dates -----------------------------------------------------------------

# Matched against a line whose white space has been collapsed to single spaces.
_DATELINE = re.compile(
    r"(?:(?P<weekday>[a-z]+)\.?,? )?"
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\.? (?P<month>[a-z]+)\.?"
    r"|(?P<month_first>[a-z]+)\.? (?P<day_second>\d{1,2})(?:st|nd|rd|th)?)"
    r",? (?P<year>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE | re.ASCII,
)
_DATE_EXAMPLE = "'Friday, 14 December, 2012'"

# --- header, body and tail ---------------------------------------------------

_PHOTO = re.compile(r"\(\s?photo:(.*)\)$", re.IGNORECASE)
_SEE = re.compile(r"\(See\s([^()]*)\)")
_SEPARATOR = re.compile(r"(, and | and |, )")
_SEE_TRAILER = re.compile(
    r",? for (?:more|further|background|details?|context|related"
    r"|(?:an? |the )?(?:earlier|previous|recent|related|full|background) [a-z]+)"
    r"(?: .*)?$"
)
_MAX_TITLE_SEGMENTS = 8  # a title never spans more separators than this

_NAME_WORD = r"(?:[^\W\d_]\.|[^\W\d_][\w'’\-]*)"
_NAME_IS = re.compile(rf"({_NAME_WORD}(?: {_NAME_WORD}){{1,5}}?) is ")
# "al-Assad", "d’Estaing": a lower-case name word joined to what follows.
_NAME_PARTICLE_PREFIXES = tuple(
    sorted(f"{prefix}{mark}" for prefix in SURNAME_PREFIXES for mark in "-’'")
)
_NOT_FIRST_NAMES = frozenset(
    "he her here his it its one our she that the there these they this those "
    "we what which who".split()
)

_BOILERPLATE = re.compile(
    r"(?:please )?(?:"
    r"support (?:\w+ ){0,3}(?:journalis\w*|journalism|reporting|reporters?|iwpr"
    r"|us|our work)"
    r"|donate\b.*|make a donation\b.*|subscribe\b.*|sign up\b.*"
    r"|follow (?:us|iwpr)\b.*|become a (?:member|supporter)\b.*"
    r")",
    re.IGNORECASE,
)
_TOPIC_LINE_MAX_CHARS = 80
_TOPIC_LINE_MAX_WORDS = 10
_SENTENCE_END = tuple('.!?,;:"”’…')


def decode(data: bytes) -> str:
    """Decode a file's bytes: UTF-8, without BOM, with ``\\n`` line ends only."""
    data = bytes(data)
    if not data or data == codecs.BOM_UTF8:
        raise LegacyFormatError("file is empty")
    nul = data.find(b"\0")
    if nul != -1:
        raise _binary_error(data, nul)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _binary_error(data, exc.start) from None
    return _normalise_newlines(text)


def read_title(text: str) -> str | None:
    """Return the title (first non-blank line, stripped) without parsing the rest."""
    start = 1 if text.startswith("\ufeff") else 0
    first = _NON_SPACE.search(text, start)
    if first is None:
        return None
    end = _LINE_END.search(text, first.start())
    return text[first.start() : end.start() if end else len(text)].strip()


def parse_bytes(data: bytes, **kwargs: Any) -> ParsedStory:
    """Shorthand for ``parse(decode(data), **kwargs)``."""
    return parse(decode(data), **kwargs)


def parse(
    text: str,
    *,
    known_titles: Collection[str] = frozenset(),
    extract_sources: Callable[..., Sequence[Any]] | None = None,
) -> ParsedStory:
    """Parse one story.

    ``known_titles`` holds the ``normalise_title`` keys of every story known
    to the run; it is only used to split See clauses naming several stories.
    ``extract_sources`` finds the quoted sources in the body paragraphs
    (``legacy.sources.extract_sources`` unless another is given).

    Raises LegacyFormatError when the text cannot be read as a story.
    """
    lines = [line.strip() for line in _normalise_newlines(text).split("\n")]
    warnings: list[str] = []
    header = _read_header(lines, warnings)
    blocks = _blocks(lines, header.body_at)
    topics = _take_topics(blocks)
    authors = _take_byline(blocks)
    body = [" ".join(block) for block in blocks]

    if not body:
        warnings.append("no body text after the dateline")
    if not authors:
        warnings.append("no byline: the story has no authors")

    extractor = extract_sources if extract_sources is not None else _default_extract_sources
    sources = list(extractor(body, exclude=[author.name for author in authors]))
    return ParsedStory(
        title=header.title,
        standfirst=header.standfirst,
        published=header.published,
        photo=header.photo,
        body=body,
        cross_links=_cross_links(body, known_titles),
        authors=authors,
        sources=sources,
        topics=topics,
        warnings=warnings,
    )


@dataclass(frozen=True)
class _Header:
    """What a story file says before its body."""

    title: str
    standfirst: str
    published: datetime.date
    photo: Photo | None
    body_at: int  # the index of the line after the header


def _read_header(lines: list[str], warnings: list[str]) -> _Header:
    """The title, standfirst, photo caption and dateline at the top of `lines`."""
    title_at = _next_filled(lines, 0)
    if title_at is None:
        raise LegacyFormatError("file is empty (only white space)")
    title = lines[title_at]
    standfirst_at = _next_filled(lines, title_at + 1)
    if standfirst_at is None:
        raise LegacyFormatError("only a title: no standfirst or dateline", line=title_at + 1)
    standfirst = lines[standfirst_at]
    position = standfirst_at + 1
    if _dateline_match(standfirst) or _caption(standfirst):
        standfirst = ""
        position = standfirst_at
        warnings.append("no standfirst")
    position = _skip_repeated_header(lines, position, title, standfirst)

    captions: list[tuple[Photo, int]] = []
    position = _collect_captions(lines, position, captions)
    dateline_at = _next_filled(lines, position)
    if dateline_at is None:
        raise LegacyFormatError(
            f"no dateline: the file ends after the header, expected a date such as {_DATE_EXAMPLE}",
            line=_last_filled(lines, position) + 1,
        )
    published = _read_dateline(lines[dateline_at], dateline_at + 1, warnings)
    position = _collect_captions(lines, dateline_at + 1, captions)
    return _Header(title, standfirst, published, _choose_photo(captions, warnings), position)


def _take_byline(blocks: list[list[str]]) -> list[Author]:
    """Remove the byline paragraph from the end of `blocks`; return its authors."""
    found = _byline_authors(" ".join(blocks[-1])) if blocks else None
    if not found:
        return []
    blocks.pop()
    return found


# --- helpers: lines and header ------------------------------------------------


def _normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary_error(data: bytes, offset: int) -> LegacyFormatError:
    return LegacyFormatError(
        f"not a UTF-8 text file (binary data at byte {offset})",
        line=data.count(b"\n", 0, offset) + 1,
    )


def _next_filled(lines: list[str], start: int) -> int | None:
    """Index of the first non-blank line at or after `start`."""
    for index in range(start, len(lines)):
        if lines[index]:
            return index
    return None


def _last_filled(lines: list[str], end: int) -> int:
    for index in range(min(end, len(lines)) - 1, -1, -1):
        if lines[index]:
            return index
    return 0


def _collapse(text: str) -> str:
    """Collapse runs of white space (non-breaking spaces included) to one space."""
    return " ".join(text.split())


def _same_text(a: str, b: str) -> bool:
    return a == b or normalise_title(a) == normalise_title(b)


def _skip_repeated_header(lines: list[str], position: int, title: str, standfirst: str) -> int:
    """Skip the title and standfirst printed a second time, if they are."""
    index = _next_filled(lines, position)
    if index is None or not _same_text(lines[index], title):
        return position
    position = index + 1
    index = _next_filled(lines, position)
    if standfirst and index is not None and _same_text(lines[index], standfirst):
        position = index + 1
    return position


def _caption(line: str) -> Photo | None:
    if not line.endswith(")"):
        return None
    match = _PHOTO.search(line)
    if match is None:
        return None
    return Photo(caption=line[: match.start()].strip(), credit=match.group(1).strip())


def _collect_captions(lines: list[str], position: int, captions: list[tuple[Photo, int]]) -> int:
    """Append the caption lines starting at `position`; return where they end."""
    while (index := _next_filled(lines, position)) is not None:
        photo = _caption(lines[index])
        if photo is None:
            break
        captions.append((photo, index + 1))
        position = index + 1
    return position


def _choose_photo(captions: list[tuple[Photo, int]], warnings: list[str]) -> Photo | None:
    if not captions:
        return None
    photo = captions[0][0]
    for other, line in captions[1:]:
        if _collapse(other.caption) != _collapse(photo.caption) or other.credit != photo.credit:
            warnings.append(f"line {line}: a second, different photo caption was ignored")
    return photo


# --- helpers: dateline ----------------------------------------------------------


def _dateline_match(line: str) -> re.Match[str] | None:
    return _DATELINE.fullmatch(_collapse(line).rstrip("."))


def _read_dateline(line: str, line_number: int, warnings: list[str]) -> datetime.date:
    match = _dateline_match(line)
    if match is None:
        preview = line if len(line) <= 60 else line[:57] + "..."
        raise LegacyFormatError(
            f"no dateline: expected a date such as {_DATE_EXAMPLE}, found {preview!r}",
            line=line_number,
        )
    if match["iso"]:
        year, month, day = (int(part) for part in match["iso"].split("-"))
        weekday = None
    else:
        month_name = (match["month"] or match["month_first"]).lower()
        named_month = MONTH_NUMBERS.get(month_name)
        weekday = match["weekday"]
        if named_month is None or (weekday and weekday.lower() not in WEEKDAY_NUMBERS):
            raise LegacyFormatError(
                f"no dateline: {line!r} is not a date such as {_DATE_EXAMPLE}",
                line=line_number,
            )
        month = named_month
        year, day = int(match["year"]), int(match["day"] or match["day_second"])
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        raise LegacyFormatError(
            f"the dateline {line!r} is not a valid date", line=line_number
        ) from None
    if weekday and WEEKDAY_NUMBERS[weekday.lower()] != date.weekday():
        stated = WEEKDAYS[WEEKDAY_NUMBERS[weekday.lower()]].capitalize()
        actual = WEEKDAYS[date.weekday()].capitalize()
        warnings.append(
            f"dateline says {stated} but {date.day} {MONTHS[month - 1].capitalize()} "
            f"{date.year} was a {actual}"
        )
    return date


# --- helpers: body, topics, bylines ----------------------------------------------


def _blocks(lines: list[str], start: int) -> list[list[str]]:
    """Group the non-blank lines from `start` on into blank-line separated blocks."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[start:]:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_boilerplate(line: str) -> bool:
    return len(line) <= 100 and _BOILERPLATE.fullmatch(_collapse(line).rstrip(".!")) is not None


def _is_topic_line(line: str) -> bool:
    return (
        len(line) <= _TOPIC_LINE_MAX_CHARS
        and len(line.split()) <= _TOPIC_LINE_MAX_WORDS
        and not line.endswith(_SENTENCE_END)
        and not line.startswith("(")
        and any(char.isalpha() for char in line)
    )


def _take_topics(blocks: list[list[str]]) -> list[str]:
    """Remove trailing boilerplate and the topics block from `blocks`; return the topics.

    The topics block is the last block of short, non-sentence lines; it may be
    glued to the byline paragraph without a blank line in between.
    """
    topics: list[str] = []
    while blocks:
        kept = [line for line in blocks[-1] if not _is_boilerplate(line)]
        if not kept:
            blocks.pop()
            continue
        blocks[-1] = kept
        if topics:
            break
        split = len(kept)
        while split and _is_topic_line(kept[split - 1]):
            split -= 1
        if split == 0:
            topics = kept
            blocks.pop()
            continue
        if split < len(kept) and _byline_authors(" ".join(kept[:split])):
            topics = kept[split:]
            blocks[-1] = kept[:split]
        break
    unique: dict[str, str] = {}
    for topic in topics:
        topic = _collapse(topic)
        unique.setdefault(topic.casefold(), topic)
    return list(unique.values())


def _is_name(name: str) -> bool:
    words = name.split(" ")
    if words[0].casefold() in _NOT_FIRST_NAMES or not words[-1][0].isupper():
        return False
    capitalised = 0
    for word in words:
        if word[0].isupper():
            capitalised += 1
        elif word not in NAME_PARTICLES and not word.startswith(_NAME_PARTICLE_PREFIXES):
            return False
    return 2 <= capitalised <= 4


def _name_at(text: str, position: int) -> re.Match[str] | None:
    match = _NAME_IS.match(text, position)
    return match if match and _is_name(match.group(1)) else None


def _is_abbreviation(word: str) -> bool:
    """Whether a full stop after `word` is part of it ("St.", "D.C.", "J.")."""
    return len(word) == 1 or "." in word or word in ABBREVIATIONS


def _byline_authors(paragraph: str) -> list[Author] | None:
    """Authors when the paragraph is made only of ``NAME is ROLE.`` sentences."""
    text = _collapse(paragraph)
    authors: list[Author] = []
    position = 0
    while position < len(text):
        match = _name_at(text, position)
        if match is None:
            return None
        role_start = match.end()
        end = text.find(".", role_start)
        while end != -1 and end + 1 < len(text):
            if text[end + 1] == " ":
                if _name_at(text, end + 2):
                    break
                if not _is_abbreviation(text[text.rfind(" ", role_start, end) + 1 : end]):
                    return None  # a sentence that is not "NAME is ROLE."
            end = text.find(".", end + 1)
        if end == -1:
            end = len(text)
        role = text[role_start:end].strip()
        if not role:
            return None
        authors.append(Author(name=match.group(1), role=role))
        position = end + 2
    return authors or None


# --- helpers: cross-links -------------------------------------------------------


def _cross_links(body: list[str], known_titles: Collection[str]) -> list[str]:
    known = known_titles if isinstance(known_titles, (AbstractSet, dict)) else None
    links: dict[str, str] = {}
    for paragraph in body:
        if "(See" not in paragraph:
            continue
        for match in _SEE.finditer(paragraph):
            if known is None:
                known = frozenset(known_titles)
            for title in _see_titles(match.group(1), known):
                links.setdefault(normalise_title(title), title)
    return list(links.values())


def _see_titles(clause: str, known: Collection[str]) -> list[str]:
    """The titles named by the inside of a ``(See ...)`` clause, in order."""
    content = _collapse(clause)
    if content.startswith("also "):
        content = content[5:]
    content = content.rstrip(". ")
    if not content or content[0].islower():
        return []
    trailer = _SEE_TRAILER.search(content)
    if trailer and not _ends_with_known_title(content, known):
        content = content[: trailer.start()].rstrip(" .,")
    parts = _SEPARATOR.split(content)
    if len(parts) == 1:
        return [content] if content else []

    # Segment i spans content[starts[i]:ends[i]]; a title covers consecutive
    # segments. Choose the split with the most known titles, then the fewest
    # titles; unknown text splits at every separator.
    starts, ends, offset = [], [], 0
    for index, part in enumerate(parts):
        if index % 2 == 0:
            starts.append(offset)
            ends.append(offset + len(part))
        offset += len(part)
    count = len(starts)
    best: list[tuple[int, int]] = [(0, 0)] + [(-1, 0)] * count
    back = [0] * (count + 1)
    for stop in range(1, count + 1):
        for first in range(max(0, stop - _MAX_TITLE_SEGMENTS), stop):
            is_known = (
                bool(known) and normalise_title(content[starts[first] : ends[stop - 1]]) in known
            )
            if stop - first > 1 and not is_known:
                continue
            score = (best[first][0] + is_known, best[first][1] - 1)
            if score > best[stop]:
                best[stop], back[stop] = score, first
    titles: list[str] = []
    stop = count
    while stop:
        first = back[stop]
        title = content[starts[first] : ends[stop - 1]].strip()
        if title:
            titles.append(title)
        stop = first
    return titles[::-1]


def _ends_with_known_title(content: str, known: Collection[str]) -> bool:
    """Whether a known title ends the clause (so its last words are no trailer)."""
    if not known:
        return False
    if normalise_title(content) in known:
        return True
    separators = list(_SEPARATOR.finditer(content))[-_MAX_TITLE_SEGMENTS:]
    return any(normalise_title(content[match.end() :]) in known for match in separators)

"""The result objects of the legacy parser: plain data, no Django."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Photo:
    caption: str
    credit: str


@dataclass(frozen=True)
class Author:
    name: str
    role: str


@dataclass(frozen=True)
class Source:
    """A person the story quotes, with the description the story gives them.

    `aliases` holds the other spellings of the name seen in the story
    (a misspelt surname such as "Zhovtos" for "Zhovtis").
    """

    name: str
    description: str
    aliases: tuple[str, ...] = ()


@dataclass
class ParsedStory:
    title: str
    standfirst: str
    published: datetime.date
    photo: Photo | None = None
    body: list[str] = field(default_factory=list)
    cross_links: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_contract(self, file_name: str) -> dict[str, Any]:
        """The JSON shape documented in legacy-format.md."""
        return {
            "file": file_name,
            "title": self.title,
            "standfirst": self.standfirst,
            "published": self.published.isoformat(),
            "photo": (
                {"caption": self.photo.caption, "credit": self.photo.credit} if self.photo else None
            ),
            "body": list(self.body),
            "cross_links": list(self.cross_links),
            "authors": [{"name": a.name, "role": a.role} for a in self.authors],
            "sources": [{"name": s.name, "description": s.description} for s in self.sources],
            "topics": list(self.topics),
            "warnings": list(self.warnings),
        }

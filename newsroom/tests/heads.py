"""What a page's <head> tells those who share or index it, read as they read it."""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Head:
    meta: dict[str, list[str]] = field(default_factory=dict)  # property or name: contents
    canonical: list[str] = field(default_factory=list)
    json_ld: list[Any] = field(default_factory=list)

    def one(self, key: str) -> str:
        """The content of the one meta tag `key`; fails if there are none or several."""
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def has(self, key: str) -> bool:
        return key in self.meta


class _HeadReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self._script: list[str] | None = None
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        attributes = dict(attrs)
        if tag == "meta" and "content" in attributes:
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.head.meta.setdefault(key, []).append(attributes["content"] or "")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.head.canonical.append(attributes.get("href") or "")
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.head.json_ld.append(json.loads("".join(self._script)))
            self._script = None
        elif tag == "head":
            self._done = True


def head_of(response) -> Head:
    """The meta tags, canonical links and JSON-LD in a response's <head>."""
    reader = _HeadReader()
    reader.feed(response.content.decode())
    return reader.head

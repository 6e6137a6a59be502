"""What a browser would post from a page's form, read from the page's HTML.

Tests of the edit page post what the page holds (its hidden version, its
inline rows, the rich-text editor's textarea), changed as a user would,
rather than data assembled by hand.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            self._input(name, attributes)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._option, self._text = attributes, []

    def _input(self, name, attributes):
        kind = (attributes.get("type") or "text").lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            return
        if kind in ("checkbox", "radio") and "checked" not in attributes:
            return
        self.fields.append((name, attributes.get("value") or ("on" if kind == "checkbox" else "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select:
            if "selected" in self._option:
                value = self._option.get("value")
                self.fields.append((self._select, "".join(self._text) if value is None else value))
            self._option = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea or self._option is not None:
            self._text.append(data)


def form_data(html: str, form_id: str = "story_form") -> dict[str, list[str]]:
    """The fields the form `form_id` would post, as the test client takes them."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data


def edited(data: dict[str, list[str]], **fields: str) -> dict[str, list[str]]:
    """`data` with some fields set to new values."""
    return data | {name: [value] for name, value in fields.items()}

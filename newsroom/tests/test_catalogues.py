"""The Russian catalogues (locale/ru/LC_MESSAGES): every string translated,
none fuzzy or left over, each translation keeping its placeholders, and the
committed .mo compiled from the .po as it is. Read by a small parser of the
.po format here, so the check needs no gettext tools."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"
CATALOGUES = ["django", "djangojs"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
BRACES = re.compile(r"\{(\w+)\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return self.msgid if self.context is None else f"{self.context}\x04{self.msgid}"


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") first."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("", 0)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry = None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _space, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr", int(match[1])) if match else (keyword, 0)
            _append(entry, target, ast.literal_eval(value), start=True)
    return entries


def _append(entry: Entry, target: tuple[str, int], value: str, start: bool = False) -> None:
    keyword, index = target
    if keyword == "msgstr":
        entry.msgstr[index] = ("" if start else entry.msgstr[index]) + value
    elif keyword == "msgid":
        entry.msgid = ("" if start else entry.msgid) + value
    elif keyword == "msgid_plural":
        entry.plural = ("" if start else entry.plural or "") + value
    elif keyword == "msgctxt":
        entry.context = ("" if start else entry.context or "") + value
    else:
        raise AssertionError(f"line {entry.line}: unknown keyword {keyword!r}")


def catalogue(name: str) -> list[Entry]:
    return parse_po((LOCALE / f"{name}.po").read_text(encoding="utf-8"))


def plural_count(entries: list[Entry]) -> int:
    header = entries[0].msgstr[0]
    match = re.search(r"nplurals=(\d+)", header)
    assert entries[0].msgid == "" and match, "the header names the plural forms"
    return int(match[1])


def test_the_parser_reads_plurals_contexts_flags_and_continued_lines():
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "a"\nmsgid "one %(n)s"\nmsgid_plural "many"\n'
        'msgstr[0] "x"\nmsgstr[1] ""\n"y \\"z\\""\n'
    )
    assert plural_count(entries) == 2
    entry = entries[1]
    assert (entry.context, entry.msgid, entry.plural) == ("a", "one %(n)s", "many")
    assert entry.msgstr == {0: "x", 1: 'y "z"'}
    assert entry.flags == {"fuzzy", "python-format"}


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_string_is_translated_and_none_is_fuzzy_or_left_over(name):
    entries = catalogue(name)
    forms = plural_count(entries)
    problems = []
    for entry in entries[1:]:
        where = f"{name}.po line {entry.line} ({entry.msgid[:40]!r})"
        if entry.obsolete:
            problems.append(f"{where}: obsolete (#~): drop it")
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        wanted = forms if entry.plural is not None else 1
        if len(entry.msgstr) != wanted or not all(entry.msgstr.values()):
            problems.append(f"{where}: untranslated")
    assert len(entries) > 20
    assert problems == []


@pytest.mark.parametrize("name", CATALOGUES)
def test_translations_keep_their_placeholders(name):
    problems = []
    for entry in catalogue(name)[1:]:
        for pattern in (PLACEHOLDER, BRACES):
            english = set(pattern.findall(entry.msgid))
            english_plural = set(pattern.findall(entry.plural or ""))
            for index, text in entry.msgstr.items():
                russian = set(pattern.findall(text))
                # A plural's forms may each name the count or not, but
                # nothing the English does not have, and a singular keeps all.
                if entry.plural is None:
                    fine = russian == english
                else:
                    fine = russian <= english | english_plural and english - {"count"} <= russian
                if not fine:
                    problems.append(f"line {entry.line} form {index}: {russian} for {english}")
    assert problems == []


@pytest.mark.parametrize("name", CATALOGUES)
def test_the_compiled_catalogue_is_the_po_as_it_is(name):
    with (LOCALE / f"{name}.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    po: dict[str | tuple[str, int], str] = {}
    for entry in catalogue(name)[1:]:
        if entry.plural is None:
            po[entry.key] = entry.msgstr[0]
        else:
            po |= {(entry.key, index): text for index, text in entry.msgstr.items()}
    mo.pop("", None)
    assert mo == po, "run `make messages` and commit the .mo"

"""Old addresses of stories: the checks a redirect passes, the fallback that
answers them, and the import of a CSV of them.

A PathRedirect names a story, not another address, so following one never
leads to a second redirect or back to itself; slug renames keep their own
table (StoryRedirect, see articles.services.record_slug_change). The
fallback answers only what would otherwise be a 404, and only with a
story readers may see.
"""

import codecs
import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext, ngettext

from articles.models import PathRedirect, Story
from newsroom.validation import max_length


def check_redirect(*, old_path: str, story: Story | None) -> str:
    """`old_path` normalised, or a ValidationError saying what is wrong with it."""
    path = PathRedirect.normalise(old_path)
    if not old_path.strip().startswith("/") or not path:
        raise ValidationError(
            gettext("The old path must start with “/”, e.g. /en/news/12345.html.")
        )
    limit = max_length(PathRedirect, "old_path")
    if len(path) > limit:
        raise ValidationError(
            gettext("The old path is %(length)d characters long; at most %(limit)d fit.")
            % {"length": len(path), "limit": limit}
        )
    if story is not None and path == PathRedirect.normalise(story.get_absolute_url()):
        raise ValidationError(
            gettext("That is the story's own address: it would redirect to itself.")
        )
    clash = story_at(path)
    if clash is not None:
        raise ValidationError(
            gettext("That is the address of the story “%(story)s”, which is live.")
            % {"story": clash}
        )
    return path


def story_at(path: str) -> Story | None:
    """The live story whose page `path` is, if any."""
    try:
        match = resolve(path.rstrip("/") + "/")
    except Resolver404:
        return None
    if match.view_name == "articles:story":
        return Story.objects.live().filter(slug=match.kwargs["slug"]).first()
    if match.view_name == "articles:story_by_id":
        return Story.objects.live().filter(pk=match.kwargs["pk"]).first()
    return None


def find_story(reference: str) -> Story | None:
    """The live story that `reference` names: its id, its slug, or its address
    (current, by id, or an old slug's)."""
    reference = reference.strip()
    if reference.isdigit():
        return Story.objects.live().filter(pk=int(reference)).first()
    if "/" in reference:
        path = PathRedirect.normalise(reference)
        found = story_at(path)
        if found is None and path.startswith("/stories/"):
            old_slug = path.rstrip("/").rsplit("/", 1)[-1]
            found = Story.objects.live().redirected_from(old_slug).first()
        return found
    return Story.objects.live().filter(slug=reference).first()


class RedirectFallbackMiddleware:
    """Answers a 404 whose path is a redirect's old path with a 301 to its story."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        story = (
            Story.objects.published()
            .filter(path_redirects__in=PathRedirect.objects.for_path(request.path_info))
            .only("slug")
            .first()
        )
        if story is None:
            return response
        return HttpResponsePermanentRedirect(story.get_absolute_url())


# --- Importing a CSV ----------------------------------------------------------

# The columns the header row names (others are ignored).
HEADER = ("old_path", "story")


@dataclass(frozen=True)
class LineError:
    line: int
    problem: str

    def __str__(self) -> str:
        return gettext("line %(line)d: %(problem)s") % {"line": self.line, "problem": self.problem}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[LineError] = field(default_factory=list)


def csv_text(data: bytes) -> str:
    """The text of an uploaded CSV file, or a ValidationError saying why it has none."""
    if not data.strip():
        raise ValidationError(
            gettext(
                "The file is empty: it needs the header old_path,story and a line per redirect."
            )
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError(
            gettext("The file is UTF-16 text: save it as “CSV UTF-8” and upload it again.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValidationError(
            gettext(
                "The file is not UTF-8 text (line %(line)d is not): "
                "save it as “CSV UTF-8” and upload it again."
            )
            % {"line": line}
        ) from None
    if "\x00" in text:
        raise ValidationError(gettext("The file holds NUL characters: it is not a CSV text file."))
    return text


def read_rows(lines: Iterable[str]) -> tuple[list[tuple[int, str, Story]], list[LineError]]:
    """The CSV's (line, old path, story) rows and the errors of its bad lines.

    The first row is a header naming the columns old_path and story.
    """
    reader = csv.DictReader(lines)
    rows: list[tuple[int, str, Story]] = []
    errors: list[LineError] = []
    try:
        if reader.fieldnames is None or not set(HEADER) <= set(reader.fieldnames):
            return [], [LineError(1, gettext("the header must name the columns old_path,story"))]
        seen: dict[str, int] = {}
        for record in reader:
            row = _read_line(reader.line_num, record, seen)
            if isinstance(row, LineError):
                errors.append(row)
            else:
                seen[row[1]] = row[0]
                rows.append(row)
    except csv.Error as error:
        problem = gettext("this line cannot be read as CSV (%(error)s)") % {"error": error}
        errors.append(LineError(reader.line_num, problem))
    return rows, errors


def _read_line(
    line: int, record: dict[str | Any, Any], seen: dict[str, int]
) -> tuple[int, str, Story] | LineError:
    """One line's row, or what is wrong with it; `seen`: the old paths of earlier lines."""
    old_path = (record.get("old_path") or "").strip()
    reference = (record.get("story") or "").strip()
    if "\x00" in old_path + reference:
        return LineError(line, gettext("the line holds a NUL character"))
    story = find_story(reference) if reference else None
    if story is None:
        problem = gettext("no story “%(story)s” (id, slug or URL)") % {"story": reference}
        return LineError(line, problem)
    try:
        path = check_redirect(old_path=old_path, story=story)
    except ValidationError as error:
        problem = gettext("“%(path)s”: %(problem)s") % {
            "path": old_path,
            "problem": " ".join(error.messages),
        }
        return LineError(line, problem)
    if path in seen:
        problem = gettext("“%(path)s” is on line %(line)d already")
        return LineError(line, problem % {"path": path, "line": seen[path]})
    return line, path, story


def import_redirects(*, lines: Iterable[str], dry_run: bool = False) -> ImportResult:
    """Add (or re-point) the CSV's redirects, all or nothing: with any bad
    line nothing is written and the result lists every error."""
    rows, errors = read_rows(lines)
    result = ImportResult(errors=errors)
    if errors:
        return result
    with transaction.atomic():
        # Written in bulk: a few queries for the whole file, not two a line.
        paths = [path for _line, path, _story in rows]
        existing = PathRedirect.objects.select_for_update().in_bulk(paths, field_name="old_path")
        for _line, path, story in rows:
            if path in existing:
                existing[path].story = story
        PathRedirect.objects.bulk_update(existing.values(), ["story"], batch_size=500)
        PathRedirect.objects.bulk_create(
            [PathRedirect(old_path=p, story=s) for _line, p, s in rows if p not in existing],
            batch_size=500,
        )
        result.updated = len(existing)
        result.created = len(rows) - len(existing)
        if dry_run:
            transaction.set_rollback(True)
    return result


def import_report(result: ImportResult, *, dry_run: bool) -> str:
    """What an import that succeeded did (or, checked only, would do)."""
    if dry_run:
        message = ngettext(
            "The file is good: it would import %(total)d redirect "
            "(%(created)d new, %(updated)d re-pointed). Nothing was imported.",
            "The file is good: it would import %(total)d redirects "
            "(%(created)d new, %(updated)d re-pointed). Nothing was imported.",
            result.created + result.updated,
        )
    else:
        message = ngettext(
            "Imported %(total)d redirect (%(created)d new, %(updated)d re-pointed).",
            "Imported %(total)d redirects (%(created)d new, %(updated)d re-pointed).",
            result.created + result.updated,
        )
    return message % {
        "total": result.created + result.updated,
        "created": result.created,
        "updated": result.updated,
    }

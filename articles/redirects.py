"""Old addresses of stories: the checks a redirect passes, the fallback that
answers them, and the import of a CSV of them.

A PathRedirect names a story, not another address, so following one never
leads to a second redirect or back to itself; slug renames keep their own
table (StoryRedirect, see articles.services.record_slug_change). The
fallback answers only what would otherwise be a 404, and only with a
story readers may see.
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from articles.models import PathRedirect, Story


def check_redirect(*, old_path: str, story: Story | None) -> str:
    """`old_path` normalised, or a ValidationError saying what is wrong with it."""
    path = PathRedirect.normalise(old_path)
    if not old_path.strip().startswith("/") or not path:
        raise ValidationError("The old path must start with “/”, e.g. /en/news/12345.html.")
    if story is not None and path == PathRedirect.normalise(story.get_absolute_url()):
        raise ValidationError("That is the story's own address: it would redirect to itself.")
    clash = story_at(path)
    if clash is not None:
        raise ValidationError(f"That is the address of the story “{clash}”, which is live.")
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


@dataclass(frozen=True)
class LineError:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[LineError] = field(default_factory=list)


def read_rows(lines: Iterable[str]) -> tuple[list[tuple[int, str, Story]], list[LineError]]:
    """The CSV's (line, old path, story) rows and the errors of its bad lines.

    The first row is a header naming the columns old_path and story.
    """
    reader = csv.DictReader(lines)
    if reader.fieldnames is None or not {"old_path", "story"} <= set(reader.fieldnames):
        return [], [LineError(1, "the header must name the columns old_path,story")]
    rows: list[tuple[int, str, Story]] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        old_path, reference = (record.get("old_path") or "").strip(), (record.get("story") or "")
        story = find_story(reference) if reference.strip() else None
        if story is None:
            errors.append(LineError(line, f"no story “{reference.strip()}” (id, slug or URL)"))
            continue
        try:
            path = check_redirect(old_path=old_path, story=story)
        except ValidationError as error:
            errors.append(LineError(line, f"“{old_path}”: {' '.join(error.messages)}"))
            continue
        if path in seen:
            errors.append(LineError(line, f"“{path}” is on line {seen[path]} already"))
            continue
        seen[path] = line
        rows.append((line, path, story))
    return rows, errors


def import_redirects(*, lines: Iterable[str], dry_run: bool = False) -> ImportResult:
    """Add (or re-point) the CSV's redirects, all or nothing: with any bad
    line nothing is written and the result lists every error."""
    rows, errors = read_rows(lines)
    result = ImportResult(errors=errors)
    if errors:
        return result
    with transaction.atomic():
        existing = set(
            PathRedirect.objects.filter(old_path__in=[p for _, p, _ in rows]).values_list(
                "old_path", flat=True
            )
        )
        for _, path, story in rows:
            PathRedirect.objects.update_or_create(old_path=path, defaults={"story": story})
        result.updated = len(existing)
        result.created = len(rows) - len(existing)
        if dry_run:
            transaction.set_rollback(True)
    return result

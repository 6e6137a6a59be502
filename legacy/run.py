"""One import run: every file read, parsed, then imported (or planned, in a dry run).

`import_files` is the per-file loop that the `import_legacy` command, the
tests and the benchmark all call. Each file is imported in a transaction of
its own: a file that fails leaves nothing behind and the rest go on. Every
way a file can fail (it cannot be read as a story, its image is invalid, a
value does not fit, the database refuses it, a bug) becomes a `FileFailure`
in the result, never an exception out of the loop.

Cross-links are matched by title. Before importing, a cheap first pass reads
the title of every file in the run, so that "(See A and B)" clauses are split
on titles about to exist, not only on those already in the database.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection

from articles.models import CrossLink, Story
from legacy.batch import FileFailure, image_index, known_titles, parse_files
from legacy.cache import ImportCache
from legacy.result import ParsedStory
from legacy.services import ImportOutcome, StoryImportError, import_story, plan_story

# Pages SQLite lets the WAL grow to before copying them back (default 1000).
# Fewer, larger checkpoints rewrite hot index pages less often (see bench/).
SQLITE_WAL_AUTOCHECKPOINT = 10_000


class OptionError(ValueError):
    """An import option that cannot be used, named for the person running the import."""


@dataclass(frozen=True, kw_only=True)
class ImportOptions:
    """How a run imports its files."""

    images: Path | None = None  # a folder of lead photos named like the story files
    draft: bool = False  # import as drafts instead of published stories
    overwrite: bool = False  # replace stories an editor changed since their import
    dry_run: bool = False  # parse and plan; write nothing

    def __post_init__(self) -> None:
        if self.images is not None and not self.images.is_dir():
            raise OptionError(f"--images {self.images}: no such folder.")

    @property
    def status(self) -> str:
        return Story.Status.DRAFT if self.draft else Story.Status.PUBLISHED


@dataclass(frozen=True)
class FileResult:
    """What became of one file: its parse and outcome, or why it failed."""

    path: Path
    parsed: ParsedStory | None = None
    outcome: ImportOutcome | None = None
    failure: FileFailure | None = None


@dataclass
class ImportSummary:
    """The whole run: how many files ended each way, the failures, and the time taken."""

    total: int
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    pending_links: int = 0  # cross-links in the database still waiting for their story

    def add(self, result: FileResult) -> None:
        if result.failure is not None:
            self.failures.append(result)
            self.counts["failed"] += 1
        elif result.outcome is not None:
            self.counts[result.outcome.action] += 1


def import_files(
    files: Sequence[Path],
    options: ImportOptions,
    *,
    on_file: Callable[[FileResult], object] | None = None,
) -> ImportSummary:
    """Import (or with `options.dry_run`, plan) each of `files`, in order.

    `on_file` is called with each file's result as soon as it is known.
    """
    started = time.monotonic()
    summary = ImportSummary(total=len(files))
    importer = _FileImporter(options)
    known = known_titles(files, in_database=importer.cache.titles)
    with _sqlite_bulk_writes():
        for path, parsed in parse_files(files, known):
            result = importer.result(path, parsed)
            summary.add(result)
            if on_file is not None:
                on_file(result)
    summary.seconds = time.monotonic() - started
    summary.pending_links = CrossLink.objects.pending().count()
    return summary


class _FileImporter:
    """Turns each parsed file into a FileResult, with what the run shares."""

    def __init__(self, options: ImportOptions) -> None:
        self.options = options
        self.images = image_index(options.images) if options.images else {}
        # One read of what each story would otherwise query for; its headline
        # keys are the database's share of the known titles.
        self.cache = ImportCache(preload=True)
        self.seen: dict[str, Path] = {}

    def result(self, path: Path, parsed: ParsedStory | FileFailure) -> FileResult:
        if isinstance(parsed, FileFailure):
            return FileResult(path, failure=parsed)
        if path.stem in self.seen:
            failure = FileFailure(
                f"{self.seen[path.stem]} in this run has the same name; file names "
                "are the stories' legacy ids and must be unique"
            )
            return FileResult(path, parsed, failure=failure)
        self.seen[path.stem] = path
        try:
            return FileResult(path, parsed, outcome=self._import(path, parsed))
        except FileFailure as failure:
            return FileResult(path, parsed, failure=failure)

    def _import(self, path: Path, parsed: ParsedStory) -> ImportOutcome:
        service = plan_story if self.options.dry_run else import_story
        try:
            return service(
                parsed=parsed,
                legacy_id=path.stem,
                image_path=self.images.get(path.stem),
                status=self.options.status,
                overwrite=self.options.overwrite,
                cache=self.cache,
            )
        except StoryImportError as exc:
            raise FileFailure(str(exc)) from exc
        except ValidationError as exc:
            raise FileFailure(" ".join(exc.messages)) from exc
        except DatabaseError as exc:
            raise FileFailure(f"database error: {exc}") from exc
        except Exception as exc:  # a bug must not stop a 10,000-file run; report it
            raise FileFailure(
                f"unexpected error {type(exc).__name__}: {exc}",
                details=traceback.format_exc(),
            ) from exc


@contextlib.contextmanager
def _sqlite_bulk_writes() -> Iterator[None]:
    """On SQLite, checkpoint the WAL less often while the run lasts."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_AUTOCHECKPOINT}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint = 1000")

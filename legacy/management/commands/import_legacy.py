"""Import legacy plain-text story exports (see the shared legacy-format.md).

    python manage.py import_legacy fixtures/legacy --images fixtures/images
    python manage.py import_legacy "archive/**/*.txt" --draft
    python manage.py import_legacy story.txt --dry-run --json

Each file becomes one story, matched on its file name (the legacy id), in a
transaction of its own: a file that fails leaves nothing behind and the rest
go on. The run ends with a summary, and fails (exit status 1, CommandError
from `call_command`) when any file did.

Cross-links are matched by title. Before importing, a cheap first pass reads
the title of every file in the run so that "(See A and B)" clauses are split
on titles about to exist, not only on those already in the database.

Finding and parsing the files is legacy/batch.py (large runs parse
in a second process while this one writes); this command wires it to
articles/importing.py, relaxes SQLite's WAL auto-checkpoint so that commits
stay cheap (see bench/), and reports.
"""

from __future__ import annotations

import contextlib
import json
import textwrap
import time
import traceback
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from tqdm import tqdm

from articles.models import CrossLink, Story
from legacy.batch import (
    FileFailure,
    PathError,
    collect_files,
    image_index,
    known_titles,
    parse_files,
)
from legacy.result import ParsedStory
from legacy.services import (
    ImportCache,
    ImportOutcome,
    StoryImportError,
    import_story,
    plan_story,
)

PROGRESS_EVERY = 500
# Pages SQLite lets the WAL grow to before copying them back (default 1000).
# Fewer, larger checkpoints rewrite hot index pages less often.
SQLITE_WAL_AUTOCHECKPOINT = 10_000


@contextlib.contextmanager
def sqlite_bulk_writes():
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


class _RawStream:
    """What tqdm writes to: the command's stderr without OutputWrapper's line
    endings and error colour."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text):
        self._wrapper.write(text, style_func=str, ending="")

    def flush(self):
        self._wrapper.flush()


# --- the command ------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Import legacy plain-text stories from files, folders (every .txt inside) "
        "or glob patterns. Re-running updates stories in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="File, folder or pattern.")
        parser.add_argument(
            "--images",
            metavar="DIR",
            help="Folder of lead photos named like the story files (.jpg, .jpeg, .png, .webp).",
        )
        parser.add_argument(
            "--draft", action="store_true", help="Import as drafts instead of published."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace stories even where an editor changed them since their import.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="With --dry-run: print the parse results as JSON (an array for several files).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress output.")

    def handle(self, *args, **options):
        if options["json"] and not options["dry_run"]:
            raise CommandError("--json only works together with --dry-run.")
        images_dir = Path(options["images"]) if options["images"] else None
        if images_dir and not images_dir.is_dir():
            raise CommandError(f"--images {options['images']}: no such folder.")
        self.verbosity = options["verbosity"]
        self.dry_run = options["dry_run"]
        self.json = options["json"]
        # With --json, stdout carries the JSON alone; everything else goes to stderr.
        self.report = self.stderr if self.json else self.stdout
        self.bar = None

        try:
            files = collect_files(options["paths"])
        except PathError as exc:
            raise CommandError(str(exc)) from None
        started = time.monotonic()
        self.import_args = {
            "images": image_index(images_dir) if images_dir else {},
            "status": Story.Status.DRAFT if options["draft"] else Story.Status.PUBLISHED,
            "overwrite": options["overwrite"],
            # One read of what each story would otherwise query for; its
            # headline keys are the database's share of the known titles.
            "cache": ImportCache(preload=True),
        }
        known = known_titles(files, in_database=self.import_args["cache"].titles)

        counts: Counter[str] = Counter()
        failures: list[tuple[Path, FileFailure]] = []
        seen: dict[str, Path] = {}
        json_items = 0
        progress = not options["no_progress"] and self.verbosity >= 1 and len(files) > 1
        with sqlite_bulk_writes(), self._progress_bar(progress, len(files)):
            for number, (path, parsed) in enumerate(parse_files(files, known), 1):
                try:
                    if isinstance(parsed, FileFailure):
                        raise parsed
                    if path.stem in seen:
                        raise FileFailure(
                            f"{seen[path.stem]} in this run has the same name; file names "
                            "are the stories' legacy ids and must be unique"
                        )
                    seen[path.stem] = path
                    outcome = self._import(path, parsed)
                except FileFailure as failure:
                    failures.append((path, failure))
                    counts["failed"] += 1
                    if self.verbosity >= 2:
                        self._emit(self.stderr, self._failure_line(path, failure), "ERROR")
                else:
                    counts[outcome.action] += 1
                    self._report_file(path, parsed, outcome)
                    if self.json:
                        self._write_json(
                            parsed.as_contract(path.name),
                            first=not json_items,
                            only=len(files) == 1,
                        )
                        json_items += 1
                if self.bar is not None:
                    self.bar.update()
                elif progress and number % PROGRESS_EVERY == 0:
                    verb = "read" if self.dry_run else "imported"
                    self.stderr.write(f"{verb} {number}/{len(files)} files")
        if self.json and len(files) > 1:
            self.stdout.write("\n]" if json_items else "[]")
        elif self.json and json_items:
            self.stdout.write("")  # the newline after the object

        self._summary(counts, failures, len(files), time.monotonic() - started)
        if failures:
            what = "could not be read" if self.dry_run else "could not be imported"
            plural = "s" if len(files) != 1 else ""
            raise CommandError(f"{len(failures)} of {len(files)} file{plural} {what}.")

    def _import(self, path: Path, parsed: ParsedStory) -> ImportOutcome:
        """Import (or with --dry-run, plan) one parsed file."""
        args = self.import_args
        service = plan_story if self.dry_run else import_story
        try:
            return service(
                parsed=parsed,
                legacy_id=path.stem,
                image_path=args["images"].get(path.stem),
                status=args["status"],
                overwrite=args["overwrite"],
                cache=args["cache"],
            )
        except StoryImportError as exc:
            raise FileFailure(str(exc)) from exc
        except ValidationError as exc:
            raise FileFailure(" ".join(exc.messages)) from exc
        except DatabaseError as exc:
            raise FileFailure(f"database error: {exc}") from exc
        except Exception as exc:  # a bug must not stop a 10,000-file run; report it
            if self.verbosity >= 3:
                self._emit(self.stderr, traceback.format_exc())
            raise FileFailure(f"unexpected error {type(exc).__name__}: {exc}") from exc

    # --- output ---------------------------------------------------------------

    @contextlib.contextmanager
    def _progress_bar(self, wanted: bool, total: int):
        """A tqdm bar on a terminal; otherwise the loop prints plain progress lines."""
        if wanted and self.stderr.isatty():
            self.bar = tqdm(total=total, unit="file", file=_RawStream(self.stderr))
        try:
            yield
        finally:
            if self.bar is not None:
                self.bar.close()
                self.bar = None

    def _emit(self, stream, message: str, style: str | None = None) -> None:
        """Write a line without tearing the progress bar."""
        style_func = getattr(self.style, style) if style else None
        if self.bar is not None:
            with tqdm.external_write_mode(file=self.bar.fp):
                stream.write(message, style_func)
        else:
            stream.write(message, style_func)

    def _failure_line(self, path: Path, failure: FileFailure) -> str:
        where = f", line {failure.line}" if failure.line else ""
        return f"{path}{where}: {failure.reason}"

    def _report_file(self, path: Path, parsed: ParsedStory, outcome: ImportOutcome) -> None:
        if self.verbosity >= 1:
            for warning in parsed.warnings:
                self._emit(self.report, f"{path}: warning: {warning}", "WARNING")
        if outcome.action == "skipped":
            if self.verbosity >= 1:
                verb = "would skip" if self.dry_run else "skipped"
                self._emit(self.report, f"{path}: {verb}, {outcome.reason}", "NOTICE")
        elif self.verbosity >= 2 or (self.dry_run and not self.json and self.verbosity >= 1):
            action = outcome.action
            if self.dry_run and action != "unchanged":
                action = {"created": "would create", "updated": "would update"}[action]
            details = ""
            if outcome.action != "unchanged":
                details = (
                    f" ({_count(parsed.authors, 'author')}, {_count(parsed.sources, 'source')},"
                    f" {_count(parsed.topics, 'topic')}, {_count(parsed.cross_links, 'cross-link')}"
                    f" of which {outcome.pending_links} pending)"
                )
            self._emit(self.report, f"{path}: {action}: {parsed.title}{details}")

    def _write_json(self, item: dict, *, first: bool, only: bool) -> None:
        """One object for a single file; otherwise an array, written as it grows."""
        text = json.dumps(item, ensure_ascii=False, indent=2)
        if only:
            self.stdout.write(text, ending="")
        else:
            opening = "[\n" if first else ",\n"
            self.stdout.write(opening + textwrap.indent(text, "  "), ending="")

    def _summary(self, counts, failures, total: int, seconds: float) -> None:
        if failures:
            self.stderr.write(self.style.ERROR(f"{_count(failures, 'file')} failed:"))
            for path, failure in failures:
                self.stderr.write(f"  {self._failure_line(path, failure)}")
        if self.verbosity < 1:
            return
        pending = CrossLink.objects.pending().count()
        if self.dry_run:
            numbers = ", ".join(
                f"{counts[action]} {label}"
                for action, label in (
                    ("created", "to create"),
                    ("updated", "to update"),
                    ("unchanged", "unchanged"),
                    ("skipped", "to skip"),
                    ("failed", "failed"),
                )
            )
            self.report.write(
                f"Dry run of {_count(range(total), 'file')}: {numbers}; nothing was written. "
                f"Cross-links pending in the database: {pending}."
            )
            return
        numbers = ", ".join(
            f"{counts[action]} {action}"
            for action in ("created", "updated", "unchanged", "skipped", "failed")
        )
        style = self.style.ERROR if failures else self.style.SUCCESS
        self.report.write(
            style(
                f"{_count(range(total), 'file')} in {seconds:.1f} s: {numbers}. "
                f"Cross-links still pending: {pending}."
            )
        )


def _count(items, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"

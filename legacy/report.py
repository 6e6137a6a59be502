"""What the `import_legacy` command prints while a run goes and when it ends.

A line per file at verbosity 2 (and in a dry run), warnings and skipped
stories from verbosity 1, failures on stderr, a progress bar on a terminal
(plain "imported N/M files" lines otherwise), and the summary. With --json,
stdout carries the parse results alone, one object for one file and an array
written as it grows for several; everything else goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import textwrap
from collections.abc import Iterator, Sized
from typing import Any

from django.core.management.base import BaseCommand, OutputWrapper
from tqdm import tqdm

from legacy.run import FileResult, ImportSummary

PROGRESS_EVERY = 500  # files between plain progress lines when not on a terminal


class _RawStream:
    """What tqdm writes to: the command's stderr without OutputWrapper's line
    endings and error colour."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self._wrapper.flush()


class Report:
    """The command's output for one run of `total` files."""

    def __init__(
        self,
        command: BaseCommand,
        *,
        total: int,
        verbosity: int,
        dry_run: bool,
        json: bool,
        progress: bool,
    ) -> None:
        self.stdout, self.stderr, self.style = command.stdout, command.stderr, command.style
        self.total, self.verbosity, self.dry_run, self.json = total, verbosity, dry_run, json
        # With --json, stdout carries the JSON alone.
        self.out = self.stderr if json else self.stdout
        self.progress = progress and verbosity >= 1 and total > 1
        self.bar: tqdm[Any] | None = None
        self.done = 0
        self.json_items = 0

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Show a progress bar on a terminal while the run lasts; close the JSON after it."""
        if self.progress and self.stderr.isatty():
            self.bar = tqdm(total=self.total, unit="file", file=_RawStream(self.stderr))
        try:
            yield
        finally:
            if self.bar is not None:
                self.bar.close()
                self.bar = None
        if self.json and self.total > 1:
            self.stdout.write("\n]" if self.json_items else "[]")
        elif self.json and self.json_items:
            self.stdout.write("")  # the newline after the object

    def file(self, result: FileResult) -> None:
        """Report one file as soon as it is done."""
        if result.failure is not None:
            if self.verbosity >= 2:
                self._emit(self.stderr, self._failure_line(result), "ERROR")
            if self.verbosity >= 3 and result.failure.details:
                self._emit(self.stderr, result.failure.details)
        else:
            self._file_done(result)
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        elif self.progress and self.done % PROGRESS_EVERY == 0:
            verb = "read" if self.dry_run else "imported"
            self.stderr.write(f"{verb} {self.done}/{self.total} files")

    def _file_done(self, result: FileResult) -> None:
        parsed, outcome = result.parsed, result.outcome
        assert parsed is not None and outcome is not None
        if self.verbosity >= 1:
            for warning in parsed.warnings:
                self._emit(self.out, f"{result.path}: warning: {warning}", "WARNING")
        if outcome.action == "skipped":
            if self.verbosity >= 1:
                verb = "would skip" if self.dry_run else "skipped"
                self._emit(self.out, f"{result.path}: {verb}, {outcome.reason}", "NOTICE")
        elif self.verbosity >= 2 or (self.dry_run and not self.json and self.verbosity >= 1):
            self._emit(self.out, f"{result.path}: {self._action_line(result)}")
        if self.json:
            self._write_json(parsed.as_contract(result.path.name))

    def _action_line(self, result: FileResult) -> str:
        parsed, outcome = result.parsed, result.outcome
        assert parsed is not None and outcome is not None
        action: str = outcome.action
        if self.dry_run and action != "unchanged":
            action = {"created": "would create", "updated": "would update"}[action]
        details = ""
        if outcome.action != "unchanged":
            details = (
                f" ({_count(parsed.authors, 'author')}, {_count(parsed.sources, 'source')},"
                f" {_count(parsed.topics, 'topic')}, {_count(parsed.cross_links, 'cross-link')}"
                f" of which {outcome.pending_links} pending)"
            )
        return f"{action}: {parsed.title}{details}"

    def _write_json(self, item: dict[str, Any]) -> None:
        """One object for a single file; otherwise an array, written as it grows."""
        text = json.dumps(item, ensure_ascii=False, indent=2)
        if self.total == 1:
            self.stdout.write(text, ending="")
        else:
            opening = ",\n" if self.json_items else "[\n"
            self.stdout.write(opening + textwrap.indent(text, "  "), ending="")
        self.json_items += 1

    def _emit(self, stream: OutputWrapper, message: str, style: str | None = None) -> None:
        """Write a line without tearing the progress bar."""
        style_func = getattr(self.style, style) if style else None
        if self.bar is not None:
            with tqdm.external_write_mode(file=self.bar.fp):
                stream.write(message, style_func)
        else:
            stream.write(message, style_func)

    @staticmethod
    def _failure_line(result: FileResult) -> str:
        failure = result.failure
        assert failure is not None
        where = f", line {failure.line}" if failure.line else ""
        return f"{result.path}{where}: {failure.reason}"

    def summary(self, summary: ImportSummary) -> None:
        """The failures, each with its reason, then the counts."""
        if summary.failures:
            self.stderr.write(self.style.ERROR(f"{_count(summary.failures, 'file')} failed:"))
            for result in summary.failures:
                self.stderr.write(f"  {self._failure_line(result)}")
        if self.verbosity >= 1:
            self.out.write(self._dry_run_counts(summary) if self.dry_run else self._counts(summary))

    def _dry_run_counts(self, summary: ImportSummary) -> str:
        labels = {
            "created": "to create",
            "updated": "to update",
            "unchanged": "unchanged",
            "skipped": "to skip",
            "failed": "failed",
        }
        numbers = ", ".join(f"{summary.counts[action]} {label}" for action, label in labels.items())
        return (
            f"Dry run of {_count(range(summary.total), 'file')}: {numbers}; nothing was written. "
            f"Cross-links pending in the database: {summary.pending_links}."
        )

    def _counts(self, summary: ImportSummary) -> str:
        actions = ("created", "updated", "unchanged", "skipped", "failed")
        numbers = ", ".join(f"{summary.counts[action]} {action}" for action in actions)
        style = self.style.ERROR if summary.failures else self.style.SUCCESS
        return style(
            f"{_count(range(summary.total), 'file')} in {summary.seconds:.1f} s: {numbers}. "
            f"Cross-links still pending: {summary.pending_links}."
        )

    def failed(self, summary: ImportSummary) -> str:
        """The one line the command fails with when any file failed."""
        what = "could not be read" if self.dry_run else "could not be imported"
        plural = "s" if summary.total != 1 else ""
        return f"{len(summary.failures)} of {summary.total} file{plural} {what}."


def _count(items: Sized, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"

"""Import old addresses of stories (legacy URLs) from a CSV file.

The file's header names the columns `old_path,story`; `story` is a story's
id, slug or address. All or nothing: with any bad line nothing is written
and every bad line is listed with its number and problem. Re-running it
re-points existing old paths and adds no duplicates.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.redirects import import_redirects


class Command(BaseCommand):
    help = "Import redirects from old paths to stories from a CSV (columns old_path,story)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file, UTF-8, with a header row.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every line and report; write nothing."
        )

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        try:
            with Path(file).open(encoding="utf-8-sig", newline="") as handle:
                result = import_redirects(lines=handle, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        if result.errors:
            for line_error in result.errors:
                self.stderr.write(f"{file}, {line_error}")
            noun = "line" if len(result.errors) == 1 else "lines"
            raise CommandError(f"{len(result.errors)} bad {noun}: nothing imported.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.created + result.updated} redirects "
                f"({result.created} new, {result.updated} re-pointed)."
            )
        )

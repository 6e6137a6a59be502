"""Import legacy plain-text story exports (see the shared legacy-format.md).

    python manage.py import_legacy fixtures/legacy --images fixtures/images
    python manage.py import_legacy "archive/**/*.txt" --draft
    python manage.py import_legacy story.txt --dry-run --json

Maps the arguments to one `ImportOptions`, runs `legacy.run.import_files` and
reports through `legacy.report.Report`; fails (exit status 1, CommandError
from `call_command`) when any file did.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legacy.batch import PathError, collect_files
from legacy.report import Report
from legacy.run import ImportOptions, OptionError, import_files


class Command(BaseCommand):
    help = (
        "Import legacy plain-text stories from files, folders (every .txt inside) "
        "or glob patterns. Re-running updates stories in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="File, folder or pattern.")
        parser.add_argument(
            "--images",
            metavar="DIR",
            help="Folder of lead photos named like the story files (.jpg, .jpeg, .png, .webp).",
        )
        parser.add_argument("--draft", action="store_true", help="Import as drafts.")
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

    def handle(self, *args: Any, **arguments: Any) -> None:
        if arguments["json"] and not arguments["dry_run"]:
            raise CommandError("--json only works together with --dry-run.")
        try:
            options = ImportOptions(
                images=Path(arguments["images"]) if arguments["images"] else None,
                draft=arguments["draft"],
                overwrite=arguments["overwrite"],
                dry_run=arguments["dry_run"],
            )
            files = collect_files(arguments["paths"])
        except (OptionError, PathError) as exc:
            raise CommandError(str(exc)) from None
        report = Report(
            self,
            total=len(files),
            verbosity=arguments["verbosity"],
            dry_run=options.dry_run,
            json=arguments["json"],
            progress=not arguments["no_progress"],
        )
        with report.running():
            summary = import_files(files, options, on_file=report.file)
        report.summary(summary)
        if summary.failures:
            raise CommandError(report.failed(summary))

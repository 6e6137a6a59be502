"""Restore a `manage.py backup` archive into an empty migrated database (newsroom.backup).

python manage.py migrate && python manage.py restore newsroom-2026-12-03.tar
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive: every member is checked against its manifest first, the "
        "database is loaded in one transaction. Refuses a database that holds content."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="FILE", help="An archive from `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace whatever the database holds (it is emptied first, in the transaction).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file.")
        try:
            manifest = restore(archive, force=options["force"], say=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}.") from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup of {manifest.created} ({manifest.database}).")
        )

"""Back the site up to one tar file: the database, media and originals (newsroom.backup).

python manage.py backup --output newsroom-2026-12-03.tar
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write the database (as dumpdata JSON), the media and the originals, with a "
        "manifest of their SHA-256 checksums, to one tar file (.tar.gz: compressed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", required=True, metavar="FILE", help="The archive.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output {output}: no such folder {output.parent}.")
        media = Path(settings.MEDIA_ROOT).resolve()
        if media == output.parent.resolve() or media in output.parent.resolve().parents:
            raise CommandError(
                f"--output {output}: inside MEDIA_ROOT, which is served, and the archive "
                "holds the originals. Write it elsewhere."
            )
        try:
            manifest = backup(output)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        size = output.stat().st_size
        self.stdout.write(
            f"Wrote {output}: {len(manifest.files)} members ({size / 1e6:.1f} MB), "
            f"the database at {len(manifest.migrations)} migrations."
        )

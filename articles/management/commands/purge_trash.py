"""Delete for good the stories that have been in the trash for TRASH_DAYS days.

Run it daily (cron, a systemd timer, or `docker compose exec app python
manage.py purge_trash`); `--dry-run` lists what it would delete.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from articles import trash
from articles.models import TRASH_DAYS, Story


class Command(BaseCommand):
    help = f"Delete for good the stories in the trash for more than {TRASH_DAYS} days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=TRASH_DAYS,
            help=f"Delete stories trashed more than this many days ago (default {TRASH_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < 0:
            raise CommandError(f"--days must be 0 or more, not {days}.")
        cutoff = trash.purge_cutoff(days=days)
        if dry_run:
            doomed = Story.objects.purgeable_before(cutoff).order_by("deleted_at")
            for story in doomed.only("headline", "slug", "deleted_at"):
                assert story.deleted_at is not None
                trashed = timezone.localtime(story.deleted_at).strftime("%Y-%m-%d %H:%M")
                self.stdout.write(
                    f"would delete “{story.headline}” ({story.slug}), trashed {trashed}"
                )
            self.stdout.write(f"{doomed.count()} stories would be deleted.")
            return
        kept = Story.objects.trashed_before(cutoff).filter(notes__isnull=False).distinct().count()
        count = trash.purge(before=cutoff)
        noun = "story" if count == 1 else "stories"
        self.stdout.write(
            self.style.SUCCESS(f"Deleted {count} {noun} in the trash for more than {days} days.")
        )
        if kept:
            self.stdout.write(
                f"Kept {kept} with correction notes in the trash: notes are never deleted."
            )

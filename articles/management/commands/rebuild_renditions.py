"""Make the responsive renditions of photos that have none yet (photos saved
before there were any), or with `--all` of every photo, from their originals."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles.models import Photo


class Command(BaseCommand):
    help = "Make the renditions of photos from their originals (those lacking them, or --all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Remake every photo's renditions, not only missing ones.",
        )

    def handle(self, *args: Any, all: bool, **options: Any) -> None:
        photos = Photo.objects.with_image() if all else Photo.objects.without_variants()
        done = 0
        for photo in photos.order_by("pk").iterator(chunk_size=100):
            photo.variants = []
            photo.save()
            done += 1
        self.stdout.write(f"Made the renditions of {done} photo{'s' if done != 1 else ''}.")

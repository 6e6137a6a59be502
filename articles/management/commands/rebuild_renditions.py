"""Make the responsive renditions of photos and headshots that have none yet
(saved before there were any), or with `--all` of every one, from their originals."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import QuerySet

from articles.models import Photo
from people.models import Person


class Command(BaseCommand):
    help = (
        "Make the renditions of photos and headshots from their originals "
        "(those lacking them, or --all)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Remake every photo's and headshot's renditions, not only missing ones.",
        )

    def handle(self, *args: Any, all: bool, **options: Any) -> None:
        photos = Photo.objects.with_image() if all else Photo.objects.without_variants()
        people = Person.objects.with_headshot() if all else Person.objects.without_variants()
        made_photos, made_headshots = rebuild(photos), rebuild(people)
        self.stdout.write(
            f"Made the renditions of {made_photos} photo{'s' if made_photos != 1 else ''} "
            f"and {made_headshots} headshot{'s' if made_headshots != 1 else ''}."
        )


def rebuild(images: QuerySet[Any]) -> int:
    """Remake the renditions of each of `images` (saving it); how many there were."""
    done = 0
    for image in images.order_by("pk").iterator(chunk_size=100):
        image.variants = []
        image.save()
        done += 1
    return done

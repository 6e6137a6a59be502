"""Benchmark of `manage.py import_legacy` on a synthetic archive.

    make bench-import                         # 10,000 files
    .venv/bin/python bench/import_bench.py --files 2000 --keep
    .venv/bin/python bench/import_bench.py --files 1000 --images   # with lead photos

Sets Django up by itself against a temporary SQLite database (WAL mode, as in
production settings), writes N stories in the legacy format into a temporary
folder — authors, quoted sources and topics drawn from fixed pools, and
"(See …)" cross-links among the stories, some to titles that do not exist —
then imports them once through `legacy.run.import_files` (the loop the
command runs), imports them again (everything unchanged), and prints
files per second, peak memory and the resulting row counts. With `--images`,
every story also gets a lead photo (an 1800×1200 JPEG, every third one
carrying camera and GPS EXIF, which the import removes). Not a test: the
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from people_pool import DESCRIPTIONS, FIRST, LAST, ROLES  # bench/ is on sys.path
from PIL import ExifTags, Image

# Django and the project's modules are imported inside the functions that use
# them: the settings read the environment that setup_django() sets first.

BASE_DIR = Path(__file__).resolve().parent.parent

TOPICS = (
    "Kazakhstan Kyrgyzstan Tajikistan Uzbekistan Turkmenistan Afghanistan Georgia Armenia "
    "Azerbaijan".split()
    + ["Protests", "Elections", "Media", "Health", "Labour", "Environment", "Migration"]
    + ["Frontline Updates", "Reporting Central Asia", "Caucasus Reporting Service"]
)
WORDS = (
    "authorities villagers officials workers court parliament residents farmers water "
    "prices election reform border oil cotton migrants clinics students protest"
).split()
PLACES = "Almaty Bishkek Dushanbe Tashkent Ashgabat Kabul Tbilisi Yerevan Baku Osh Khujand".split()


def title_of(number: int) -> str:
    rng = random.Random(number)
    return f"{rng.choice(PLACES)} {rng.choice(WORDS).title()} and {rng.choice(WORDS).title()} Report No {number}"


def story_text(number: int, total: int, rng: random.Random) -> str:
    title = title_of(number)
    standfirst = f"What {rng.choice(WORDS)} and {rng.choice(WORDS)} mean for {rng.choice(PLACES)}."
    date = datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(5000))
    lines = [title, "", standfirst, "", title, "", standfirst, ""]
    if rng.random() < 0.6:
        caption = f"A street in {rng.choice(PLACES)} last {date:%B}. (Photo: IWPR)"
        lines += [caption, caption]
    lines += [f"{date:%A}, {date.day} {date:%B}, {date.year}", ""]
    people = [
        (f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(DESCRIPTIONS)) for _ in range(3)
    ]
    for index in range(rng.randint(8, 14)):
        sentence = (
            f"The {rng.choice(WORDS)} in {rng.choice(PLACES)} and the {rng.choice(WORDS)} "
            f"have been discussed for months, with little change for the {rng.choice(WORDS)}."
        )
        if index < len(people):
            name, description = people[index]
            sentence += f" {name}, {description}, said the situation was getting worse."
            sentence += f" “Nobody listens to us,” {name.split()[-1]} said."
        if index == 4:
            targets = [title_of(rng.randrange(total)) for _ in range(rng.randint(1, 2))]
            if rng.random() < 0.2:
                targets.append(f"A Story That Was Never Written No {number}")
            sentence += f" (See {' and '.join(targets)}.)"
        lines += [sentence, ""]
    authors = {f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 2))}
    lines += [" ".join(f"{name} is {rng.choice(ROLES)}." for name in sorted(authors)), ""]
    lines += rng.sample(TOPICS, rng.randint(1, 3)) + ["Support local journalists", ""]
    return "\n".join(lines)


def write_archive(folder: Path, files: int, seed: int) -> None:
    rng = random.Random(seed)
    for number in range(files):
        (folder / f"story-{number:06d}.txt").write_text(story_text(number, files, rng))


def photo_variants(count: int = 6) -> list[tuple[bytes, bytes]]:
    """`count` distinct photos, each as a plain JPEG and as one with camera and GPS EXIF."""
    variants = []
    for number in range(count):
        picture = Image.merge(
            "RGB",
            [
                Image.effect_mandelbrot((1800, 1200), (-2.2 + number / 10, -1.2, 1, 1.2), 60),
                Image.linear_gradient("L").resize((1800, 1200)),
                Image.effect_noise((1800, 1200), 30 + number),
            ],
        )
        exif = Image.Exif()
        exif[ExifTags.Base.Make], exif[ExifTags.Base.Artist] = "Canon", "IWPR photographer"
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (41.0, 18.0, 7.0)
        encoded = []
        for extra in ({}, {"exif": exif}):
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=85, **extra)
            encoded.append(out.getvalue())
        variants.append((encoded[0], encoded[1]))
    return variants


def write_images(folder: Path, files: int) -> None:
    """A lead photo per story, named like its file; every third carries its location."""
    folder.mkdir()
    variants = photo_variants()
    for number in range(files):
        plain, located = variants[number % len(variants)]
        (folder / f"story-{number:06d}.jpg").write_bytes(located if number % 3 == 0 else plain)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="How many stories (10000).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python heap peak.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    parser.add_argument(
        "--images", action="store_true", help="Give every story a lead photo (a JPEG)."
    )
    return parser.parse_args()


def setup_django(workdir: Path) -> None:
    """Django with its database and media in `workdir`, and the project on sys.path."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["ORIGINALS_ROOT"] = str(workdir / "originals")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()


def make_archive(archive: Path, files: int, seed: int) -> None:
    """Write the archive, then say how long that took and which database imports it."""
    from django.db import connection

    archive.mkdir()
    started = time.perf_counter()
    write_archive(archive, files, seed)
    sys.stdout.write(
        f"wrote {files} files in {time.perf_counter() - started:.1f} s to {archive}\n"
        f"database: {connection.settings_dict['NAME']} "
        f"(journal_mode={connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]})\n"
    )


def time_imports(archive: Path, files: int, trace: bool, images: Path | None) -> None:
    """Import the archive twice, the second time with nothing changed; time and memory."""
    # Loaded before the memory figures start, so that they are the imports' own.
    from legacy.batch import collect_files
    from legacy.run import ImportOptions, import_files

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    for run in ("first import", "second import"):
        started = time.perf_counter()
        summary = import_files(collect_files([str(archive)]), ImportOptions(images=images))
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{n} {action}" for action, n in sorted(summary.counts.items()))
        sys.stdout.write(
            f"{run}: {files} files in {seconds:.1f} s = "
            f"{files / seconds:.0f} files/s ({counts}; "
            f"{summary.pending_links} cross-links pending)\n"
        )
    report_memory(rss_before, trace)


def report_memory(rss_before: int, trace: bool) -> None:
    """Peak RSS of this process and of the parsing one; with --tracemalloc, the heap's peak."""
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_parser = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stdout.write(
        f"peak RSS: {rss_peak / 1024:.0f} MiB (before importing: {rss_before / 1024:.0f} MiB; "
        f"parsing process: {rss_parser / 1024:.0f} MiB)\n"
    )
    if trace:
        _, heap_peak = tracemalloc.get_traced_memory()
        sys.stdout.write(f"peak Python heap during imports: {heap_peak / 1_048_576:.1f} MiB\n")


def report_rows() -> None:
    from articles.models import CrossLink, Story, Topic
    from people.models import Person

    sys.stdout.write(
        f"rows: {Story.objects.count()} stories, {Person.objects.count()} people, "
        f"{Topic.objects.count()} topics, {CrossLink.objects.count()} cross-links "
        f"({CrossLink.objects.pending().count()} pending)\n"
    )


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    setup_django(workdir)
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        make_archive(workdir / "archive", args.files, args.seed)
        images = workdir / "images" if args.images else None
        if images:
            write_images(images, args.files)
        time_imports(workdir / "archive", args.files, args.tracemalloc, images)
        report_rows()
    finally:
        if args.keep:
            sys.stdout.write(f"kept {workdir}\n")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

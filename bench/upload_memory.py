"""What building a large photo's renditions costs: memory and time.

    .venv/bin/python bench/upload_memory.py                  # a 40-megapixel JPEG
    .venv/bin/python bench/upload_memory.py --megapixels 24

Makes a JPEG photo of that size (a gradient with noise, so that it
compresses like a photograph), then runs what an upload runs, in this
process: the form's check of the file (validate_photo_file) and the
photo's renditions, responsive variants and crops (Photo.refresh_renditions),
stored in a temporary media folder. Prints the file's size, the seconds
each step took and how much the process's peak resident memory grew.

Not a test: the figures depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.test_settings")


def photo_bytes(megapixels: float) -> bytes:
    from PIL import Image

    width = int((megapixels * 1_000_000 * 3 / 2) ** 0.5)
    height = width * 2 // 3
    small = Image.effect_noise((width // 8, height // 8), 40).convert("RGB")
    picture = small.resize((width, height), Image.Resampling.BICUBIC)
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    picture = Image.blend(picture, gradient, 0.5)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def peak_mb() -> float:
    """This process's peak resident memory (its VmHWM: unlike getrusage's
    ru_maxrss, not carried over from the process that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", type=float, default=40.0)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.file is not None:
        return measure(args.file)
    # Made here, measured in a new process: making it costs more than the rest.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.jpg"
        path.write_bytes(photo_bytes(args.megapixels))
        size = path.stat().st_size / 1_048_576
        sys.stdout.write(f"{args.megapixels:g}-megapixel JPEG, {size:.1f} MB\n")
        sys.stdout.flush()
        return subprocess.call([sys.executable, __file__, "--file", str(path)])


def measure(path: Path) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import Photo
    from newsroom.images import validate_photo_file

    settings.RESPONSIVE_WIDTHS = (320, 640, 960, 1280, 1600)  # the site's, not the tests'
    data = path.read_bytes()
    upload = SimpleUploadedFile("big.jpg", data, content_type="image/jpeg")
    before = peak_mb()
    started = time.perf_counter()
    validate_photo_file(upload)
    checked, after_check = time.perf_counter(), peak_mb()
    photo = Photo(caption="Big", credit="Bench", alt_text="A large photo")
    photo.image = ContentFile(data, name="big.jpg")
    photo.refresh_renditions()
    done = time.perf_counter()
    sys.stdout.write(
        f"check: {checked - started:.2f} s, peak resident memory +{after_check - before:.0f} MB\n"
        f"renditions ({len(Photo.RENDITIONS)}, and {len(photo.variants)} variants and crops): "
        f"{done - checked:.2f} s, peak resident memory +{peak_mb() - before:.0f} MB "
        f"({before:.0f} MB before)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

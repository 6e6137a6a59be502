"""Draw the publisher's logo: the site's name as a wordmark, at the size the
settings give (PUBLISHER_LOGO_WIDTH × PUBLISHER_LOGO_HEIGHT), as a PNG.

`static/img/publisher-logo.png` was made by it; a newsroom of another name
runs it again (or sets PUBLISHER_LOGO to a logo of its own).
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from PIL import Image, ImageDraw, ImageFont

# Debian's fonts-dejavu-core; Pillow's own font where it is missing.
SERIF_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
INK, ACCENT, PAPER = (26, 26, 26), (155, 28, 28), (255, 255, 255)  # static/css/site.css
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class Command(BaseCommand):
    help = "Draw the site's name as the publisher's logo (a PNG wordmark)."
    # Runs where the check of the logo fails: it makes the logo.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        default = Path(settings.BASE_DIR) / "static" / settings.PUBLISHER_LOGO
        parser.add_argument("--output", type=Path, default=default, help=f"default: {default}")
        parser.add_argument("--name", default=settings.SITE_NAME, help="default: SITE_NAME")
        parser.add_argument(
            "--font", type=Path, help="a TrueType font (default: DejaVu Serif Bold)"
        )

    def handle(
        self, *args: Any, output: Path, name: str, font: Path | None, **options: Any
    ) -> None:
        size = (settings.PUBLISHER_LOGO_WIDTH, settings.PUBLISHER_LOGO_HEIGHT)
        logo = wordmark(name.strip(), size, font)
        output.parent.mkdir(parents=True, exist_ok=True)
        logo.save(output, "PNG", optimize=True)
        self.stdout.write(f"Wrote {output} ({size[0]}×{size[1]}).")


def wordmark(name: str, size: tuple[int, int], font_path: Path | None) -> Image.Image:
    """`name` in ink after a red bar, as large as fits in `size`, on white."""
    if not name:
        raise CommandError("The name to draw is empty: give --name or set SITE_NAME.")
    width, height = size
    logo = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(logo)
    bar = max(2, height // 10)
    draw.rectangle((0, 0, bar - 1, height - 1), fill=ACCENT)
    left = bar * 3
    for points in range(round(height * 0.8), 7, -1):
        font = _font(font_path, points)
        box = draw.textbbox((0, 0), name, font=font)
        if box[2] - box[0] <= width - left:
            top = (height - (box[3] - box[1])) / 2 - box[1]
            draw.text((left - box[0], top), name, font=font, fill=INK)
            return logo
    raise CommandError(f"“{name}” does not fit in {width}×{height} pixels even in small type.")


def _font(path: Path | None, points: int) -> Font:
    if path is None and not SERIF_BOLD.is_file():
        return ImageFont.load_default(points)
    try:
        return ImageFont.truetype(str(path or SERIF_BOLD), points)
    except OSError:
        raise CommandError(f"{path} is not a font this Pillow can read.") from None

"""Responsive renditions: one picture at several widths, in AVIF and WebP
with a JPEG fallback, for `<picture>` with `srcset` and `sizes`.

Made once, when a photo is saved or imported (`RenditionsMixin`), from the
decoding its other renditions are made from, and stored; the page only lists
them (`Variant` rows in a JSON field on the photo, so a listing reads them
with the photo's own row). Each file carries the photographer's credit and
the copyright, as EXIF Artist and Copyright and as XMP dc:creator and
dc:rights, so they travel with the picture when it is shared; nothing else,
never a location.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from operator import itemgetter
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, features

from newsroom.process_memo import per_process

# The widths a reader's screen picks from (settings.RESPONSIVE_WIDTHS);
# never wider than the original.
WIDTHS = (320, 640, 960, 1280, 1600)
# Crops for cards, sharing and structured data, as (width, height) ratios,
# and the width they are made at (Google asks at least 1,200 px for articles).
CROPS = ((16, 9), (4, 3), (1, 1))
CROP_WIDTH = 1200


@dataclass(frozen=True)
class Encoding:
    format: str  # Pillow's name
    mime: str
    extension: str
    options: tuple[tuple[str, Any], ...]


# Best first: a browser takes the first `<source>` it can show.
AVIF = Encoding("AVIF", "image/avif", "avif", (("quality", 55), ("speed", 9)))
WEBP = Encoding("WEBP", "image/webp", "webp", (("quality", 80), ("method", 2)))
JPEG = Encoding("JPEG", "image/jpeg", "jpg", (("quality", 82), ("progressive", True)))


def encodings() -> tuple[Encoding, ...]:
    """What this Pillow can write: AVIF only when built with libavif."""
    best = (AVIF,) if features.check("avif") else ()
    return (*best, WEBP, JPEG)


@dataclass(frozen=True)
class PictureCredit:
    """Who made a picture and who holds its rights, as its files say."""

    creator: str = ""
    rights: str = ""

    def exif(self) -> bytes:
        # As UTF-8 bytes: Pillow would write a str as ASCII, losing "©".
        exif = Image.Exif()
        if self.creator:
            exif[ExifTags.Base.Artist] = self.creator.encode()
        if self.rights:
            exif[ExifTags.Base.Copyright] = self.rights.encode()
        return exif.tobytes()

    def xmp(self) -> bytes:
        fields = ""
        if self.creator:
            fields += f"<dc:creator><rdf:Seq><rdf:li>{escape(self.creator)}</rdf:li></rdf:Seq></dc:creator>"
        if self.rights:
            fields += (
                "<dc:rights><rdf:Alt>"
                f'<rdf:li xml:lang="x-default">{escape(self.rights)}</rdf:li>'
                "</rdf:Alt></dc:rights>"
            )
        return (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">{fields}'
            "</rdf:Description></rdf:RDF></x:xmpmeta>"
            '<?xpacket end="w"?>'
        ).encode()

    def save_options(self) -> dict[str, bytes]:
        if not (self.creator or self.rights):
            return {}
        return {"exif": self.exif(), "xmp": self.xmp()}


@dataclass(frozen=True)
class Variant:
    """One stored file of a picture: its format, size and storage name."""

    mime: str
    width: int
    height: int
    name: str
    crop: str = ""  # "16:9" and so on for a crop; "" for the whole picture
    focus: tuple[float, float] | None = None  # the focal point a crop was made around

    @property
    def url(self) -> str:
        return stored_url(self.name)


def stored_url(name: str) -> str:
    """The media storage's URL of `name`. Worked out once per process for
    storages whose URLs never change (the file system's, object storage's
    unsigned ones): a listing names hundreds of variants, and building each
    URL costs more than the rest of its `<source>`."""
    if _urls_expire():
        return str(default_storage.url(name))
    return _unsigned_url(name)


@per_process(maxsize=1)
def _urls_expire() -> bool:
    """Whether the storage signs its URLs (object storage's querystring_auth)."""
    return bool(getattr(default_storage, "querystring_auth", False))


@per_process(maxsize=20_000)  # a new MEDIA_URL or STORAGES changes every URL
def _unsigned_url(name: str) -> str:
    return str(default_storage.url(name))


def widths_for(width: int, widths: tuple[int, ...] | None = None) -> list[int]:
    """Those of `widths` (settings.RESPONSIVE_WIDTHS unless given) not wider
    than the picture, or its own width if it is narrower than all."""
    return [w for w in widths or settings.RESPONSIVE_WIDTHS if w <= width] or [width]


def encoded(picture: Image.Image, encoding: Encoding, credit: PictureCredit) -> bytes:
    if encoding is JPEG and picture.mode != "RGB":
        flat = Image.new("RGB", picture.size, (255, 255, 255))
        flat.paste(picture, mask=picture.getchannel("A") if "A" in picture.getbands() else None)
        picture = flat
    out = io.BytesIO()
    picture.save(out, encoding.format, **dict(encoding.options), **credit.save_options())
    return out.getvalue()


def crop_box(
    size: tuple[int, int], ratio: tuple[int, int], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside a picture of `size`, centred on the
    focal point `focus` (fractions of the width and height) as far as the
    picture's edges allow."""
    width, height = size
    crop_w = min(width, round(height * ratio[0] / ratio[1]))
    crop_h = min(height, round(crop_w * ratio[1] / ratio[0]))
    left = min(max(round(focus[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focus[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def build_crops(
    picture: Image.Image,
    *,
    folder: str,
    stem: str,
    credit: PictureCredit,
    focus: tuple[float, float],
    ratios: tuple[tuple[int, int], ...] = CROPS,
) -> list[dict[str, Any]]:
    """Store a JPEG crop of `picture` in each of `ratios` around `focus`, at
    most CROP_WIDTH wide."""
    rows = []
    for ratio in ratios:
        box = crop_box(picture.size, ratio, focus)
        width, height = box[2] - box[0], box[3] - box[1]
        if width > CROP_WIDTH:
            # Cut and scaled in one step: no copy of the full-size crop.
            height = max(1, round(height * CROP_WIDTH / width))
            cropped = picture.resize((CROP_WIDTH, height), Image.Resampling.LANCZOS, box=box)
        else:
            cropped = picture.crop(box)
        label = f"{ratio[0]}:{ratio[1]}"
        name = default_storage.save(
            f"{folder}{stem}-{ratio[0]}x{ratio[1]}.jpg",
            ContentFile(encoded(cropped, JPEG, credit)),
        )
        variant = Variant(JPEG.mime, cropped.width, cropped.height, name, label, focus)
        rows.append(asdict(variant))
    return rows


def build_variants(
    picture: Image.Image,
    *,
    folder: str,
    stem: str,
    credit: PictureCredit,
    focus: tuple[float, float] = (0.5, 0.5),
    widths: tuple[int, ...] | None = None,
    ratios: tuple[tuple[int, int], ...] = CROPS,
) -> list[dict[str, Any]]:
    """Store `picture` (upright, decoded) at each of `widths` (see widths_for)
    in each encoding, and its crops in `ratios` around `focus`; return the
    stored files as rows for the model's JSON field."""
    rows = build_crops(picture, folder=folder, stem=stem, credit=credit, focus=focus, ratios=ratios)
    for width in widths_for(picture.width, widths):
        height = max(1, round(picture.height * width / picture.width))
        scaled = (
            picture
            if width == picture.width
            else picture.resize((width, height), Image.Resampling.LANCZOS)
        )
        for encoding in encodings():
            name = default_storage.save(
                f"{folder}{stem}-{width}.{encoding.extension}",
                ContentFile(encoded(scaled, encoding, credit)),
            )
            rows.append(asdict(Variant(encoding.mime, width, height, name)))
    return rows


def variants_of(rows: list[dict[str, Any]] | None) -> list[Variant]:
    return [Variant(**row) for row in rows or ()]


def crops_focus(rows: list[dict[str, Any]] | None) -> tuple[float, float] | None:
    """The focal point the crops among `rows` were made around, None if there are none."""
    focus = next((v.focus for v in variants_of(rows) if v.crop), None)
    return (focus[0], focus[1]) if focus else None


def crops_of(rows: list[dict[str, Any]] | None) -> dict[str, Variant]:
    """The crops among `rows`, by ratio ("16:9", "4:3", "1:1")."""
    return {variant.crop: variant for variant in variants_of(rows) if variant.crop}


@dataclass(frozen=True)
class Source:
    """One `<source>` (or the `<img>`'s own srcset) of a `<picture>`."""

    mime: str
    srcset: str


def picture_sources(rows: list[dict[str, Any]] | None) -> tuple[list[Source], Variant | None]:
    """The `<source>`s of a picture, best format first, and the JPEG to put
    in its `<img>` (the widest up to 1280 px), None when there are no rows.
    Reads the stored rows as they are: a listing shows a score of pictures
    of a dozen and more rows each."""
    by_mime: dict[str, list[dict[str, Any]]] = {}
    for row in rows or ():
        if not row.get("crop"):
            by_mime.setdefault(row["mime"], []).append(row)
    for group in by_mime.values():
        group.sort(key=itemgetter("width"))
    sources = [
        Source(mime, ", ".join(f"{stored_url(row['name'])} {row['width']}w" for row in group))
        for mime, group in by_mime.items()
    ]
    jpegs = by_mime.get(JPEG.mime, [])
    fallback = next((row for row in reversed(jpegs) if row["width"] <= 1280), None)
    fallback = fallback or (jpegs[0] if jpegs else None)
    return sources, Variant(**fallback) if fallback else None


def picture_context(
    image: Any, *, sizes: str, eager: bool = False, css_class: str = "", alt: str | None = None
) -> dict[str, Any]:
    """What templates/fragments/picture.html shows of `image` (a model with
    newsroom.images.RenditionsMixin): its renditions at the width the screen
    needs, in the best format the browser shows; `alt` is its `alt_text`
    unless given. `eager` for the one picture above the fold that is the
    page's largest (the story's lead photo): loaded at once, first; every
    other picture waits until it nears the screen. A picture without
    variants yet shows its one rendition."""
    sources, fallback = picture_sources(image.variants)
    return {
        "responsive": fallback is not None,
        "sources": [source for source in sources if source.mime != "image/jpeg"],
        "jpeg_srcset": next((s.srcset for s in sources if s.mime == "image/jpeg"), ""),
        "fallback": fallback or image.plain_rendition(),
        "alt": getattr(image, "alt_text", "") if alt is None else alt,
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }

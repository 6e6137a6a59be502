"""Builders for image files in tests: real pictures, hostile ones, damaged
ones, and ones that say where they were taken."""

import functools
import io
import random
import struct
import zlib
from dataclasses import dataclass

from PIL import ExifTags, Image, IptcImagePlugin, PngImagePlugin

ARTIST = "Timur Nusimbekov"
COPYRIGHT = "© IWPR 2024"
# 41°18′N 69°16′E: Tashkent.
LATITUDE = (41.0, 18.0, 36.5)
LONGITUDE = (69.0, 16.0, 12.0)
PLACE = "Tashkent"


def image_bytes(fmt="PNG", size=(1600, 900), color=(40, 90, 140)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


@functools.cache
def _picture(size) -> Image.Image:
    return Image.merge(
        "RGB",
        [
            Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 30),
            Image.linear_gradient("L").resize(size),
            Image.effect_noise(size, 24),
        ],
    )


def photo_bytes(fmt="JPEG", size=(640, 480), **params) -> bytes:
    """A picture with detail in it (a gradient, a fractal and noise), as a camera's would."""
    out = io.BytesIO()
    _picture(size).save(out, fmt, **params)
    return out.getvalue()


def located_exif(orientation=1) -> Image.Exif:
    """EXIF as a phone writes it: the camera, the photographer, the copyright, and GPS."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS R6"
    exif[ExifTags.Base.Artist] = ARTIST
    exif[ExifTags.Base.Copyright] = COPYRIGHT.encode()
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    return exif


LOCATED_XMP = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:exif="http://ns.adobe.com/exif/1.0/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
  exif:GPSLatitude="41,18.6N" exif:GPSLongitude="69,16.2E"
  photoshop:City="{PLACE}" Iptc4xmpCore:Location="Amir Timur square">
 <dc:creator><rdf:Seq><rdf:li>{ARTIST}</rdf:li></rdf:Seq></dc:creator>
 <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{COPYRIGHT}</rdf:li></rdf:Alt></dc:rights>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>""".encode()


def iptc_segment(datasets) -> bytes:
    """A JPEG APP13 segment (Photoshop's) holding IPTC `datasets`: ((record, number), value)."""
    iim = b"".join(
        bytes((0x1C, record, number)) + struct.pack(">H", len(value)) + value
        for (record, number), value in datasets
    )
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\0" * (len(iim) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


LOCATED_IPTC = [
    ((2, 80), ARTIST.encode()),
    ((2, 90), PLACE.encode()),  # City
    ((2, 92), b"Amir Timur square"),  # Sub-location
    ((2, 101), b"Uzbekistan"),  # Country
    ((2, 116), COPYRIGHT.encode()),
]


def located_jpeg(size=(640, 480), orientation=1, trailer=b"") -> bytes:
    """A JPEG that says where it was taken in every way a camera or editor may:
    EXIF GPS, XMP, IPTC, a comment, and (if given) data after its end."""
    return (
        photo_bytes(
            "JPEG",
            size,
            quality=90,
            exif=located_exif(orientation),
            xmp=LOCATED_XMP,
            comment=f"Taken in {PLACE}".encode(),
            extra=iptc_segment(LOCATED_IPTC),
        )
        + trailer
    )


def located_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", LOCATED_XMP.decode())
    info.add_text("Location", PLACE)
    return photo_bytes("PNG", (320, 240), exif=located_exif(), pnginfo=info)


def located_webp() -> bytes:
    return photo_bytes("WEBP", (320, 240), exif=located_exif(), xmp=LOCATED_XMP)


@dataclass(frozen=True)
class Metadata:
    """What a stored image file says about itself."""

    exif: dict
    gps: dict
    xmp: bytes
    iptc: dict
    comment: bytes | None
    text: dict

    def mentions(self, text: str) -> bool:
        return text.encode() in self.xmp or any(
            text.encode() in v for v in self.iptc.values() if isinstance(v, bytes)
        )


def metadata_of(data: bytes) -> Metadata:
    image = Image.open(io.BytesIO(data))
    image.load()
    exif = image.getexif()
    return Metadata(
        exif=dict(exif),
        gps=dict(exif.get_ifd(ExifTags.IFD.GPSInfo)),
        xmp=bytes(image.info.get("xmp") or b""),
        iptc=(IptcImagePlugin.getiptcinfo(image) or {}) if image.format == "JPEG" else {},
        comment=image.info.get("comment"),
        text=dict(getattr(image, "text", {})),
    )


def exif_text(value) -> str:
    """An EXIF text tag as written (Pillow reads the bytes as Latin-1)."""
    return value.encode("latin-1").decode()


# --- damaged files ----------------------------------------------------------------


def cut_in_the_middle(data: bytes) -> bytes:
    return data[: len(data) // 2]


def garbage_after_header(data: bytes) -> bytes:
    """A JPEG whose headers are intact and whose picture data is random bytes."""
    start = data.index(b"\xff\xda") + 20  # inside the first scan
    noise = random.Random(1).randbytes(len(data) - start - 2)
    return data[:start] + noise + b"\xff\xd9"


def png_with_garbage_idat(data: bytes) -> bytes:
    """A PNG whose picture chunk is random bytes, with a correct checksum."""
    at = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[at - 4 : at])
    body = b"IDAT" + random.Random(2).randbytes(length)
    chunk = struct.pack(">I", length) + body + struct.pack(">I", zlib.crc32(body))
    return data[: at - 4] + chunk + data[at + 4 + length + 4 :]


def png_declaring(width, height) -> bytes:
    """A tiny PNG file whose header claims `width`×`height` pixels: a decompression bomb."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )

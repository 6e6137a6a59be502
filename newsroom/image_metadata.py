"""What a stored original keeps of its metadata: who took it, who owns it and
which way up it goes; never where it was taken.

A photo's location can endanger a source, and it hides in many places: the
GPS block of the EXIF, camera makers' notes, XMP (exif:GPS…, photoshop:City,
Iptc4xmpCore:Location…), IPTC (city, sub-location, province, country),
comments, PNG text chunks, embedded thumbnails and data appended after the
picture. A list of what to remove would miss one, so an original is written
from a list of what to keep instead:

- EXIF Orientation, Artist and Copyright;
- XMP dc:creator and dc:rights, in a packet holding only those;
- IPTC By-line and CopyrightNotice (JPEG, where IPTC lives);
- the ICC colour profile.

A file that carries nothing else is kept byte for byte (most do, and pay
nothing). Any other is re-encoded by Pillow, which writes only the metadata
it is handed: a JPEG with its own quantisation tables and subsampling, so it
loses no more than a rounding; a PNG, or a lossless WebP, losslessly. Editing
the metadata in place with a library such as exiv2 would keep every byte of
the picture, but would put a second parser of hostile files (one with a long
record of memory-safety bugs) in front of the uploads, and would still need
a list of what to delete.

`without_location` is deterministic: the same file gives the same bytes, and
what it returns it returns unchanged when given again.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from PIL import ExifTags, Image, IptcImagePlugin, PngImagePlugin

KEPT_EXIF_TAGS = (ExifTags.Base.Orientation, ExifTags.Base.Artist, ExifTags.Base.Copyright)
# IPTC datasets kept: (record, dataset). 1:90 says how the texts are encoded.
IPTC_CHARSET, IPTC_BY_LINE, IPTC_COPYRIGHT = (1, 90), (2, 80), (2, 116)
IPTC_RECORD_VERSION = (2, 0)

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
PNG_XMP_KEY = "XML:com.adobe.xmp"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DC = "http://purl.org/dc/elements/1.1/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What a JPEG marker segment may hold at most (its length field counts itself).
_MAX_SEGMENT = 65533
# WebP chunks that hold the picture, its alpha, animation or colour profile.
_WEBP_PICTURE_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}


@dataclass(frozen=True)
class KeptMetadata:
    """The metadata an original keeps, each as the bytes it is written as (or empty)."""

    exif: bytes  # "Exif\0\0" and a TIFF block of only KEPT_EXIF_TAGS
    xmp: bytes  # an XMP packet of only dc:creator and dc:rights
    iptc: bytes  # a JPEG APP13 payload: IPTC with only the kept datasets
    icc_profile: bytes


def without_location(data: bytes) -> bytes:
    """`data` itself if the image carries only the metadata kept; otherwise the
    image re-encoded with only that.

    `data` is a JPEG, PNG or WebP that `newsroom.images.validate_photo_file`
    accepted.
    """
    image = Image.open(io.BytesIO(data), formats=settings.PHOTO_FORMATS)
    kept = kept_metadata(image)
    if _carries_only(image, data, kept):
        return data
    return _reencoded(image, data, kept)


def kept_metadata(image: Image.Image) -> KeptMetadata:
    """What of `image`'s metadata is kept, in the form it is written in."""
    return KeptMetadata(
        exif=_kept_exif(image),
        xmp=_kept_xmp(image.info.get("xmp")),
        iptc=_kept_iptc(image) if image.format in ("JPEG", "MPO") else b"",
        icc_profile=image.info.get("icc_profile") or b"",
    )


# --- reading what is kept ------------------------------------------------------


def _kept_exif(image: Image.Image) -> bytes:
    try:
        source = image.getexif()
    except Exception:  # Pillow raises many kinds of error on a damaged block
        return b""  # a damaged EXIF block is dropped whole
    kept = Image.Exif()
    orientation = source.get(ExifTags.Base.Orientation)
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        kept[ExifTags.Base.Orientation] = orientation
    for tag in (ExifTags.Base.Artist, ExifTags.Base.Copyright):
        value = source.get(tag)
        if isinstance(value, str):
            # Pillow reads EXIF text as Latin-1: these are the bytes as they
            # were, UTF-8 names included, not a re-encoding that loses them.
            value = value.encode("latin-1")
        if isinstance(value, bytes) and value.strip(b"\0 "):
            kept[tag] = value
    if not len(kept):
        return b""
    exif = kept.tobytes()
    return exif if len(exif) <= _MAX_SEGMENT else b""


def _kept_xmp(packet: bytes | str | None) -> bytes:
    if not packet:
        return b""
    if isinstance(packet, str):
        packet = packet.encode()
    try:
        root = ET.fromstring(packet.strip(b"\0 \r\n\t"))
    except ET.ParseError:
        return b""
    creators = [li.text for li in root.iterfind(f".//{{{_DC}}}creator//{{{_RDF}}}li") if li.text]
    rights = [
        (li.get(_XML_LANG) or "x-default", li.text)
        for li in root.iterfind(f".//{{{_DC}}}rights//{{{_RDF}}}li")
        if li.text
    ]
    if not (creators or rights):
        return b""
    xmp = _xmp_packet(creators, rights)
    return xmp if len(xmp) + len(XMP_HEADER) <= _MAX_SEGMENT else b""


def _xmp_packet(creators: list[str], rights: list[tuple[str, str]]) -> bytes:
    """An XMP packet of dc:creator and dc:rights alone, always written alike."""
    properties = ""
    if creators:
        items = "".join(f"<rdf:li>{escape(name)}</rdf:li>" for name in creators)
        properties += f"<dc:creator><rdf:Seq>{items}</rdf:Seq></dc:creator>"
    if rights:
        items = "".join(
            f"<rdf:li xml:lang={quoteattr(lang)}>{escape(text)}</rdf:li>" for lang, text in rights
        )
        properties += f"<dc:rights><rdf:Alt>{items}</rdf:Alt></dc:rights>"
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{_RDF}">'
        f'<rdf:Description rdf:about="" xmlns:dc="{_DC}">{properties}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    ).encode()


def _kept_iptc(image: Image.Image) -> bytes:
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}  # type: ignore[arg-type]
    except Exception:  # a damaged IPTC block is dropped whole
        return b""
    datasets = [
        (key, value)
        for key in (IPTC_BY_LINE, IPTC_COPYRIGHT)
        for value in _values(info.get(key))
        if value.strip(b"\0 ")
    ]
    if not datasets:
        return b""
    charset = [(IPTC_CHARSET, value) for value in _values(info.get(IPTC_CHARSET))[:1]]
    version = [(IPTC_RECORD_VERSION, b"\x00\x04")]
    return _app13(charset + version + datasets)


def _values(value: bytes | list[bytes] | None) -> list[bytes]:
    """An IPTC dataset's values (Pillow gives a repeated one as a list), each short enough."""
    values = value if isinstance(value, list) else [value] if value else []
    return [v for v in values if isinstance(v, bytes) and len(v) < 0x8000]


def _app13(datasets: list[tuple[tuple[int, int], bytes]]) -> bytes:
    """A Photoshop APP13 payload holding one IPTC resource with `datasets`."""
    iim = b"".join(
        bytes((0x1C, record, number)) + len(value).to_bytes(2, "big") + value
        for (record, number), value in datasets
    )
    resource = b"8BIM\x04\x04\x00\x00" + len(iim).to_bytes(4, "big") + iim + b"\0" * (len(iim) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return payload if len(payload) <= _MAX_SEGMENT else b""


# --- whether anything else is there --------------------------------------------


def _carries_only(image: Image.Image, data: bytes, kept: KeptMetadata) -> bool:
    """Whether `image` (read from `data`) has no metadata but `kept`, written as we write it."""
    if image.format == "JPEG":
        return _jpeg_carries_only(image, data, kept)
    if image.format == "PNG":
        return _png_carries_only(image, kept)
    if image.format == "WEBP":
        return _webp_carries_only(image, data, kept)
    return False  # an MPO: a JPEG with more pictures after it


def _jpeg_carries_only(image: Image.Image, data: bytes, kept: KeptMetadata) -> bool:
    allowed = {
        ("APP1", kept.exif),
        ("APP1", XMP_HEADER + kept.xmp if kept.xmp else b""),
        ("APP13", kept.iptc),
    }
    for marker, payload in image.applist:  # type: ignore[attr-defined]
        if (marker, payload) in allowed and payload:
            continue
        if not _harmless_jpeg_segment(marker, payload):
            return False
    # Anything after the end-of-image marker (a phone's trailer, a video, a
    # second picture) is not part of the picture.
    return data.endswith(b"\xff\xd9")


def _harmless_jpeg_segment(marker: str, payload: bytes) -> bool:
    """A JFIF header without a thumbnail, a colour profile, or Adobe's colour-transform flag."""
    return (
        (marker == "APP0" and payload.startswith(b"JFIF\0") and len(payload) == 14)
        or (marker == "APP2" and payload.startswith(b"ICC_PROFILE\0"))
        or (marker == "APP14" and payload.startswith(b"Adobe") and len(payload) == 12)
    )


def _png_carries_only(image: Image.Image, kept: KeptMetadata) -> bool:
    image.load()  # text chunks after the picture data are read with it
    # Pillow keeps the ancillary chunks it does not know in private_chunks.
    if image.private_chunks:  # type: ignore[attr-defined]
        return False
    text = dict(image.text)  # type: ignore[attr-defined]
    xmp = text.pop(PNG_XMP_KEY, "")
    return not text and xmp.encode() == kept.xmp and _exif_block(image) == kept.exif


def _webp_carries_only(image: Image.Image, data: bytes, kept: KeptMetadata) -> bool:
    chunks = _riff_chunks(data)
    if chunks is None or not set(chunks) <= _WEBP_PICTURE_CHUNKS | {b"EXIF", b"XMP "}:
        return False
    return _exif_block(image) == kept.exif and (image.info.get("xmp") or b"") == kept.xmp


def _exif_block(image: Image.Image) -> bytes:
    """The image's EXIF as a JPEG carries it ("Exif\\0\\0" first), or empty."""
    exif = image.info.get("exif") or b""
    if exif and not exif.startswith(b"Exif\0\0"):
        exif = b"Exif\0\0" + exif
    return bytes(exif)


def _riff_chunks(data: bytes) -> list[bytes] | None:
    """The chunk names of a WebP file, or None when anything follows its last chunk.

    Pillow reads only the chunks it needs; these are all of them.
    """
    if int.from_bytes(data[4:8], "little") + 8 != len(data):
        return None
    names, position = [], 12
    while position + 8 <= len(data):
        names.append(data[position : position + 4])
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        position += 8 + size + size % 2
    return names if position == len(data) else None


# --- writing the picture with only what is kept --------------------------------


def _reencoded(image: Image.Image, data: bytes, kept: KeptMetadata) -> bytes:
    image.load()
    out = io.BytesIO()
    common = {
        key: value
        for key, value in (("exif", kept.exif), ("icc_profile", kept.icc_profile))
        if value
    }
    if image.format in ("JPEG", "MPO"):
        image.save(out, "JPEG", **common, **_jpeg_options(image, kept))
    elif image.format == "PNG":
        info = PngImagePlugin.PngInfo()
        if kept.xmp:
            info.add_itxt(PNG_XMP_KEY, kept.xmp.decode())
        image.save(out, "PNG", pnginfo=info, **common)
    else:
        lossless = b"VP8L" in (_riff_chunks(data) or [])
        quality = 100 if lossless else 90
        xmp = {"xmp": kept.xmp} if kept.xmp else {}
        image.save(out, "WEBP", lossless=lossless, quality=quality, **common, **xmp)
    return out.getvalue()


def _jpeg_options(image: Image.Image, kept: KeptMetadata) -> dict[str, object]:
    options: dict[str, object] = {
        # Pillow would copy the file's comment otherwise.
        "comment": b"",
        "progressive": bool(image.info.get("progressive")),
        # The file's own quantisation tables and subsampling: no more loss than
        # a rounding. An MPO's first picture is re-encoded at a high quality.
        "quality": "keep" if image.format == "JPEG" else 95,
    }
    if "dpi" in image.info:
        options["dpi"] = image.info["dpi"]
    if kept.xmp:
        options["xmp"] = kept.xmp
    if kept.iptc:
        options["extra"] = b"\xff\xed" + (len(kept.iptc) + 2).to_bytes(2, "big") + kept.iptc
    return options


def stated_copyright(data: bytes) -> str:
    """The copyright notice in an image's EXIF, or "" when it states none."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            value = image.getexif().get(ExifTags.Base.Copyright)
    except Exception:  # Pillow raises many kinds of error on a damaged block
        return ""
    if isinstance(value, str):
        value = value.encode("latin-1", errors="replace")
    if not isinstance(value, bytes):
        return ""
    text = value.strip(b"\0 ")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        return text.decode("latin-1")

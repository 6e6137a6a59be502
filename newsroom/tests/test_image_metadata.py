"""An original keeps who took it, who owns it and which way up it goes, and
nothing that says where it was taken."""

import io

import pytest
from PIL import ExifTags, Image, ImageChops, ImageStat

from newsroom.image_metadata import without_location
from newsroom.tests.factories import (
    ARTIST,
    COPYRIGHT,
    PLACE,
    exif_text,
    located_exif,
    located_jpeg,
    located_png,
    located_webp,
    metadata_of,
    photo_bytes,
)

BASE = ExifTags.Base


def test_a_jpeg_loses_every_location_and_keeps_credit_copyright_and_orientation():
    original = located_jpeg(orientation=6)
    before = metadata_of(original)
    assert before.gps and before.mentions(PLACE) and before.comment  # what there was

    stored = metadata_of(without_location(original))

    assert stored.gps == {} and ExifTags.IFD.GPSInfo not in stored.exif
    assert not stored.mentions(PLACE) and b"GPS" not in stored.xmp
    assert stored.comment is None
    assert BASE.Make not in stored.exif and BASE.Model not in stored.exif
    assert exif_text(stored.exif[BASE.Artist]) == ARTIST
    assert exif_text(stored.exif[BASE.Copyright]) == COPYRIGHT
    assert stored.exif[BASE.Orientation] == 6
    assert f"<rdf:li>{ARTIST}</rdf:li>".encode() in stored.xmp
    assert f'<rdf:li xml:lang="x-default">{COPYRIGHT}</rdf:li>'.encode() in stored.xmp
    assert stored.iptc[(2, 80)] == ARTIST.encode()  # By-line
    assert stored.iptc[(2, 116)] == COPYRIGHT.encode()  # CopyrightNotice
    assert {(2, 90), (2, 92), (2, 101)}.isdisjoint(stored.iptc)  # city, sub-location, country


def test_a_re_encoded_jpeg_keeps_its_size_and_looks_the_same():
    original = located_jpeg(size=(800, 600))
    stored = without_location(original)

    before, after = (Image.open(io.BytesIO(data)).convert("RGB") for data in (original, stored))
    assert after.size == before.size
    # Its own quantisation tables: a rounding apart (this picture is one third
    # noise, the worst case), and about as many bytes.
    difference = ImageStat.Stat(ImageChops.difference(before, after)).mean
    assert max(difference) < 3
    assert 0.85 < len(stored) / len(original) < 1.05


def test_data_after_the_end_of_a_jpeg_is_dropped():
    trailer = b"SEFH" + f"Location: {PLACE}".encode() + b"SEFT"  # as some phones append
    stored = without_location(located_jpeg(trailer=trailer))
    assert PLACE.encode() not in stored and stored.endswith(b"\xff\xd9")


@pytest.mark.parametrize("build", [located_png, located_webp], ids=["png", "webp"])
def test_png_and_webp_lose_their_location_too(build):
    original = build()
    assert metadata_of(original).gps

    stored_bytes = without_location(original)
    stored = metadata_of(stored_bytes)

    assert stored.gps == {} and not stored.mentions(PLACE) and PLACE.encode() not in stored_bytes
    assert "Location" not in stored.text
    assert exif_text(stored.exif[BASE.Artist]) == ARTIST
    assert f"<rdf:li>{ARTIST}</rdf:li>".encode() in stored.xmp


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_file_with_nothing_to_remove_is_kept_byte_for_byte(fmt):
    original = photo_bytes(fmt, (200, 150))
    assert without_location(original) is original


@pytest.mark.parametrize(
    "build", [located_jpeg, located_png, located_webp], ids=["jpeg", "png", "webp"]
)
def test_what_was_cleaned_is_kept_as_it_is_when_cleaned_again(build):
    cleaned = without_location(build())
    assert without_location(cleaned) is cleaned


def test_the_same_file_is_always_cleaned_to_the_same_bytes():
    original = located_jpeg()
    assert without_location(original) == without_location(original)


def test_a_utf8_name_in_exif_survives():
    exif = Image.Exif()
    exif[BASE.Artist] = "Жанна Әлібек".encode()
    exif[BASE.Make] = "Canon"
    stored = metadata_of(without_location(photo_bytes("JPEG", (120, 90), exif=exif)))
    assert exif_text(stored.exif[BASE.Artist]) == "Жанна Әлібек"


def test_a_multi_picture_jpeg_keeps_only_its_first_picture():
    """Phones save depth maps and other views as further pictures (MPO)."""
    first, second = (Image.new("RGB", (120, 90), color) for color in ("navy", "orange"))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second], exif=located_exif().tobytes())
    assert getattr(Image.open(io.BytesIO(out.getvalue())), "n_frames", 1) == 2

    stored = Image.open(io.BytesIO(without_location(out.getvalue())))

    assert stored.format == "JPEG" and getattr(stored, "n_frames", 1) == 1
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    red, green, blue = stored.convert("RGB").getpixel((60, 45))  # type: ignore[misc]
    assert blue > 100 and red < 50  # navy: the first picture

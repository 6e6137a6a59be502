"""Photo uploads: only real JPEG, PNG and WebP within bounds, whose picture
decodes to its end; readers get renditions."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from newsroom.images import validate_photo_file
from newsroom.tests.factories import (
    cut_in_the_middle,
    garbage_after_header,
    image_bytes,
    photo_bytes,
    png_declaring,
    png_with_garbage_idat,
)

DAMAGED = "The image is damaged or incomplete"


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats(fmt):
    validate_photo_file(upload(image_bytes(fmt, size=(64, 48))))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not a JPEG, PNG or WebP",
        ),
        (b"just some text renamed to .jpg", "not a JPEG, PNG or WebP"),
        (image_bytes("GIF", size=(10, 10)), "not a JPEG, PNG or WebP"),
        (png_declaring(50_000, 50_000), "at most 40 million pixels"),
        (png_declaring(8_000, 6_000), "at most 40 million pixels"),
    ],
    ids=["svg", "text", "gif", "decompression-bomb", "over-pixel-limit"],
)
def test_refused_uploads_name_the_problem(data, message):
    with pytest.raises(ValidationError) as error:
        validate_photo_file(upload(data))
    assert message in " ".join(error.value.messages)


def test_oversized_file_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="at most"):
        validate_photo_file(upload(image_bytes("PNG", size=(400, 400)) + b"\0" * 2048))


@pytest.mark.parametrize(
    "data",
    [
        cut_in_the_middle(photo_bytes("JPEG")),
        garbage_after_header(photo_bytes("JPEG")),
        photo_bytes("JPEG")[:-300],
        png_with_garbage_idat(photo_bytes("PNG")),
        cut_in_the_middle(photo_bytes("PNG")),
        # A broken header checksum: still a PNG, not "another format".
        photo_bytes("PNG")[:29] + b"\0\0\0\0" + photo_bytes("PNG")[33:],
        cut_in_the_middle(photo_bytes("WEBP")),
    ],
    ids=[
        "jpeg-cut-in-the-middle",
        "jpeg-garbage-after-header",
        "jpeg-end-missing",
        "png-garbage-idat",
        "png-cut-in-the-middle",
        "png-bad-header-checksum",
        "webp-cut-in-the-middle",
    ],
)
def test_damaged_files_that_pass_the_header_check_are_refused(data):
    with pytest.raises(ValidationError) as error:
        validate_photo_file(upload(data))
    assert error.value.code == "damaged_image"
    assert DAMAGED in " ".join(error.value.messages)


@pytest.mark.parametrize(
    "data",
    [png_declaring(50_000, 50_000), png_declaring(8_000, 6_000)],
    ids=["decompression-bomb", "over-pixel-limit"],
)
def test_too_many_pixels_are_refused_before_any_is_decoded(data, monkeypatch):
    def no_decoding(image):
        raise AssertionError("decoded a picture over the pixel limit")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ValidationError) as error:
        validate_photo_file(upload(data))
    assert error.value.code == "too_many_pixels"


def test_an_intact_photo_is_decoded_and_accepted():
    validate_photo_file(upload(photo_bytes("JPEG", size=(1200, 800))))

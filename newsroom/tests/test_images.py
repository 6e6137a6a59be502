"""Photo uploads: only real JPEG, PNG and WebP within bounds; readers get renditions."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from newsroom.images import validate_photo_file
from newsroom.tests.factories import image_bytes, png_declaring


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

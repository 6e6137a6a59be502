"""Uploaded images: validating them, and the downsized renditions readers see.

Photos and headshots share one mechanism: a model lists the image field that
holds the upload (`ORIGINAL_FIELD`) and the `Rendition`s made from it, and
`RenditionsMixin.save` keeps them in step. Readers only ever see renditions,
never the upload itself.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow itself refuses to open anything over twice our limit; our own check
# below refuses the rest, both before any pixel is decoded.
Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS


def generated_name(folder: str, filename: str) -> str:
    """A storage name under `folder` that keeps only the uploaded file's suffix."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def _open(file: IO[bytes] | File[bytes]) -> Image.Image:
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(file, formats=settings.PHOTO_FORMATS)


def validate_photo_file(file: IO[bytes] | File[bytes]) -> None:
    """Accept only JPEG, PNG and WebP within the size and pixel limits."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            "The file is %(size)s MB; photos may be at most %(limit)s MB.",
            code="file_too_large",
            params={
                "size": f"{size / 1_048_576:.1f}",
                "limit": f"{settings.PHOTO_MAX_BYTES / 1_048_576:.0f}",
            },
        )
    try:
        image = _open(file)
        width, height = image.size
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise ValidationError(
                "The image is %(w)s×%(h)s pixels; photos may have at most %(limit)s million pixels.",
                code="too_many_pixels",
                params={"w": width, "h": height, "limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
            )
        image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            "The image has far too many pixels; photos may have at most %(limit)s million pixels.",
            code="too_many_pixels",
            params={"limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This is not a JPEG, PNG or WebP image (SVG and other formats are not accepted).",
            code="invalid_image",
        ) from None
    finally:
        file.seek(0)


def make_rendition(
    file: IO[bytes] | File[bytes], max_width: int
) -> tuple[ContentFile[bytes], int, int]:
    """A WebP copy at most `max_width` pixels wide, EXIF orientation applied,
    with its width and height."""
    image = _open(file)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.width > max_width:
        height = round(image.height * max_width / image.width)
        image = image.resize((max_width, max(1, height)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=82, method=4)
    file.seek(0)
    return ContentFile(out.getvalue()), image.width, image.height


def needs_rendition(original: FieldFile, rendition: FieldFile) -> bool:
    """Whether `rendition` must be (re)built: there is an original, and it is
    new (not yet stored) or has no rendition yet."""
    return bool(original) and (not rendition or not getattr(original, "_committed", True))


def store_rendition(
    original: FieldFile, rendition: FieldFile, max_width: int, *, stem: str
) -> tuple[int, int]:
    """Save a downsized WebP of the `original` field file into the `rendition`
    field file (without saving the model); return its width and height."""
    original.open("rb")
    content, width, height = make_rendition(original, max_width)
    rendition.save(f"{stem}-{max_width}.webp", content, save=False)
    return width, height


def rendition_field(upload_to: str, *, width_field: str, height_field: str) -> models.ImageField:
    """The field that stores one rendition, with the fields for its size."""
    return models.ImageField(
        upload_to=upload_to,
        blank=True,
        editable=False,
        width_field=width_field,
        height_field=height_field,
    )


def dimension_field() -> models.PositiveIntegerField[int | None, int | None]:
    """A width or height that the image field beside it fills in."""
    return models.PositiveIntegerField(null=True, editable=False)


@dataclass(frozen=True)
class Rendition:
    """A downsized copy of a model's original image, kept in the field `field`."""

    field: str
    width: int


class RenditionsMixin:
    """Keeps a model's renditions in step with its original image on save.

    A new or replaced original gets every rendition made afresh (under one new
    name stem); a removed original takes its renditions with it.
    """

    ORIGINAL_FIELD: ClassVar[str]
    RENDITIONS: ClassVar[tuple[Rendition, ...]]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_renditions()
        super().save(*args, **kwargs)  # type: ignore[misc]

    def refresh_renditions(self) -> None:
        original = getattr(self, self.ORIGINAL_FIELD)
        files = [getattr(self, rendition.field) for rendition in self.RENDITIONS]
        if not original:
            for rendition in self.RENDITIONS:
                setattr(self, rendition.field, None)
                self._set_size(rendition, None, None)
        elif any(needs_rendition(original, file) for file in files):
            stem = uuid.uuid4().hex
            for rendition, file in zip(self.RENDITIONS, files, strict=True):
                width, height = store_rendition(original, file, rendition.width, stem=stem)
                self._set_size(rendition, width, height)

    def _set_size(self, rendition: Rendition, width: int | None, height: int | None) -> None:
        field = self._meta.get_field(rendition.field)  # type: ignore[attr-defined]
        setattr(self, field.width_field, width)
        setattr(self, field.height_field, height)

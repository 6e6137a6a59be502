"""Uploaded images: validating them, and the downsized renditions readers see.

Photos and headshots share one mechanism: a model lists the image field that
holds the upload (`ORIGINAL_FIELD`) and the `Rendition`s made from it, and
`RenditionsMixin.save` keeps them in step. Readers only ever see renditions,
never the upload itself: the original is kept, without its location
metadata (newsroom.image_metadata), in a storage no URL leads to
(newsroom.originals).
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps

from newsroom.image_metadata import without_location
from newsroom.originals import originals_storage
from newsroom.responsive import (
    CROP_WIDTH,
    CROPS,
    WEBP,
    PictureCredit,
    Variant,
    build_crops,
    build_variants,
    crops_focus,
    crops_of,
)

# Pillow itself refuses to open anything over twice our limit; our own check
# below refuses the rest, both before any pixel is decoded.
Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS

# How each accepted format's files begin: a file that does but cannot be read
# is a damaged photo, not a file of another kind.
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def generated_name(folder: str, filename: str) -> str:
    """A storage name under `folder` that keeps only the uploaded file's suffix."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def _open(file: IO[bytes] | File[bytes]) -> Image.Image:
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(file, formats=settings.PHOTO_FORMATS)


def validate_photo_file(file: IO[bytes] | File[bytes]) -> None:
    """Accept only JPEG, PNG and WebP within the size and pixel limits, whose
    picture decodes to its end.

    The pixel count is checked from the header, before anything is decoded;
    then the whole picture is decoded, so that a file cut short or damaged
    after a valid header is refused here rather than failing later. An
    original already stored was checked when it arrived.
    """
    if isinstance(file, FieldFile) and getattr(file, "_committed", False):
        return
    _check_size(file)
    try:
        image = _open(file)
        _check_pixels(image)
        _decode(image)
    except Image.DecompressionBombError:
        raise ValidationError(
            _(
                "The image has far too many pixels; photos may have at most "
                "%(limit)s million pixels."
            ),
            code="too_many_pixels",
            params={"limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
        ) from None
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of error on what it cannot open
        file.seek(0)
        head = file.read(16)
        if head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
            raise _damaged() from None
        raise ValidationError(
            _("This is not a JPEG, PNG or WebP image (SVG and other formats are not accepted)."),
            code="invalid_image",
        ) from None
    finally:
        file.seek(0)


def _check_size(file: IO[bytes] | File[bytes]) -> None:
    size = getattr(file, "size", None)
    if size is not None and size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; photos may be at most %(limit)s MB."),
            code="file_too_large",
            params={
                "size": f"{size / 1_048_576:.1f}",
                "limit": f"{settings.PHOTO_MAX_BYTES / 1_048_576:.0f}",
            },
        )


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(
            _("The image is %(w)s×%(h)s pixels; photos may have at most %(limit)s million pixels."),
            code="too_many_pixels",
            params={"w": width, "h": height, "limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
        )


def _decode(image: Image.Image) -> None:
    """Read the picture to its end; one that cannot be is damaged. A JPEG is
    decoded at an eighth of its size: every byte of it is still read, in an
    eighth of the memory."""
    if image.format == "JPEG":
        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
    try:
        image.load()
    except Exception:  # truncated data, a broken stream, a decoder error
        raise _damaged() from None


def _damaged() -> ValidationError:
    return ValidationError(
        _(
            "The image is damaged or incomplete: its picture cannot be read to the end "
            "(the file may have been cut short while copying). Export or copy it again, "
            "then upload the new file."
        ),
        code="damaged_image",
    )


# EXIF orientations whose upright picture is the stored one turned a quarter.
_QUARTER_TURNS = {5, 6, 7, 8}


def decoded(data: bytes, *, at_least: tuple[int, int] | None = None) -> Image.Image:
    """An accepted image's pixels, decoded. With `at_least` (the upright
    picture's width and height), a JPEG is decoded at the smallest of
    libjpeg's scales (1/2, 1/4, 1/8) that keeps it at least that large: all
    its renditions need, in a fraction of the memory (a 40-megapixel photo's
    pixels take 160 MB; at a quarter of its width, 10 MB)."""
    image = _open(io.BytesIO(data))
    if at_least and image.format == "JPEG":
        width, height = at_least
        if image.getexif().get(ExifTags.Base.Orientation) in _QUARTER_TURNS:
            width, height = height, width
        image.draft(image.mode, (width, height))
    image.load()
    return image


def make_rendition(
    image: Image.Image, max_width: int, credit: PictureCredit | None = None
) -> tuple[ContentFile[bytes], int, int]:
    """A WebP copy of the upright, decoded `image` at most `max_width` pixels
    wide, with its width and height. Of metadata it carries only `credit`."""
    if image.width > max_width:
        height = round(image.height * max_width / image.width)
        image = image.resize((max_width, max(1, height)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=82, method=4, **(credit or PictureCredit()).save_options())
    return ContentFile(out.getvalue()), image.width, image.height


def stored_size(file: FieldFile) -> int:
    """A stored file's size in bytes, remembered for a day: in object storage
    each look-up is a request (a feed names 20 renditions' sizes)."""
    digest = hashlib.md5(str(file.name).encode(), usedforsecurity=False).hexdigest()
    size = cache.get_or_set(f"filesize:{digest}", lambda: file.size, timeout=86400)
    return int(size if size is not None else file.size)


def upright(image: Image.Image) -> Image.Image:
    """`image` turned as its EXIF orientation says, in RGB (or RGBA if transparent)."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    return image


def needs_rendition(original: FieldFile, rendition: FieldFile) -> bool:
    """Whether `rendition` must be (re)built: there is an original, and it is
    new (not yet stored) or has no rendition yet."""
    return bool(original) and (not rendition or not getattr(original, "_committed", True))


def original_field(upload_to: Any, *, help_text: str | Promise, **kwargs: Any) -> models.ImageField:
    """The field that holds an uploaded original: checked, kept where it is never served."""
    return models.ImageField(
        upload_to=upload_to,
        storage=originals_storage,
        validators=[validate_photo_file],
        blank=True,
        help_text=help_text,
        **kwargs,
    )


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

    A new or replaced original is stored without its location metadata, and
    gets every rendition made afresh (under one new name stem) from one
    decoding of it; a removed original takes its renditions with it.
    """

    ORIGINAL_FIELD: ClassVar[str]
    RENDITIONS: ClassVar[tuple[Rendition, ...]]
    # Where the responsive variants (newsroom.responsive) go, kept in the
    # model's `variants` JSON field; None for a model without them.
    VARIANTS_FOLDER: ClassVar[str | None] = None
    # The variants' widths (None: settings.RESPONSIVE_WIDTHS), their crops,
    # and the crop that stands for the picture where it is shared.
    VARIANT_WIDTHS: ClassVar[tuple[int, ...] | None] = None
    CROP_RATIOS: ClassVar[tuple[tuple[int, int], ...]] = CROPS
    SHARE_CROP: ClassVar[str] = "16:9"
    variants: Any

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
            if self.VARIANTS_FOLDER:
                self.variants = []
        elif any(needs_rendition(original, file) for file in files) or self._lacks_variants():
            data = self._original_content(original)
            picture = upright(decoded(data, at_least=self._largest_output()))
            credit = self.picture_credit(data)
            stem = uuid.uuid4().hex
            for rendition, file in zip(self.RENDITIONS, files, strict=True):
                content, width, height = make_rendition(picture, rendition.width, credit)
                file.save(f"{stem}-{rendition.width}.webp", content, save=False)
                self._set_size(rendition, width, height)
            if self.VARIANTS_FOLDER:
                self.variants = build_variants(
                    picture,
                    folder=self.VARIANTS_FOLDER,
                    stem=stem,
                    credit=credit,
                    focus=self.focal_point(),
                    widths=self.VARIANT_WIDTHS,
                    ratios=self.CROP_RATIOS,
                )
        elif self._crops_moved():
            self._refresh_crops(original)

    def _refresh_crops(self, original: FieldFile) -> None:
        """Remake only the crops, when the focal point has moved."""
        data = self._original_content(original)
        picture = upright(decoded(data, at_least=self._largest_output()))
        kept = [row for row in self.variants if not row.get("crop")]
        crops = build_crops(
            picture,
            folder=str(self.VARIANTS_FOLDER),
            stem=uuid.uuid4().hex,
            credit=self.picture_credit(data),
            focus=self.focal_point(),
            ratios=self.CROP_RATIOS,
        )
        self.variants = crops + kept

    def plain_rendition(self) -> Variant | None:
        """The first rendition (a WebP) as a Variant, None without one: what
        a page shows of a picture saved before it had responsive variants."""
        rendition = self.RENDITIONS[0]
        file = getattr(self, rendition.field)
        if not file:
            return None
        field = self._meta.get_field(rendition.field)  # type: ignore[attr-defined]
        width, height = getattr(self, field.width_field), getattr(self, field.height_field)
        return Variant(WEBP.mime, width, height, file.name)

    def share_image(self) -> Variant | None:
        """What stands for the picture where a page is shared (OpenGraph, cards):
        its SHARE_CROP, or its plain rendition while it has no crops."""
        crop = crops_of(self.variants).get(self.SHARE_CROP) if self.VARIANTS_FOLDER else None
        return crop or self.plain_rendition()

    def stored_files(self) -> list[tuple[Storage, str]]:
        """Every file stored for this image, each with its storage: the
        original, the renditions and the responsive variants."""
        fields = [getattr(self, self.ORIGINAL_FIELD)]
        fields += [getattr(self, rendition.field) for rendition in self.RENDITIONS]
        files: list[tuple[Storage, str]] = [(f.storage, f.name) for f in fields if f and f.name]
        if self.VARIANTS_FOLDER:
            files += [(default_storage, row["name"]) for row in self.variants or ()]
        return files

    def _largest_output(self) -> tuple[int, int]:
        """How wide and how high the upright picture must be decoded for no
        rendition, variant or crop to be scaled up: as wide as the widest,
        and as high as the widest crop (its square one takes the height)."""
        widths = [rendition.width for rendition in self.RENDITIONS]
        if not self.VARIANTS_FOLDER:
            return max(widths), 1
        widths += self.VARIANT_WIDTHS or settings.RESPONSIVE_WIDTHS
        return max(*widths, CROP_WIDTH), CROP_WIDTH

    def _crops_moved(self) -> bool:
        return bool(self.VARIANTS_FOLDER) and crops_focus(self.variants) != self.focal_point()

    def picture_credit(self, original: bytes) -> PictureCredit:
        """The credit the renditions carry (none unless the model says)."""
        return PictureCredit()

    def focal_point(self) -> tuple[float, float]:
        """Where crops centre, as fractions of the width and height: the middle
        unless the model says."""
        return (0.5, 0.5)

    def _lacks_variants(self) -> bool:
        return bool(self.VARIANTS_FOLDER) and not self.variants

    def _original_content(self, original: FieldFile) -> bytes:
        """The original's bytes; a new one's first stripped of location metadata
        (and put in its place when that changed it)."""
        original.open("rb")
        data: bytes = original.read()
        if getattr(original, "_committed", True):
            original.close()
            return data
        # Not closed: an upload's temporary file would go with it, before the
        # model's save stores it.
        original.seek(0)
        cleaned = without_location(data)
        if cleaned is not data:
            setattr(self, self.ORIGINAL_FIELD, ContentFile(cleaned, name=original.name))
        return cleaned

    def _set_size(self, rendition: Rendition, width: int | None, height: int | None) -> None:
        field = self._meta.get_field(rendition.field)  # type: ignore[attr-defined]
        setattr(self, field.width_field, width)
        setattr(self, field.height_field, height)

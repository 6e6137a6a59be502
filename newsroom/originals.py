"""Where uploaded originals are kept: a storage that no URL leads to.

Readers only ever see renditions (newsroom.images). The originals of photos
and headshots live in `STORAGES["originals"]`, by default the folder
`ORIGINALS_ROOT`, which must lie outside `MEDIA_ROOT`: then neither Django's
media serving nor a web server in front of `MEDIA_ROOT` can hand one out,
and `manage.py check` (which `migrate` runs) refuses a configuration where it
could. Their `url()` raises, so a template that tried to show one fails in
the tests rather than linking to it.

`move_out_of_media` and `move_back_to_media` are what the migrations that
introduced this storage run over the files uploaded before it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property, empty

from newsroom.image_metadata import without_location

logger = logging.getLogger(__name__)


class OriginalNotServedError(ValueError):
    """Raised for the URL of an original: readers get renditions only."""


@deconstructible(path="newsroom.originals.OriginalsStorage")
class OriginalsStorage(FileSystemStorage):
    """Files under `ORIGINALS_ROOT` (unless given a location), with no URL."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        super().__init__(location=location, **kwargs)
        self._originals_location = location

    @cached_property
    def base_location(self) -> str:
        return str(self._originals_location or settings.ORIGINALS_ROOT)

    def url(self, name: str | None) -> str:
        raise OriginalNotServedError(
            f"{name}: originals are never served; show one of its renditions instead."
        )

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        if setting == "MEDIA_ROOT":
            return  # not where originals are
        if setting == "ORIGINALS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]


class _Originals(LazyObject):
    """`storages["originals"]`, looked up when first used and again after a
    change of STORAGES (as Django's `default_storage` is)."""

    def _setup(self) -> None:
        self._wrapped: Storage | object = storages["originals"]


_originals = _Originals()


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _originals._wrapped = empty


setting_changed.connect(_storages_changed, dispatch_uid="newsroom-originals-storage")


def originals_storage() -> Storage:
    """The storage of originals (the models' image fields name this callable,
    so that settings, not migrations, say which storage it is: the folder
    ORIGINALS_ROOT, or a private bucket, newsroom.object_storage)."""
    return cast(Storage, _originals)


@checks.register(checks.Tags.security)
def check_originals_not_served(**kwargs: Any) -> list[checks.CheckMessage]:
    """ORIGINALS_ROOT and MEDIA_ROOT (or STATIC_ROOT) must not contain one another."""
    storage = originals_storage()
    if not isinstance(storage, FileSystemStorage):
        return []  # another backend: its operator keeps it private
    originals = Path(storage.location).resolve()
    errors: list[checks.CheckMessage] = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        if not getattr(settings, name, None):
            continue
        served = Path(getattr(settings, name)).resolve()
        if originals == served or served in originals.parents or originals in served.parents:
            errors.append(
                checks.Error(
                    f"The originals' folder {originals} overlaps {name} ({served}), "
                    "which is served to readers: a photo's original, with whatever it "
                    "says about where it was taken, could be downloaded.",
                    hint=f"Set ORIGINALS_ROOT to a folder outside {name}.",
                    id="newsroom.E001",
                )
            )
    return errors


def move_out_of_media(folder: str) -> int:
    """Move every file under `folder` of the media storage to the same name in
    the originals storage, its location metadata removed; return how many."""
    return _move_folder(folder, source=storages["default"], target=originals_storage(), clean=True)


def move_back_to_media(folder: str) -> int:
    """The reverse of `move_out_of_media` (the metadata removed stays removed)."""
    return _move_folder(folder, source=originals_storage(), target=storages["default"], clean=False)


def _move_folder(folder: str, *, source: Storage, target: Storage, clean: bool) -> int:
    if not source.exists(folder):
        return 0
    folders, files = source.listdir(folder)
    moved = 0
    for name in files:
        _move_file(f"{folder}/{name}", source=source, target=target, clean=clean)
        moved += 1
    for sub in folders:
        moved += _move_folder(f"{folder}/{sub}", source=source, target=target, clean=clean)
    return moved


def _move_file(name: str, *, source: Storage, target: Storage, clean: bool) -> None:
    """Copy one file, check the copy, and only then delete it from `source`.

    Safe to run again after an interruption: a copy already in `target` is
    replaced by the one in `source`, which stays the authority until deleted.
    """
    with source.open(name, "rb") as file:
        data = file.read()
    if clean:
        data = _cleaned(name, data)
    if target.exists(name):
        target.delete(name)
    stored = target.save(name, ContentFile(data))
    if stored != name or target.size(name) != len(data):
        raise OSError(f"{name}: the copy in the originals' storage is not complete")
    source.delete(name)


def _cleaned(name: str, data: bytes) -> bytes:
    try:
        return without_location(data)
    except Exception:  # not an image Pillow can read: moved as it is
        logger.warning("%s: not a readable image, moved without removing its metadata", name)
        return data

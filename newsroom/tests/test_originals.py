"""Originals are kept where no URL leads: outside MEDIA_ROOT, never served,
and the files uploaded before are moved there without losing one."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from newsroom.originals import (
    OriginalNotServedError,
    check_originals_not_served,
    move_back_to_media,
    move_out_of_media,
    originals_storage,
)
from newsroom.tests.factories import ARTIST, exif_text, located_jpeg, metadata_of, photo_bytes


def test_originals_are_stored_under_originals_root_and_have_no_url(settings):
    name = originals_storage().save("photos/originals/a.jpg", ContentFile(b"x"))

    assert (Path(settings.ORIGINALS_ROOT) / name).read_bytes() == b"x"
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    with pytest.raises(OriginalNotServedError, match="never served"):
        originals_storage().url(name)


def test_the_checks_pass_with_originals_beside_media():
    assert check_originals_not_served() == []


@pytest.mark.parametrize(
    "originals", ["{media}", "{media}/originals", "{parent}"], ids=["same", "inside", "around"]
)
def test_originals_overlapping_media_is_an_error(settings, tmp_path, originals):
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.ORIGINALS_ROOT = originals.format(media=settings.MEDIA_ROOT, parent=tmp_path / "site")

    errors = check_originals_not_served()

    assert [error.id for error in errors] == ["newsroom.E001"]
    assert "overlaps MEDIA_ROOT" in errors[0].msg
    assert "Set ORIGINALS_ROOT to a folder outside MEDIA_ROOT" in str(errors[0].hint)


def put_in_media(files):
    for name, data in files.items():
        default_storage.save(name, ContentFile(data))


def test_moving_out_of_media_takes_every_file_and_strips_location(settings):
    located = located_jpeg()
    files = {
        "photos/originals/located.jpg": located,
        "photos/originals/plain.png": photo_bytes("PNG", (40, 30)),
        "photos/originals/2019/nested.webp": photo_bytes("WEBP", (40, 30)),
        "photos/originals/notes.txt": b"not an image at all",
    }
    put_in_media(files | {"photos/kept-rendition.webp": b"rendition"})

    assert move_out_of_media("photos/originals") == 4

    media, originals = Path(settings.MEDIA_ROOT), Path(settings.ORIGINALS_ROOT)
    assert not [path for path in (media / "photos/originals").rglob("*") if path.is_file()]
    assert (media / "photos/kept-rendition.webp").read_bytes() == b"rendition"
    moved = {
        str(path.relative_to(originals)): path.read_bytes()
        for path in originals.rglob("*")
        if path.is_file()
    }
    assert set(moved) == set(files)
    for name in ("photos/originals/plain.png", "photos/originals/2019/nested.webp"):
        assert moved[name] == files[name]
    assert moved["photos/originals/notes.txt"] == b"not an image at all"
    cleaned = metadata_of(moved["photos/originals/located.jpg"])
    assert cleaned.gps == {} and exif_text(cleaned.exif[315]) == ARTIST


def test_moving_again_after_an_interruption_loses_nothing(settings):
    put_in_media({"people/originals/face.jpg": photo_bytes("JPEG", (40, 30))})
    # A copy cut short by the interruption, the media file still there.
    originals_storage().save("people/originals/face.jpg", ContentFile(b"half a fi"))

    assert move_out_of_media("people/originals") == 1
    assert move_out_of_media("people/originals") == 0

    stored = (Path(settings.ORIGINALS_ROOT) / "people/originals/face.jpg").read_bytes()
    assert stored == photo_bytes("JPEG", (40, 30))
    assert sorted(
        p.name for p in (Path(settings.ORIGINALS_ROOT) / "people/originals").iterdir()
    ) == ["face.jpg"]


def test_moving_back_restores_the_media_folder(settings):
    put_in_media({"photos/originals/a.png": photo_bytes("PNG", (40, 30))})
    move_out_of_media("photos/originals")

    assert move_back_to_media("photos/originals") == 1

    assert (Path(settings.MEDIA_ROOT) / "photos/originals/a.png").read_bytes() == photo_bytes(
        "PNG", (40, 30)
    )
    assert not (Path(settings.ORIGINALS_ROOT) / "photos/originals/a.png").exists()


def test_a_folder_that_is_not_there_moves_nothing():
    assert move_out_of_media("photos/originals") == 0

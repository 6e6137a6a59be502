"""A photo's files: the original kept without its location where no URL
leads, the renditions readers see, and the move of the originals stored
before that."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from articles.models import Photo
from articles.tests.factories import make_photo, make_story
from newsroom.originals import OriginalNotServedError
from newsroom.tests.factories import (
    ARTIST,
    COPYRIGHT,
    PLACE,
    exif_text,
    located_jpeg,
    metadata_of,
    photo_bytes,
)

pytestmark = pytest.mark.django_db


def located_photo(**jpeg) -> Photo:
    """A photo uploaded as a JPEG that says, in every way it can, where it was taken."""
    return make_photo(image=SimpleUploadedFile("street.jpg", located_jpeg(**jpeg), "image/jpeg"))


def stored_original(photo, settings) -> bytes:
    return (Path(settings.ORIGINALS_ROOT) / photo.image.name).read_bytes()


def test_the_stored_original_has_no_location_and_keeps_the_credit(settings):
    photo = located_photo()

    stored = metadata_of(stored_original(photo, settings))

    assert stored.gps == {} and not stored.mentions(PLACE)
    assert exif_text(stored.exif[315]) == ARTIST
    assert exif_text(stored.exif[33432]) == COPYRIGHT
    assert (photo.width, photo.height) == (640, 480)


def test_every_rendition_carries_the_credit_and_copyright_and_never_the_place(settings):
    photo = located_photo()
    files = [photo.rendition.name, photo.thumbnail.name, *(v["name"] for v in photo.variants)]

    assert len(files) > 2
    for name in files:
        data = (Path(settings.MEDIA_ROOT) / name).read_bytes()
        found = metadata_of(data)
        assert set(found.exif) == {315, 33432}, name
        assert exif_text(found.exif[315]) == photo.credit
        assert exif_text(found.exif[33432]) == COPYRIGHT
        assert f"<rdf:li>{photo.credit}</rdf:li>".encode() in found.xmp
        assert COPYRIGHT.encode() in found.xmp
        assert found.gps == {} and PLACE.encode() not in data


def test_a_turned_photo_is_shown_upright():
    photo = located_photo(size=(640, 480), orientation=6)  # taken with the camera on its side

    assert (photo.width, photo.height) == (640, 480)  # the original, as stored
    assert (photo.rendition_width, photo.rendition_height) == (480, 640)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (400, 533)


def test_originals_live_outside_media_and_have_no_url(settings):
    photo = make_photo()

    assert (Path(settings.ORIGINALS_ROOT) / photo.image.name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / photo.image.name).exists()
    assert (Path(settings.MEDIA_ROOT) / photo.rendition.name).is_file()
    with pytest.raises(OriginalNotServedError):
        photo.image.url  # noqa: B018


@pytest.fixture
def serving_media(settings):
    settings.SERVE_MEDIA = True


def test_readers_can_fetch_renditions_but_never_the_original(client, serving_media, html_of):
    photo = make_photo()
    make_story(lead_photo=photo)

    assert client.get(photo.rendition.url).status_code == 200
    assert client.get(photo.thumbnail.url).status_code == 200
    for path in (
        f"/media/{photo.image.name}",  # where it was before
        f"/media/../originals/{photo.image.name}",
        f"/media/%2e%2e/originals/{photo.image.name}",
    ):
        assert client.get(path).status_code == 404, path


def test_no_media_is_served_unless_asked(client, settings):
    settings.SERVE_MEDIA = False
    photo = make_photo()
    assert client.get(photo.rendition.url).status_code == 404


def test_originals_inside_media_are_still_not_served(client, serving_media, settings):
    """Should an operator put ORIGINALS_ROOT inside MEDIA_ROOT (which
    `manage.py check` refuses), the media view still refuses the originals."""
    settings.ORIGINALS_ROOT = Path(settings.MEDIA_ROOT) / "private"
    photo = make_photo()

    assert (Path(settings.MEDIA_ROOT) / "private" / photo.image.name).is_file()
    assert client.get(f"/media/private/{photo.image.name}").status_code == 404
    assert client.get(photo.rendition.url).status_code == 200


# --- the migration that moved the originals out of MEDIA_ROOT --------------------

BEFORE = [("articles", "0004_editorial_workflow"), ("people", "0002_headshot_rendition")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_existing_originals_without_losing_one(settings):
    media, originals = Path(settings.MEDIA_ROOT), Path(settings.ORIGINALS_ROOT)
    files = {
        "photos/originals/located.jpg": located_jpeg(),
        "photos/originals/orphan.png": photo_bytes("PNG", (30, 20)),
        "people/originals/face.png": photo_bytes("PNG", (30, 20)),
    }
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    for name, data in files.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    (media / "photos/located-1200.webp").write_bytes(b"a rendition")
    photo = old.get_model("articles", "Photo").objects.create(
        image="photos/originals/located.jpg", rendition="photos/located-1200.webp", caption="x"
    )
    old.get_model("people", "Person").objects.create(
        name="Ann", slug="ann", headshot="people/originals/face.png"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    for name in files:
        assert (originals / name).is_file(), name
        assert not (media / name).exists(), name
    assert (media / "photos/located-1200.webp").read_bytes() == b"a rendition"
    moved = Photo.objects.get(pk=photo.pk)
    assert moved.image.name == "photos/originals/located.jpg"  # no row changed
    with moved.image.open("rb") as file:
        assert metadata_of(file.read()).gps == {}
    assert (originals / "people/originals/face.png").read_bytes() == files[
        "people/originals/face.png"
    ]


def test_a_rendition_of_a_stored_original_is_made_again_when_missing(settings):
    photo = make_photo()
    photo.thumbnail = None
    photo.save()

    photo.refresh_from_db()
    assert photo.thumbnail and photo.thumbnail_width == Photo.THUMBNAIL_WIDTH
    image = Image.open(io.BytesIO((Path(settings.MEDIA_ROOT) / photo.thumbnail.name).read_bytes()))
    assert image.format == "WEBP"

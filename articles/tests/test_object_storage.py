"""Media on S3-compatible object storage (newsroom/object_storage.py), against
moto's S3 server on a free local port: uploads through the admin land in the
bucket (originals under the private prefix, every rendition under media/),
and pages link to the bucket's URLs."""

import re
import socket

import boto3
import feedparser
import pytest
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Photo
from articles.tests.factories import make_story
from articles.tests.test_admin import upload_photo
from newsroom.originals import OriginalNotServedError, originals_storage
from newsroom.settings import object_storages
from newsroom.tests.factories import image_bytes
from newsroom.tests.test_deployment import PRODUCTION_ENV, manage
from people.models import Person
from people.tests.test_admin import ADD_PERSON, person_post

pytestmark = pytest.mark.django_db
BUCKET = "newsroom-media"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer  # a test dependency only

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """An empty bucket in moto's S3, and the storages pointed at it."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = settings.STORAGES | object_storages(BUCKET, endpoint_url=s3_server)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_uploaded_photo_and_every_rendition_land_in_the_bucket(admin_client, bucket, s3_server):
    response = upload_photo(admin_client, "square.jpg", image_bytes("JPEG"), "image/jpeg")
    assert response.status_code == 302
    photo = Photo.objects.get()
    media = {name for storage, name in photo.stored_files() if name != photo.image.name}
    # The renditions, thumbnail and every responsive variant and crop (AVIF, WebP, JPEG).
    assert len(media) >= 2 + 3 * 2 and {row["name"] for row in photo.variants} <= media
    assert keys(bucket) == {f"originals/{photo.image.name}"} | {f"media/{name}" for name in media}
    with pytest.raises(OriginalNotServedError):
        originals_storage().url(photo.image.name)
    assert photo.rendition.url.startswith(f"{s3_server}/{BUCKET}/media/photos/")


def test_a_headshot_and_its_variants_land_in_the_bucket(admin_client, bucket):
    upload = SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")
    assert admin_client.post(ADD_PERSON, person_post(headshot=upload)).status_code == 302
    person = Person.objects.get()
    stored = {name for storage, name in person.stored_files()}
    media = stored - {person.headshot.name}
    assert len(media) >= 1 + 3 * 3
    assert keys(bucket) == {f"originals/{person.headshot.name}"} | {f"media/{n}" for n in media}


def test_the_story_page_shows_its_picture_from_the_bucket(client, admin_client, bucket, s3_server):
    upload_photo(admin_client, "square.jpg", image_bytes("JPEG"), "image/jpeg")
    story = make_story("Oil workers strike", lead_photo=Photo.objects.get())
    html = client.get(story.get_absolute_url()).content.decode()
    urls = re.findall(r'<img[^>]* src="([^"]+)"', html)
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        urls += [entry.strip().split(" ")[0] for entry in srcset.split(",")]
    assert len(urls) >= 4
    prefix = f"{s3_server}/{BUCKET}/media/"
    assert [url for url in urls if not url.startswith(prefix)] == []
    photo_keys = {url.removeprefix(f"{s3_server}/{BUCKET}/") for url in urls}
    assert photo_keys <= keys(bucket)
    (enclosure,) = feedparser.parse(client.get("/feeds/rss/").content).entries[0].enclosures
    assert enclosure.href.startswith(prefix) and int(enclosure.length) > 0


def test_originals_under_the_medias_public_prefix_are_refused(bucket, settings, s3_server):
    assert [e.id for e in checks.run_checks() if e.id == "newsroom.E012"] == []
    settings.STORAGES = settings.STORAGES | {
        "originals": {
            "BACKEND": "newsroom.object_storage.OriginalsObjectStorage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_server, "location": "media/o"},
        }
    }
    errors = [e for e in checks.run_checks() if e.id == "newsroom.E012"]
    assert len(errors) == 1 and "could be downloaded" in errors[0].msg


def test_production_with_a_bucket_passes_its_checks_and_allows_the_media_origin():
    env = PRODUCTION_ENV | {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    code = (
        "from django.conf import settings; from django.core.files.storage import storages; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']); "
        "print(storages['default'].url('photos/a.webp'))"
    )
    lines = manage("shell", "-c", code, env=env).stdout.splitlines()
    assert "https://media.example.org" in lines[-2]
    assert lines[-1] == "https://media.example.org/media/photos/a.webp"

"""`manage.py backup` and `manage.py restore`: the site back, exactly, on an empty database."""

import hashlib
import shutil
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from newsroom.backup import _restored_models

# Committed, as on a real machine: the restore is one transaction of its own.
pytestmark = pytest.mark.django_db(transaction=True)


def site_contents() -> dict:
    """Every row a backup holds (references by natural key) and every stored file's SHA-256."""
    rows = {
        model._meta.label: serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in [*_restored_models(), Group]
    }
    files = {
        root.name: {
            str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(root).rglob("*"))
            if path.is_file()
        }
        for root in (Path(settings.MEDIA_ROOT), Path(settings.ORIGINALS_ROOT))
    }
    return {"rows": rows, "files": files}


@pytest.fixture
def archive(tmp_path, stories, account):
    """A site with stories, people, a photo and its renditions, backed up."""
    editor = account("dana", "Dana Kim")
    photo = stories.make_photo()
    reporter, expert = stories.make_person("Aigul Sadykova"), stories.make_person("Yevgeny Zhovtis")
    topic = stories.make_topic("Water")
    first = stories.make_story(
        "Floods in Osh", authors=[reporter], sources=[expert], topics=[topic]
    )
    stories.make_story(
        "Canals run dry in Balkh",
        lead_photo=photo,
        assigned_editor=editor,
        links_to=[first.headline],
    )
    path = tmp_path / "site.tar"
    out = StringIO()
    call_command("backup", output=str(path), stdout=out)
    assert f"Wrote {path}: " in out.getvalue()
    return path


def empty_the_site() -> None:
    """An empty machine: a migrated database with nothing in it, no files."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.ORIGINALS_ROOT, ignore_errors=True)


def restore(*args) -> str:
    out = StringIO()
    call_command("restore", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_restore_on_an_empty_machine_brings_everything_back(archive, client):
    before = site_contents()
    assert len(before["files"]["media"]) > 3  # the renditions
    assert len(before["files"]["originals"]) == 1
    empty_the_site()
    assert apps.get_model("articles", "Story").objects.count() == 0

    out = restore(archive)

    assert "all matching their checksums" in out
    assert site_contents() == before
    page = client.get("/search/", {"q": "Balkh"}).content.decode()
    assert 'href="/stories/canals-run-dry-in-balkh/"' in page  # the search index is rebuilt too


def test_a_database_that_holds_content_is_refused_unless_forced(archive):
    before = site_contents()
    with pytest.raises(CommandError, match="the database is not empty .*--force"):
        restore(archive)
    apps.get_model("articles", "Story").objects.all().delete()

    restore(archive, "--force")

    assert site_contents() == before


def corrupt(archive: Path, member_prefix: str) -> str:
    """Flip one byte of the first member under `member_prefix`; its name."""
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(member_prefix))
    with archive.open("r+b") as data:
        data.seek(member.offset_data + member.size // 2)
        byte = data.read(1)
        data.seek(-1, 1)
        data.write(bytes([byte[0] ^ 0xFF]))
    return member.name


@pytest.mark.parametrize("member", ["media/", "database.xml"])
def test_a_corrupted_archive_is_refused_naming_the_member_and_nothing_is_written(archive, member):
    name = corrupt(archive, member)
    empty_the_site()
    before = site_contents()

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert str(refused.value) == (
        f"Nothing was restored: {name}: corrupted (does not match its checksum)."
    )
    assert site_contents() == before


def test_an_archive_cut_short_is_refused(archive):
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    empty_the_site()
    with pytest.raises(CommandError, match="^Nothing was restored: .*"):
        restore(archive)
    assert apps.get_model("people", "Person").objects.count() == 0


def test_no_archive_is_written_where_the_media_are_served(settings):
    Path(settings.MEDIA_ROOT).mkdir(parents=True)
    with pytest.raises(CommandError, match="inside MEDIA_ROOT, which is served"):
        call_command("backup", output=str(Path(settings.MEDIA_ROOT) / "site.tar"))
    assert list(Path(settings.MEDIA_ROOT).iterdir()) == []

"""The demo archive imports exactly as recorded: the parse and the rows written.

`expected/` holds what `import_legacy` produced from `fixtures/legacy/` when
these files were recorded. A change to the parser, the quoted-source
extraction or the writes that alters a single byte of either fails here.
After an intended change, re-record with:

    .venv/bin/python -m pytest articles/tests/test_demo_archive.py --record-demo
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Story
from people.models import Person, PersonAlias

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "fixtures" / "legacy"
IMAGES = Path(settings.BASE_DIR) / "fixtures" / "images"
EXPECTED = Path(__file__).parent / "expected"


def dry_run_json() -> str:
    out, err = StringIO(), StringIO()
    call_command("import_legacy", str(DEMO), "--dry-run", "--json", stdout=out, stderr=err)
    return out.getvalue()


def photo_row(photo):
    if photo is None:
        return None
    return {
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "size": [photo.width, photo.height],
        "rendition": [photo.rendition_width, photo.rendition_height],
        "thumbnail": [photo.thumbnail_width, photo.thumbnail_height],
    }


def story_row(story):
    return {
        "legacy_id": story.legacy_id,
        "headline": story.headline,
        "headline_key": story.headline_key,
        "slug": story.slug,
        "standfirst": story.standfirst,
        "body": story.body,
        "status": story.status,
        "published_at": story.published_at.isoformat(),
        "language": story.language,
        "legacy_checksum": story.legacy_checksum,
        "lead_photo": photo_row(story.lead_photo),
        "bylines": [[b.person.slug, b.role, b.position] for b in story.bylines.all()],
        "sources": [[q.person.slug, q.description, q.position] for q in story.sources.all()],
        "topics": sorted([t.name, t.slug, t.kind] for t in story.topics.all()),
        "cross_links": [
            [link.title, link.title_key, link.target.legacy_id if link.target else None]
            for link in story.outgoing_links.all()
        ],
    }


def imported_rows() -> str:
    """Everything the import wrote, as JSON, without timestamps or generated file names."""
    call_command("import_legacy", str(DEMO), "--images", str(IMAGES), stdout=StringIO())
    rows = {
        "stories": [story_row(s) for s in Story.objects.order_by("legacy_id")],
        "people": [[p.name, p.slug, p.name_key] for p in Person.objects.order_by("slug")],
        "aliases": [
            [a.person.slug, a.name, a.name_key] for a in PersonAlias.objects.order_by("name_key")
        ],
    }
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def compare(name: str, actual: str, record: bool) -> None:
    path = EXPECTED / name
    if record:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_dry_run_json_of_the_demo_archive_is_unchanged(request):
    compare("demo-archive.dry-run.json", dry_run_json(), request.config.getoption("record_demo"))


def test_rows_imported_from_the_demo_archive_are_unchanged(request):
    compare("demo-archive.rows.json", imported_rows(), request.config.getoption("record_demo"))

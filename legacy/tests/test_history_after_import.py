"""An imported story edited in the admin has a sensible history, and a
re-import refuses edit forms opened before it."""

from pathlib import Path

import pytest

from articles.models import Story
from articles.tests.editing import browser, change_url, opened, page
from articles.tests.pages import edited
from legacy.run import ImportOptions, import_files

pytestmark = pytest.mark.django_db

FILE = Path(__file__).parent / "import_corpus" / "good" / "oil-and-water.txt"


def history(story):
    return [
        (r.version, r.revision.user.username if r.revision.user else None, r.revision.comment)
        for r in story.revisions.order_by("version")
    ]


def test_import_edit_reimport_edit(account):
    client = browser(account("dana", "Dana Kim"))
    import_files([FILE], ImportOptions())
    story = Story.objects.get()
    imported_headline = story.headline
    assert not story.revisions.exists()

    assert (
        client.post(change_url(story), edited(opened(client, story), headline="Edited")).status_code
        == 302
    )
    story.refresh_from_db()
    assert history(story) == [
        (1, None, "As imported from the legacy archive"),
        (2, "dana", "Changed Headline."),
    ]

    stale = opened(client, story)
    import_files([FILE], ImportOptions(overwrite=True))
    story.refresh_from_db()
    assert (story.headline, story.version) == (imported_headline, 3)
    refused = client.post(change_url(story), edited(stale, standfirst="Mine"))
    assert refused.status_code == 200
    assert "this story was changed after you opened it" in page(refused)
    assert f"<ins>{imported_headline}</ins>" in page(refused)

    assert (
        client.post(
            change_url(story), edited(opened(client, story), headline="Edited again")
        ).status_code
        == 302
    )
    story.refresh_from_db()
    assert history(story)[2:] == [
        (3, None, "As imported from the legacy archive"),
        (4, "dana", "Changed Headline."),
    ]

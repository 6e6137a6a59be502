"""Redirects: old paths (legacy URLs) answered with a 301 to their story,
kept in the admin and imported from a CSV; renames never make a loop."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import PathRedirect, Story, StoryRedirect
from articles.services import story_saved
from articles.tests.editing import browser
from articles.tests.factories import make_story

pytestmark = pytest.mark.django_db

REDIRECTS = "/admin/articles/pathredirect/"


@pytest.fixture
def story():
    return make_story("Miners strike in Karaganda")


def test_a_legacy_url_redirects_permanently_to_its_story(client, story):
    PathRedirect.objects.create(old_path="/en/news/12345.html", story=story)

    for asked in ("/en/news/12345.html", "/en/news/12345.html/", "/en/news/12345.html?from=feed"):
        response = client.get(asked)
        assert response.status_code == 301, asked
        assert response["Location"] == story.get_absolute_url()
    assert client.get("/en/news/99999.html").status_code == 404


def test_a_legacy_url_of_an_unpublished_story_stays_a_404(client):
    draft = make_story("Not yet", status=Story.Status.DRAFT)
    PathRedirect.objects.create(old_path="/en/news/1.html", story=draft)
    assert client.get("/en/news/1.html").status_code == 404


def test_a_live_page_wins_over_a_redirect(client, story):
    other = make_story("Another story")
    PathRedirect.objects.create(old_path=other.get_absolute_url().rstrip("/"), story=story)
    assert client.get(other.get_absolute_url()).status_code == 200


def test_renaming_there_and_back_makes_no_loop(client, story):
    first = story.slug
    story.slug = "renamed"
    story.save()
    story_saved(story=story, old_slug=first)
    story.slug = first
    story.save()
    story_saved(story=story, old_slug="renamed")

    assert client.get(f"/stories/{first}/").status_code == 200
    response = client.get("/stories/renamed/")
    assert response.status_code == 301 and response["Location"] == f"/stories/{first}/"
    assert client.get(response["Location"]).status_code == 200
    assert list(StoryRedirect.objects.values_list("old_slug", flat=True)) == ["renamed"]


def test_a_chain_of_renames_points_every_old_slug_at_the_story(client, story):
    slugs = [story.slug, "second", "third"]
    for old, new in zip(slugs, slugs[1:], strict=False):
        story.slug = new
        story.save()
        story_saved(story=story, old_slug=old)
    for old in slugs[:-1]:
        response = client.get(f"/stories/{old}/")
        assert response.status_code == 301 and response["Location"] == "/stories/third/"


# --- The admin ----------------------------------------------------------------


def test_the_admin_adds_a_redirect_with_its_path_normalised(editor, story):
    client = browser(editor)
    response = client.post(
        f"{REDIRECTS}add/", {"old_path": "/en//news/12345.html/", "story": story.pk}
    )
    assert response.status_code == 302
    assert PathRedirect.objects.get().old_path == "/en/news/12345.html"
    listing = client.get(REDIRECTS, {"q": "12345"}).content.decode()
    assert "/en/news/12345.html" in listing and story.headline in listing


@pytest.mark.parametrize(
    ("old_path", "error"),
    [
        ("en/news/1.html", "must start with"),
        ("", "required"),
        ("{own}", "redirect to itself"),
        ("{other}", "which is live"),
        ("/en/news/taken.html", "Another redirect"),
    ],
)
def test_the_admin_refuses_a_bad_redirect(editor, story, old_path, error):
    other = make_story("Another story")
    PathRedirect.objects.create(old_path="/en/news/taken.html", story=other)
    old_path = old_path.format(own=story.get_absolute_url(), other=other.get_absolute_url())

    response = browser(editor).post(f"{REDIRECTS}add/", {"old_path": old_path, "story": story.pk})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert PathRedirect.objects.count() == 1


# --- Importing a CSV ----------------------------------------------------------


def import_csv(tmp_path, text, *args):
    path = tmp_path / "redirects.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_redirects", str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def test_import_by_id_slug_and_url(client, tmp_path, story):
    other = make_story("Another story")
    out = import_csv(
        tmp_path,
        "old_path,story\n"
        f"/en/news/1.html,{story.pk}\n"
        f"/en/news/2.html,{other.slug}\n"
        f"/ru/news/3.html,https://news.example.org{other.get_absolute_url()}\n",
    )
    assert "Imported 3 redirects (3 new, 0 re-pointed)" in out
    assert client.get("/en/news/1.html")["Location"] == story.get_absolute_url()
    assert client.get("/ru/news/3.html")["Location"] == other.get_absolute_url()

    again = import_csv(tmp_path, f"old_path,story\n/en/news/2.html,{story.pk}\n")
    assert "(0 new, 1 re-pointed)" in again
    assert PathRedirect.objects.get(old_path="/en/news/2.html").story == story
    assert PathRedirect.objects.count() == 3


def test_bad_lines_are_named_and_nothing_is_imported(tmp_path, story):
    text = (
        "old_path,story\n"
        f"/en/news/1.html,{story.pk}\n"
        "/en/news/2.html,no-such-story\n"
        f"en/news/3.html,{story.pk}\n"
        f"/en/news/1.html,{story.pk}\n"
        f"{story.get_absolute_url()},{story.pk}\n"
        "/en/news/4.html,\n"
    )
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="5 bad lines: nothing imported"):
        call_command("import_redirects", str(path), stdout=StringIO(), stderr=err)
    errors = err.getvalue()
    assert "line 3: no story “no-such-story”" in errors
    assert "line 4: “en/news/3.html”: The old path must start with" in errors
    assert "line 5: “/en/news/1.html” is on line 2 already" in errors
    assert "line 6:" in errors and "redirect to itself" in errors
    assert "line 7: no story “”" in errors
    assert PathRedirect.objects.count() == 0


def test_a_file_without_the_header_or_missing_is_refused(tmp_path):
    with pytest.raises(CommandError, match="1 bad line"):
        import_csv(tmp_path, "/en/news/1.html,1\n")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_redirects", str(tmp_path / "missing.csv"), stdout=StringIO())


def test_a_dry_run_writes_nothing(tmp_path, story):
    out = import_csv(tmp_path, f"old_path,story\n/en/news/1.html,{story.pk}\n", "--dry-run")
    assert "Would import 1 redirects" in out
    assert PathRedirect.objects.count() == 0

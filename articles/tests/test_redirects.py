"""Redirects: old paths (legacy URLs) answered with a 301 to their story,
kept in the admin and imported from a CSV; renames never make a loop."""

import html
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from articles import redirects_admin
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


# --- Importing a CSV in the admin ---------------------------------------------

IMPORT = f"{REDIRECTS}import/"
# The page's queries, whatever the table holds: the session, the signed-in
# editor, and their permissions (their own and their groups').
IMPORT_PAGE_QUERIES = 4


def upload(client, content: bytes, name="redirects.csv", **fields):
    """The import form posted with `content` as its file."""
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **fields}
    return client.post(IMPORT, data)


def errors_of(response) -> list[str]:
    """The form's errors as the page lists them."""
    page = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    found += re.findall(r'<p class="errornote">(.*?)</p>', page, re.S)
    return [
        html.unescape(item)
        for block in found
        for item in re.findall(r"<li>(.*?)</li>", block) or [block]
    ]


def test_the_redirect_list_offers_the_import_to_those_who_may_add(editor, make_user):
    assert f'href="{IMPORT}"' in browser(editor).get(REDIRECTS).content.decode()

    looker = make_user("viewer")
    looker.user_permissions.add(Permission.objects.get(codename="view_pathredirect"))
    looks = browser(looker)
    assert looks.get(REDIRECTS).status_code == 200
    assert f'href="{IMPORT}"' not in looks.get(REDIRECTS).content.decode()
    assert looks.get(IMPORT).status_code == 403
    assert upload(looks, b"old_path,story\n/en/news/1.html,1\n").status_code == 403
    assert PathRedirect.objects.count() == 0


def test_a_reporter_cannot_reach_the_import(reporter):
    assert browser(reporter).get(IMPORT).status_code == 403


def test_the_import_page_costs_a_fixed_number_of_queries(editor, django_assert_num_queries):
    client = browser(editor)
    client.get(IMPORT)  # the permission cache and session, warmed
    with django_assert_num_queries(IMPORT_PAGE_QUERIES):
        response = client.get(IMPORT)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_uploading_a_good_file_imports_it_and_says_how_many(editor, story):
    other = make_story("Another story")
    PathRedirect.objects.create(old_path="/en/news/2.html", story=other)
    client = browser(editor)
    content = (
        "\ufeffold_path,story\r\n"  # Excel's "CSV UTF-8": a byte-order mark, CRLF
        f"/en/news/1.html,{story.pk}\r\n"
        f"/en/news/2.html,{story.slug}\r\n"
        f"/ru/news/3.html,{other.get_absolute_url()}\r\n"
    ).encode()

    response = upload(client, content)

    assert response.status_code == 302 and response["Location"] == REDIRECTS
    listing = client.get(REDIRECTS).content.decode()
    assert "Imported 3 redirects (2 new, 1 re-pointed)." in html.unescape(listing)
    assert dict(PathRedirect.objects.values_list("old_path", "story")) == {
        "/en/news/1.html": story.pk,
        "/en/news/2.html": story.pk,
        "/ru/news/3.html": other.pk,
    }


def test_bad_lines_are_form_errors_naming_each_line_and_nothing_is_imported(editor, story):
    content = (
        "old_path,story\n"
        f"/en/news/1.html,{story.pk}\n"
        "/en/news/2.html,no-such-story\n"
        f"en/news/3.html,{story.pk}\n"
        f"/en/news/1.html,{story.pk}\n"
        f"/{'x' * 600},{story.pk}\n"
        f"/en/news/6.html,{'9' * 30}\n"
    ).encode()

    response = upload(browser(editor), content)

    assert response.status_code == 200
    errors = errors_of(response)
    assert "Nothing was imported: 5 lines of the file are bad." in errors
    assert "Line 3: no story “no-such-story” (id, slug or URL)" in errors
    assert any(
        e.startswith("Line 4: “en/news/3.html”: The old path must start with") for e in errors
    )
    assert "Line 5: “/en/news/1.html” is on line 2 already" in errors
    assert any(e.startswith("Line 6:") and "at most 500 fit" in e for e in errors)
    assert f"Line 7: no story “{'9' * 30}” (id, slug or URL)" in errors
    assert PathRedirect.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "The file is empty"),
        (b"  \n\n", "The file is empty"),
        ("old_path,story\n/ru/новости.html,1\n".encode("cp1251"), "not UTF-8 text (line 2 is not)"),
        ("old_path,story\n".encode("utf-16"), "The file is UTF-16 text"),
        (b"old_path,story\n/en/1.html,\x001\n", "NUL characters"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text"),
        (
            b"path;story\n/en/news/1.html;1\n",
            "Line 1: the header must name the columns old_path,story",
        ),
        (b'old_path,story\n"/en/news/1.html,1\n', "Line 2: no story"),
    ],
)
def test_a_bad_file_is_a_form_error_never_a_500(editor, content, error):
    response = upload(browser(editor), content)

    assert response.status_code == 200
    assert any(error in message for message in errors_of(response)), errors_of(response)
    assert PathRedirect.objects.count() == 0


def test_a_form_without_a_file_asks_for_one(editor):
    response = browser(editor).post(IMPORT, {})
    assert response.status_code == 200
    assert "This field is required." in errors_of(response)


def test_a_huge_file_is_refused_before_its_lines_are_read(editor, story, monkeypatch):
    monkeypatch.setattr(redirects_admin, "MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr(redirects_admin, "MAX_LINES", 2)
    client = browser(editor)

    too_large = upload(client, b"old_path,story\n" + b"/en/news/1.html,1\n" * 10)
    too_long = upload(
        client, f"old_path,story\n/a,{story.pk}\n/b,{story.pk}\n/c,{story.pk}\n".encode()
    )

    assert "at most 0.0 MB can be imported here" in " ".join(errors_of(too_large))
    assert "The file has 4 lines; at most 2 redirects" in " ".join(errors_of(too_long))
    assert PathRedirect.objects.count() == 0


def test_a_long_list_of_bad_lines_is_cut_short_with_the_count(editor, monkeypatch):
    monkeypatch.setattr(redirects_admin, "SHOWN_ERRORS", 2)
    content = "old_path,story\n" + "".join(f"/en/{n}.html,nothing-{n}\n" for n in range(5))

    errors = errors_of(upload(browser(editor), content.encode()))

    assert "Line 3: no story “nothing-1” (id, slug or URL)" in errors
    assert "Line 4: no story “nothing-2” (id, slug or URL)" not in errors
    assert "…and 3 more bad lines." in errors


def test_check_only_reports_what_the_file_would_do_and_writes_nothing(editor, story):
    response = upload(
        browser(editor), f"old_path,story\n/en/news/1.html,{story.pk}\n".encode(), dry_run="on"
    )

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "The file is good: it would import 1 redirect (1 new, 0 re-pointed)." in page
    assert PathRedirect.objects.count() == 0


def test_the_import_page_and_its_errors_speak_russian(editor, story):
    client = browser(editor)
    russian = {"Accept-Language": "ru"}

    page = client.get(REDIRECTS, headers=russian).content.decode()
    assert "Импорт из CSV" in page
    data = {"file": SimpleUploadedFile("r.csv", b"old_path,story\n/en/1.html,nothing\n")}
    response = client.post(IMPORT, data, headers=russian)

    assert "Строка 2: нет материала «nothing» (id, слаг или адрес)" in errors_of(response)


def test_the_command_names_a_nul_or_overlong_line_instead_of_failing(tmp_path, story):
    path = tmp_path / "bad.csv"
    path.write_text(
        f"old_path,story\n/en/\x001.html,{story.pk}\n/{'x' * 600},{story.pk}\n", encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 bad lines"):
        call_command("import_redirects", str(path), stdout=StringIO(), stderr=err)
    assert "line 2: the line holds a NUL character" in err.getvalue()
    assert "line 3:" in err.getvalue() and "at most 500 fit" in err.getvalue()

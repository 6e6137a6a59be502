"""Previews: the edit form's content through the public template, and preview
links that let someone without an account read one draft."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import PreviewLink, Story, StoryNote
from articles.previews import create_preview_link
from articles.rendering import story_link
from articles.tests.conftest import signed_in
from articles.tests.factories import make_photo, make_story, make_topic
from articles.tests.test_admin import edit_post, story_post
from newsroom.responsive import picture_sources
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

PREVIEW_NEW = reverse("admin:articles_story_preview_new")
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def preview_url(story):
    return reverse("admin:articles_story_preview", args=[story.pk])


def links_url(story):
    return reverse("admin:articles_story_preview_links", args=[story.pk])


def assert_private(response):
    cache = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache
    assert "noindex" in response["X-Robots-Tag"]


# --- Preview of the edit form ---------------------------------------------------


def test_preview_of_a_new_story_renders_the_form_through_the_public_template(
    editor_client, row_counts, html_of
):
    author, source = make_person("Ann Lee"), make_person("Bolat Nurov")
    energy = make_topic("Energy")
    photo = make_photo(caption="Workers in the square")
    earlier = make_story("Earlier strikes")
    before = row_counts()

    response = editor_client.post(
        PREVIEW_NEW,
        story_post(
            headline="Oil workers strike in Zhanaozen",
            body=f'<p>The strike began. <a href="{story_link(earlier.pk)}">As before</a>.</p>',
            topics=[energy.pk],
            lead_photo=photo.pk,
            bylines=[{"person": author.pk, "role": "IWPR reporter", "position": "0"}],
            sources=[{"person": source.pk, "description": "union leader", "position": "0"}],
        ),
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "articles/story.html"
    html = html_of(response)
    assert '<h1 class="story__headline">Oil workers strike in Zhanaozen</h1>' in html
    assert "Preview of the edit form." in html and "nothing has been saved" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    for shown in ("Ann Lee", "IWPR reporter", "Bolat Nurov", "union leader", "Energy"):
        assert shown in html, shown
    _, shown_photo = picture_sources(photo.variants)
    assert f'src="{shown_photo.url}"' in html
    # The story link in the body renders at the target's address, and the
    # target is among the related stories, as it will be once saved.
    assert f'<a href="{earlier.get_absolute_url()}">As before</a>' in html
    assert html.count(earlier.get_absolute_url()) == 2
    assert_private(response)
    assert row_counts() == before
    assert not Story.objects.filter(headline__startswith="Oil workers").exists()


def test_preview_of_a_saved_story_shows_the_unsaved_changes(editor_client, html_of):
    story = make_story("Strike ends", body="<p>Old text.</p>", authors=[make_person("Ann Lee")])
    bolat = make_person("Bolat Nurov")
    data = edit_post(story, headline="Strike ends at last", body="<p>New text.</p>")
    data |= {
        "bylines-TOTAL_FORMS": "2",
        "bylines-INITIAL_FORMS": "1",
        "bylines-0-id": str(story.bylines.get().pk),
        "bylines-0-story": str(story.pk),
        "bylines-0-person": str(story.bylines.get().person_id),
        "bylines-0-role": "",
        "bylines-0-position": "0",
        "bylines-0-DELETE": "on",
        "bylines-1-person": str(bolat.pk),
        "bylines-1-role": "",
        "bylines-1-position": "1",
    }

    response = editor_client.post(preview_url(story), data)

    html = html_of(response)
    assert response.status_code == 200, html
    assert "Strike ends at last" in html and "New text." in html
    assert "Old text." not in html
    assert "Bolat Nurov" in html and "Ann Lee" not in html
    assert "Saving will change the published story." in html
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Strike ends", "<p>Old text.</p>")
    assert [b.person.name for b in story.bylines.all()] == ["Ann Lee"]


def test_preview_of_invalid_input_names_each_problem(editor_client, html_of, row_counts):
    before = row_counts()
    response = editor_client.post(
        PREVIEW_NEW,
        story_post(
            headline="",
            bylines=[{"person": "999999", "role": "", "position": "0"}],
            published_at_0="not a date",
        ),
    )

    assert response.status_code == 400
    html = html_of(response)
    assert "The preview could not be made" in html
    assert "Headline: This field is required." in html
    assert "Authors, row 1, person: Select a valid choice." in html
    assert "Publication date: Enter a valid date." in html
    assert_private(response)
    assert row_counts() == before


def test_preview_refuses_who_may_not_edit_the_story(make_user, reporter, reporter_client):

    others = make_story("Someone else's draft", status=Story.Status.DRAFT)
    own = make_story("My draft", status=Story.Status.DRAFT, created_by=reporter)
    submitted = make_story("Mine, in review", status=Story.Status.IN_REVIEW, created_by=reporter)

    assert reporter_client.post(preview_url(own), edit_post(own)).status_code == 200
    assert reporter_client.post(PREVIEW_NEW, story_post()).status_code == 200
    assert reporter_client.post(preview_url(others), edit_post(others)).status_code == 403
    assert reporter_client.post(preview_url(submitted), edit_post(submitted)).status_code == 403
    # Staff who may change stories but not view unpublished ones: no preview.
    clerk = make_user("clerk")
    clerk.user_permissions.set(
        Permission.objects.filter(codename__in=["add_story", "change_story"])
    )
    assert signed_in(clerk).post(PREVIEW_NEW, story_post()).status_code == 403
    assert signed_in(clerk).post(preview_url(own), edit_post(own)).status_code == 403


def test_preview_of_an_unknown_story_is_404_and_a_get_goes_back(editor_client):
    assert editor_client.post("/admin/articles/story/999999/preview/", {}).status_code == 404
    story = make_story()
    response = editor_client.get(preview_url(story))
    assert response.status_code == 302 and response["Location"] == story.get_absolute_url()
    assert editor_client.get(PREVIEW_NEW)["Location"] == reverse("admin:articles_story_add")


def test_preview_leaves_out_links_to_stories_readers_cannot_see(editor_client, html_of):
    draft = make_story("Secret draft", status=Story.Status.DRAFT)
    response = editor_client.post(
        PREVIEW_NEW,
        story_post(
            body=f'<p><a href="{story_link(draft.pk)}">Linked draft</a> (See Secret draft.)</p>',
            links=[{"title": "Secret draft", "target": "", "position": "0"}],
        ),
    )
    html = html_of(response)
    assert "Linked draft" in html and "(See Secret draft.)" in html
    assert draft.get_absolute_url() not in html
    assert "Related stories" not in html


def test_edit_pages_offer_preview_in_a_new_tab(editor_client, reporter_client, html_of):
    story = make_story()
    pattern = (
        r'<button type="submit" form="story_form" formaction="{}" formtarget="_blank" '
        r"formnovalidate"
    )
    html = html_of(editor_client.get(reverse("admin:articles_story_add")))
    assert re.search(pattern.format(re.escape(PREVIEW_NEW)), html)
    html = html_of(editor_client.get(reverse("admin:articles_story_change", args=[story.pk])))
    assert re.search(pattern.format(re.escape(preview_url(story))), html)
    # A reporter viewing a published story they may not edit: no button.
    html = html_of(reporter_client.get(reverse("admin:articles_story_change", args=[story.pk])))
    assert "formaction" not in html


# --- Preview links ----------------------------------------------------------------


def make_link(story, user, **kwargs):
    kwargs.setdefault("lifetime", timedelta(days=1))
    link, token = create_preview_link(story=story, user=user, **kwargs)
    return link, reverse("articles:shared_preview", args=[token])


def test_a_preview_link_shows_the_saved_draft_to_someone_without_an_account(
    client, editor, html_of
):
    draft = make_story(
        "Embargoed investigation",
        status=Story.Status.DRAFT,
        body="<p>What the lawyer must read.</p>",
        authors=[make_person("Ann Lee")],
    )
    link, url = make_link(draft, editor)

    response = client.get(url)

    assert response.status_code == 200
    html = html_of(response)
    assert "What the lawyer must read." in html and "Ann Lee" in html
    assert "Confidential preview of an unpublished story." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert_private(response)
    assert response["Referrer-Policy"] == "no-referrer"
    link.refresh_from_db()
    assert link.last_opened_at is not None
    # The link is for this story alone: the draft's own address stays closed.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_preview_link_shows_the_story_as_currently_saved(client, editor, html_of):
    draft = make_story("Draft", status=Story.Status.DRAFT, body="<p>First version.</p>")
    _, url = make_link(draft, editor)
    Story.objects.filter(pk=draft.pk).update(body="<p>Second version.</p>")
    html = html_of(client.get(url))
    assert "Second version." in html and "First version." not in html


def test_only_a_hash_of_the_token_is_stored(editor):
    link, url = make_link(make_story(), editor)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert len(token) == 43
    assert link.token_hash != token and token not in link.token_hash
    assert PreviewLink.objects.for_token(token).get() == link


def test_an_expired_link_no_longer_works(client, editor, html_of):
    story = make_story("Draft", status=Story.Status.DRAFT, body="<p>Secret words.</p>")
    with time_machine.travel(NOON, tick=False):
        _, url = make_link(story, editor, lifetime=timedelta(hours=1))
    with time_machine.travel(NOON + timedelta(minutes=59), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        response = client.get(url)
    assert response.status_code == 410
    html = html_of(response)
    assert "This preview link no longer works" in html
    assert "Secret words." not in html and "Draft" not in html.split("<main", 1)[1]
    assert_private(response)


def test_a_revoked_link_no_longer_works(client, editor, editor_client, html_of):
    story = make_story("Draft", status=Story.Status.DRAFT, body="<p>Secret words.</p>")
    link, url = make_link(story, editor)
    assert client.get(url).status_code == 200

    revoke = reverse("admin:articles_story_preview_link_revoke", args=[story.pk, link.pk])
    response = editor_client.post(revoke)

    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 410
    assert "Secret words." not in html_of(response)
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == editor


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t[:-1],
        lambda t: t + "x",
        lambda t: t.upper(),
        lambda t: "../" + t,
    ],
    ids=["last-character", "shortened", "lengthened", "case", "path"],
)
def test_a_tampered_link_opens_nothing(client, editor, html_of, tamper):
    story = make_story("Draft", status=Story.Status.DRAFT, body="<p>Secret words.</p>")
    _, url = make_link(story, editor)
    token = url.rstrip("/").rsplit("/", 1)[1]
    response = client.get(f"/preview/{tamper(token)}/")
    assert response.status_code == 404
    assert "Secret words." not in html_of(response)


def test_making_a_link_from_the_edit_page(editor_client, editor, client, html_of):
    story = make_story("Draft", status=Story.Status.DRAFT)
    with time_machine.travel(NOON, tick=False):
        response = editor_client.post(
            links_url(story),
            {"lifetime": "7d", "note": "our lawyer"},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 200
    data = response.json()
    assert data["note"] == "our lawyer" and data["created_by"] == "ed"
    link = PreviewLink.objects.get()
    assert (link.story, link.created_by, link.note) == (story, editor, "our lawyer")
    assert link.expires_at == NOON + timedelta(days=7)
    assert data["url"].startswith("http://testserver/preview/")
    assert_private(response)
    history = LogEntry.objects.get(object_id=str(story.pk))
    assert history.get_change_message() == "Made a preview link for 7 days, shared with our lawyer."
    with time_machine.travel(NOON + timedelta(days=6), tick=False):
        assert client.get(data["url"]).status_code == 200
        # The edit page lists it, without its address (which is not stored).
        html = html_of(editor_client.get(reverse("admin:articles_story_change", args=[story.pk])))
    listed = html[html.index('id="preview-links"') :]
    assert "our lawyer" in listed and data["url"] not in html


def test_making_a_link_without_javascript_shows_it_once(editor_client, html_of):
    story = make_story("Draft", status=Story.Status.DRAFT)
    response = editor_client.post(links_url(story), {"lifetime": "1h", "note": ""})
    assert response.status_code == 200
    html = html_of(response)
    assert re.search(r'value="http://testserver/preview/[A-Za-z0-9_-]{43}/"', html)
    assert "for 1 hour" in html
    assert_private(response)


def test_making_a_link_with_bad_input_is_refused_clearly(editor_client):
    story = make_story("Draft", status=Story.Status.DRAFT)
    response = editor_client.post(
        links_url(story), {"lifetime": "forever"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "Works for: Select a valid choice." in response.json()["errors"][0]
    response = editor_client.post(links_url(story), {"lifetime": "1d", "note": "x" * 201})
    assert response.status_code == 302
    assert not PreviewLink.objects.exists()
    assert editor_client.get(links_url(story)).status_code == 405


def test_who_may_make_and_revoke_preview_links(reporter, reporter_client, editor, editor_client):
    own = make_story("My draft", status=Story.Status.DRAFT, created_by=reporter)
    others = make_story("Another draft", status=Story.Status.DRAFT)

    assert reporter_client.post(links_url(own), {"lifetime": "1d"}).status_code == 200
    assert reporter_client.post(links_url(others), {"lifetime": "1d"}).status_code == 403
    mine = PreviewLink.objects.get()
    editors = make_link(own, editor)[0]

    # Submitted for review, the draft is no longer the reporter's to edit:
    # they may still revoke the link they made, not the editor's.
    Story.objects.filter(pk=own.pk).update(status=Story.Status.IN_REVIEW)
    assert reporter_client.post(links_url(own), {"lifetime": "1d"}).status_code == 403

    def revoke(client, link):
        url = reverse("admin:articles_story_preview_link_revoke", args=[link.story_id, link.pk])
        return client.post(url, HTTP_ACCEPT="application/json")

    assert revoke(reporter_client, editors).status_code == 403
    assert revoke(reporter_client, mine).json() == {"revoked": mine.pk}
    assert revoke(editor_client, editors).status_code == 200
    assert not PreviewLink.objects.active().exists()
    # A link is revoked only through its own story's address.
    other_link = make_link(others, editor)[0]
    wrong = reverse("admin:articles_story_preview_link_revoke", args=[own.pk, other_link.pk])
    assert editor_client.post(wrong).status_code == 404


def test_the_edit_page_lists_only_links_that_still_work(editor, editor_client, html_of):
    story = make_story("Draft", status=Story.Status.DRAFT)
    with time_machine.travel(NOON, tick=False):
        make_link(story, editor, note="expired", lifetime=timedelta(hours=1))
        revoked = make_link(story, editor, note="revoked")[0]
        make_link(story, editor, note="working")
    PreviewLink.objects.filter(pk=revoked.pk).update(revoked_at=NOON)
    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        html = html_of(editor_client.get(reverse("admin:articles_story_change", args=[story.pk])))
    listed = html[html.index('id="preview-links"') :]
    assert "working" in listed
    assert "expired" not in listed and ">revoked<" not in listed


def test_the_shared_page_query_count_is_constant(client, editor, django_assert_num_queries):
    story = make_story("Draft", status=Story.Status.DRAFT, authors=[make_person()])
    _, url = make_link(story, editor)
    # The link, the link's last opening, then the story page's own eight.
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    for i in range(5):
        StoryNote.objects.create(story=story, text=f"Note {i}.")
        make_link(story, editor)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200

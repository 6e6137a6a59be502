"""The trash: a deleted story disappears everywhere, keeps its rows and slug,
comes back as it was when an editor restores it, and is purged after 30 days."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command

from articles import trash
from articles.corrections import add_note
from articles.models import Byline, CrossLink, Story, StoryRedirect
from articles.tests.accounts import newsroom
from articles.tests.factories import make_story, make_topic
from articles.tests.test_admin import ADD_STORY, STORIES, change_url, story_post
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
TRASH = f"{STORIES}?trash=1"


@pytest.fixture
def staff():
    return newsroom()


def trashed(story, user):
    trash.move_to_trash(stories=Story.objects.filter(pk=story.pk), user=user)
    story.refresh_from_db()
    return story


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Invisible everywhere, rows kept ------------------------------------------


def test_a_trashed_story_is_invisible_everywhere_but_keeps_its_rows(client, staff):
    author, topic = make_person("Ann Lee"), make_topic("Water")
    gone = make_story("Dam Breaks", authors=[author], topics=[topic])
    linking = make_story("Floods Follow", links_to=["Dam Breaks"], authors=[make_person()])
    make_story("Another by Ann", authors=[author])
    trashed(gone, staff["editor"])

    assert not Story.objects.published().filter(pk=gone.pk).exists()
    assert not Story.objects.visible_to(staff["editor"]).filter(pk=gone.pk).exists()
    assert not gone.is_published
    for viewer in (None, staff["editor"]):
        if viewer:
            client.force_login(viewer)
        assert client.get(gone.get_absolute_url()).status_code == 404
        for page in ("/", topic.get_absolute_url(), author.get_absolute_url()):
            assert "Dam Breaks" not in client.get(page).content.decode(), page
    # The story linking to it shows the title as text, not a link to a 404.
    body = client.get(linking.get_absolute_url()).content.decode()
    assert gone.get_absolute_url() not in body
    # Nothing was deleted.
    assert Byline.objects.filter(story=gone).exists()
    assert CrossLink.objects.get(source=linking).target == gone
    assert (gone.deleted_by, gone.status) == (staff["editor"], "published")


def test_its_slug_stays_reserved(client, staff):
    gone = trashed(make_story("Dam Breaks", slug="dam-breaks"), staff["editor"])
    assert make_story("Dam Breaks").slug == "dam-breaks-2"
    client.force_login(staff["editor"])
    response = client.post(ADD_STORY, story_post(headline="Dam breaks again", slug=gone.slug))
    assert response.status_code == 200
    assert "Story with this Slug already exists." in response.content.decode()


def test_the_admin_hides_trashed_stories_from_lists_pages_and_autocompletes(client, staff):
    gone = trashed(make_story("Dam Breaks"), staff["editor"])
    make_story("Dam Repairs")
    client.force_login(staff["editor"])

    listed = client.get(STORIES).context["cl"].result_list
    assert [s.headline for s in listed] == ["Dam Repairs"]
    for url in (change_url(gone), f"{STORIES}{gone.pk}/history/", f"{STORIES}{gone.pk}/delete/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "crosslink", "field_name": "target", "term": "dam"},
    ).json()["results"]
    assert [r["text"] for r in found] == ["Dam Repairs"]


# --- Deleting moves to the trash ---------------------------------------------


def test_deleting_a_story_moves_it_to_the_trash(client, staff):
    story = make_story("Dam Breaks", authors=[make_person()])
    client.force_login(staff["editor"])

    confirmation = client.get(f"{STORIES}{story.pk}/delete/")
    assert "Move “Dam Breaks” to the trash?" in text_of(confirmation)
    assert "restore it from the trash, as it is now, for 30 days" in text_of(confirmation)
    response = client.post(f"{STORIES}{story.pk}/delete/", {"post": "yes"}, follow=True)

    assert "Moved “Dam Breaks” to the trash; an editor can restore it for 30 days." in text_of(
        response
    )
    story.refresh_from_db()
    assert story.deleted_at is not None and story.deleted_by == staff["editor"]
    entry = LogEntry.objects.get(object_id=str(story.pk))
    assert entry.get_change_message() == "Moved to the trash."


def test_deleting_selected_stories_moves_them_to_the_trash(client, staff):
    stories = [make_story(f"Story {n}") for n in range(3)]
    client.force_login(staff["editor"])
    selected = {"action": "delete_selected", "_selected_action": [s.pk for s in stories[:2]]}

    confirmation = client.post(STORIES, selected)
    assert "Move these 2 stories to the trash?" in text_of(confirmation)
    response = client.post(STORIES, selected | {"post": "yes"}, follow=True)

    assert "Moved 2 stories to the trash" in text_of(response)
    assert Story.objects.count() == 3
    assert {s.headline for s in Story.objects.trashed()} == {"Story 0", "Story 1"}


def test_only_editors_delete(client, staff):
    story = make_story(status=Story.Status.DRAFT, created_by=staff["reporter"])
    client.force_login(staff["reporter"])
    assert client.get(f"{STORIES}{story.pk}/delete/").status_code == 403
    assert client.post(f"{STORIES}{story.pk}/delete/", {"post": "yes"}).status_code == 403
    selected = {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"}
    client.post(STORIES, selected)
    story.refresh_from_db()
    assert story.deleted_at is None


# --- The trash list and restoring --------------------------------------------


def test_the_trash_lists_who_moved_each_story_and_when(client, staff, count_queries):
    with time_machine.travel(NOON, tick=False):
        trashed(make_story("Dam Breaks", status=Story.Status.IN_REVIEW), staff["editor"])
    make_story("Still here")
    client.force_login(staff["editor"])

    page = count_queries(client, TRASH)
    assert [s.headline for s in page.rows] == ["Dam Breaks"]
    text = text_of(page.response)
    for shown in ("In review", "Dana Bek", "3 Dec 2026", "2 Jan 2027", "Restore"):
        assert shown in text, shown
    assert list(page.response.context["action_form"].fields["action"].choices)[1:] == [
        ("restore_selected", "Restore selected stories")
    ]
    for _ in range(5):
        trashed(make_story(), staff["editor"])
    assert count_queries(client, TRASH).queries == page.queries


def test_an_editor_restores_a_story_in_the_state_it_had(client, staff):
    author = make_person()
    draft = make_story("Unfinished", status=Story.Status.DRAFT, authors=[author])
    live = make_story("Dam Breaks", authors=[author])
    linking = make_story("Floods Follow", links_to=["Dam Breaks"])
    for story in (draft, live):
        trashed(story, staff["editor"])
    client.force_login(staff["editor"])

    response = client.post(f"{STORIES}{live.pk}/restore/", follow=True)
    assert response.redirect_chain[-1][0] == TRASH
    assert "Restored “Dam Breaks”, published as before." in text_of(response)
    assert client.get(live.get_absolute_url()).status_code == 200
    assert live.get_absolute_url() in client.get(linking.get_absolute_url()).content.decode()

    response = client.post(
        TRASH, {"action": "restore_selected", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Restored “Unfinished”, draft as before." in text_of(response)
    assert not Story.objects.trashed().exists()
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.deleted_by is None


def test_a_story_restored_after_its_scheduled_time_says_it_is_out(client, staff):
    with time_machine.travel(NOON, tick=False):
        story = make_story("Embargoed report", published_at=NOON + timedelta(hours=1))
        trashed(story, staff["editor"])
    client.force_login(staff["editor"])
    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        response = client.post(f"{STORIES}{story.pk}/restore/", follow=True)
    assert "its scheduled time passed while it was in the trash" in text_of(response)


def test_reporters_neither_see_the_trash_nor_restore(client, staff):
    story = trashed(make_story(created_by=staff["reporter"]), staff["editor"])
    client.force_login(staff["reporter"])
    response = client.get(TRASH)
    assert response.status_code == 302 and "e=1" in response["Location"]
    assert "Trash" not in text_of(client.get(STORIES))
    assert client.post(f"{STORIES}{story.pk}/restore/").status_code == 403
    story.refresh_from_db()
    assert story.deleted_at is not None


def test_restoring_needs_a_post_and_a_story_in_the_trash(client, staff):
    live = make_story()
    client.force_login(staff["editor"])
    assert client.get(f"{STORIES}{live.pk}/restore/").status_code == 405
    assert client.post(f"{STORIES}{live.pk}/restore/").status_code == 404
    assert client.post(f"{STORIES}x1/restore/").status_code == 404


# --- Purging -------------------------------------------------------------------


def purge(*args):
    out = StringIO()
    call_command("purge_trash", *args, stdout=out)
    return out.getvalue()


def test_purge_trash_deletes_stories_trashed_more_than_30_days_ago(staff):
    with time_machine.travel(NOON, tick=False):
        old = trashed(make_story("Old news", slug="old-news"), staff["editor"])
        StoryRedirect.objects.create(old_slug="older-news", story=old)
    with time_machine.travel(NOON + timedelta(days=20), tick=False):
        recent = trashed(make_story("Recent"), staff["editor"])
    kept = make_story("Kept", links_to=["Old news"])

    with time_machine.travel(NOON + timedelta(days=30, seconds=1), tick=False):
        listing = purge("--dry-run")
        assert "would delete “Old news” (old-news), trashed 2026-12-03 12:00" in listing
        assert Story.objects.filter(pk=old.pk).exists()
        assert "Deleted 1 story in the trash for more than 30 days." in purge()

    assert set(Story.objects.values_list("headline", flat=True)) == {"Recent", "Kept"}
    assert not StoryRedirect.objects.exists()
    assert CrossLink.objects.get(source=kept).is_pending
    assert Story.objects.trashed().get() == recent


def test_purge_trash_refuses_a_negative_age():
    with pytest.raises(CommandError, match="--days must be 0 or more, not -1"):
        purge("--days", "-1")


def test_a_story_trashed_now_is_not_purged(staff):
    trashed(make_story(), staff["editor"])
    assert "Deleted 0 stories" in purge()
    assert "Deleted 1 story" in purge("--days", "0")


def test_purge_keeps_a_trashed_story_that_carries_correction_notes(staff):
    with time_machine.travel(NOON, tick=False):
        corrected = make_story("Corrected once")
        add_note(
            story=corrected, kind="correction", text="The vote was on Friday.", user=staff["editor"]
        )
        trashed(corrected, staff["editor"])
        trashed(make_story("Plain"), staff["editor"])
    with time_machine.travel(NOON + timedelta(days=31), tick=False):
        assert "Corrected once" not in purge("--dry-run")
        output = purge()
    assert "Deleted 1 story" in output
    assert "Kept 1 with correction notes in the trash: notes are never deleted." in output
    assert Story.objects.trashed().get() == corrected
    assert corrected.notes.count() == 1

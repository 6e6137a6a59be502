"""Corrections and updates: appended by editors, never silently changed or
deleted, shown on the story page and on /corrections/."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from articles.corrections import add_note, amend_note, withdraw_note
from articles.models import NotesAreAppendOnly, Story, StoryNote, StoryNoteRevision
from articles.tests.factories import make_story
from articles.tests.test_admin import edit_post, inline_rows

pytestmark = pytest.mark.django_db

CORRECTIONS = reverse("articles:corrections")
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def change_url(story):
    return reverse("admin:articles_story_change", args=[story.pk])


def note_url(note):
    return reverse("admin:articles_storynote_change", args=[note.pk])


# --- The services -------------------------------------------------------------------


def test_a_note_is_dated_and_changes_the_storys_updated_time(editor):
    story = make_story()
    with time_machine.travel(NOON, tick=False):
        note = add_note(
            story=story, kind="correction", text="  The mayor is Ana Lee.  ", user=editor
        )
    story.refresh_from_db()
    assert (note.noted_at, note.text, note.created_by) == (NOON, "The mayor is Ana Lee.", editor)
    assert story.updated_at == NOON


def test_amending_keeps_the_earlier_text_and_the_reason(editor):
    story = make_story()
    with time_machine.travel(NOON, tick=False):
        note = add_note(story=story, kind="update", text="Talks resume Monday.", user=editor)
    with time_machine.travel(NOON + timedelta(hours=3), tick=False):
        amend_note(note=note, text="Talks resume Tuesday.", reason="The date moved.", user=editor)
    note.refresh_from_db()
    assert (note.text, note.amended_at) == ("Talks resume Tuesday.", NOON + timedelta(hours=3))
    revision = note.revisions.get()
    assert (revision.text, revision.reason, revision.edited_by) == (
        "Talks resume Monday.",
        "The date moved.",
        editor,
    )
    story.refresh_from_db()
    assert story.updated_at == NOON + timedelta(hours=3)


def test_an_amendment_needs_a_reason_and_a_change(editor):
    note = add_note(story=make_story(), kind="correction", text="Text.", user=editor)
    with pytest.raises(ValidationError) as refused:
        amend_note(note=note, text="Text.", reason=" ", user=editor)
    assert refused.value.messages == [
        "The text is unchanged.",
        "Say why the note changes: readers were told something else.",
    ]
    assert not StoryNoteRevision.objects.exists()


def test_withdrawing_needs_a_reason_and_happens_once(editor):
    note = add_note(story=make_story(), kind="correction", text="Wrong fix.", user=editor)
    with pytest.raises(ValidationError, match="Say why the note is withdrawn"):
        withdraw_note(note=note, reason="", user=editor)
    withdraw_note(note=note, reason="The original was right.", user=editor)
    note.refresh_from_db()
    assert note.is_withdrawn and note.withdrawn_by == editor
    assert note.text == "Wrong fix."  # kept, not shown
    with pytest.raises(ValidationError, match="withdrawn already"):
        withdraw_note(note=note, reason="Again.", user=editor)
    with pytest.raises(ValidationError, match="stays as it was withdrawn"):
        amend_note(note=note, text="New.", reason="Why not.", user=editor)


def test_only_editors_correct(reporter):
    story = make_story()
    with pytest.raises(ValidationError, match="Only an editor"):
        add_note(story=story, kind="correction", text="Text.", user=reporter)
    assert not StoryNote.objects.exists()


def test_notes_are_never_deleted_nor_their_story(editor):
    story = make_story()
    note = add_note(story=story, kind="correction", text="Text.", user=editor)
    amend_note(note=note, text="Better text.", reason="Clearer.", user=editor)
    with pytest.raises(NotesAreAppendOnly):
        note.delete()
    with pytest.raises(NotesAreAppendOnly):
        StoryNote.objects.all().delete()
    with pytest.raises(NotesAreAppendOnly):
        note.revisions.get().delete()
    with pytest.raises(ProtectedError):
        story.delete()
    assert StoryNote.objects.count() == StoryNoteRevision.objects.count() == 1


# --- The admin ----------------------------------------------------------------------


def with_new_note(story, kind, text):
    data = edit_post(story)
    data |= inline_rows("notes", [{"kind": kind, "text": text}])
    return data


def test_an_editor_appends_a_note_from_the_edit_page(editor, editor_client):
    story = make_story()
    response = editor_client.post(change_url(story), with_new_note(story, "correction", "Fixed."))
    assert response.status_code == 302, response.context["errors"]
    note = story.notes.get()
    assert (note.kind, note.text, note.created_by) == ("correction", "Fixed.", editor)

    html = editor_client.get(change_url(story)).content.decode()
    assert "Fixed." in html and "Amend or withdraw…" in html
    assert note_url(note) in html
    # Existing notes are read-only rows: no text box, no delete box for them.
    assert 'name="notes-0-text"' not in html and 'name="notes-0-DELETE"' not in html


def test_a_post_cannot_change_or_delete_a_note_through_the_story_form(editor_client):
    story = make_story()
    note = StoryNote.objects.create(story=story, text="As written.")
    data = edit_post(story)
    data |= {
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "1",
        "notes-0-id": str(note.pk),
        "notes-0-story": str(story.pk),
        "notes-0-kind": "update",
        "notes-0-text": "Rewritten silently.",
        "notes-0-DELETE": "on",
    }
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 302, response.context["errors"]
    note.refresh_from_db()
    assert (note.kind, note.text) == ("correction", "As written.")


def test_reporters_add_no_notes_and_see_no_notes_form_on_drafts(reporter, reporter_client):
    draft = make_story(status=Story.Status.DRAFT, created_by=reporter)
    html = reporter_client.get(change_url(draft)).content.decode()
    assert 'name="notes-TOTAL_FORMS"' not in html
    response = reporter_client.post(change_url(draft), with_new_note(draft, "correction", "Mine."))
    assert response.status_code == 302
    assert not StoryNote.objects.exists()
    # The add page has no notes form for anyone.
    assert (
        "notes-TOTAL_FORMS"
        not in reporter_client.get(reverse("admin:articles_story_add")).content.decode()
    )


def test_amending_a_note_in_the_admin(editor_client):
    story = make_story()
    note = StoryNote.objects.create(story=story, text="Talks resume Monday.")
    response = editor_client.post(
        note_url(note), {"text": "Talks resume Tuesday.", "reason": "Moved.", "withdraw": ""}
    )
    assert response.status_code == 302 and response["Location"] == change_url(story)
    note.refresh_from_db()
    assert note.text == "Talks resume Tuesday." and note.amended_at is not None
    assert note.revisions.get().text == "Talks resume Monday."
    html = editor_client.get(note_url(note)).content.decode()
    assert "Talks resume Monday." in html and "Moved." in html


def test_the_admin_refuses_a_change_without_a_reason_or_without_a_change(editor_client):
    note = StoryNote.objects.create(story=make_story(), text="As written.")
    response = editor_client.post(note_url(note), {"text": "New.", "reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = editor_client.post(note_url(note), {"text": "As written.", "reason": "Because."})
    assert "Change the text, or tick “Withdraw this note”." in response.content.decode()
    note.refresh_from_db()
    assert note.text == "As written." and not note.revisions.exists()


def test_withdrawing_a_note_in_the_admin(editor_client):
    note = StoryNote.objects.create(story=make_story(), text="Wrong.")
    response = editor_client.post(
        note_url(note), {"text": "Wrong.", "reason": "Our mistake.", "withdraw": "on"}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.withdrawal_reason == "Our mistake." and note.is_withdrawn
    # Withdrawn, it can only be read.
    response = editor_client.post(note_url(note), {"text": "Again.", "reason": "x"})
    assert response.status_code == 403


def test_nobody_deletes_a_note_in_the_admin(admin_client):
    story = make_story()
    note = StoryNote.objects.create(story=story, text="Kept.")
    delete = reverse("admin:articles_storynote_delete", args=[note.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:articles_storynote_changelist")
    admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"}
    )
    assert StoryNote.objects.filter(pk=note.pk).exists()
    assert "delete_selected" not in admin_client.get(changelist).content.decode()
    # Deleting the story moves it to the trash: the story and its notes stay.
    admin_client.post(reverse("admin:articles_story_delete", args=[story.pk]), {"post": "yes"})
    assert Story.objects.trashed().filter(pk=story.pk).exists()
    assert StoryNote.objects.filter(pk=note.pk).exists()
    assert (
        reverse("admin:articles_storynote_add") not in admin_client.get(changelist).content.decode()
    )


def test_reporters_may_read_notes_but_not_change_them(reporter_client):
    note = StoryNote.objects.create(story=make_story(), text="Read only.")
    html = reporter_client.get(change_url(note.story)).content.decode()
    assert "Read only." in html and "History…" in html and "Amend or withdraw" not in html
    assert reporter_client.get(note_url(note)).status_code == 200
    response = reporter_client.post(note_url(note), {"text": "Changed.", "reason": "x"})
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.text == "Read only."


# --- On the story page ----------------------------------------------------------------


def test_the_story_page_shows_its_notes_and_updated_time(client, editor, html_of):
    story = make_story("Strike ends")
    with time_machine.travel(NOON, tick=False):
        add_note(story=story, kind="correction", text="The mayor is Ana Lee.", user=editor)
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        wrong = add_note(story=story, kind="update", text="A wrong update.", user=editor)
    with time_machine.travel(NOON + timedelta(days=2), tick=False):
        withdraw_note(note=wrong, reason="It was about another town.", user=editor)

    html = html_of(client.get(story.get_absolute_url()))

    notes = html[html.index('id="corrections"') :]
    assert "Correction</strong>, <time" in notes and "The mayor is Ana Lee." in notes
    assert "Withdrawn on" in notes and "It was about another town." in notes
    assert "A wrong update." not in html
    updated = timezone.localtime(NOON + timedelta(days=2))
    assert f'Updated <time datetime="{updated.isoformat()}">' in html
    assert f'<meta property="article:modified_time" content="{updated.isoformat()}">' in html


def test_a_story_without_notes_shows_no_updated_time(client, html_of):
    html = html_of(client.get(make_story().get_absolute_url()))
    assert "Updated" not in html and 'id="corrections"' not in html


# --- /corrections/ --------------------------------------------------------------------------


def test_corrections_page_lists_notes_of_published_stories_newest_first(client, html_of):
    first = make_story("First story")
    second = make_story("Second story")
    draft = make_story("Secret draft", status=Story.Status.DRAFT)
    scheduled = make_story("Scheduled story", published_at=timezone.now() + timedelta(days=1))
    embargoed = make_story("Embargoed story", embargo_until=timezone.now() + timedelta(days=1))
    unpublished = make_story("Pulled story", status=Story.Status.UNPUBLISHED)
    base = timezone.now() - timedelta(days=10)
    for i, story in enumerate([first, second, draft, scheduled, embargoed, unpublished, first]):
        StoryNote.objects.create(story=story, text=f"Note {i} text.", noted_at=base + timedelta(i))

    html = html_of(client.get(CORRECTIONS))

    assert html.index("Note 6 text.") < html.index("Note 1 text.") < html.index("Note 0 text.")
    assert f'<a href="{first.get_absolute_url()}#corrections">First story</a>' in html
    for hidden in (draft, scheduled, embargoed, unpublished):
        assert hidden.headline not in html
    for i in (2, 3, 4, 5):
        assert f"Note {i} text." not in html


def test_corrections_page_pages_by_position_with_a_constant_query_count(
    client, settings, html_of, django_assert_num_queries
):
    settings.CORRECTIONS_PER_PAGE = 3
    story = make_story()
    base = timezone.now() - timedelta(days=30)
    for i in range(10):
        StoryNote.objects.create(
            story=story, text=f"Note number {i}.", noted_at=base + timedelta(i)
        )

    client.get("/")  # reads the release clock once, as a first request does (newsroom.caching)
    seen: list[str] = []
    url: str | None = CORRECTIONS
    while url:
        with django_assert_num_queries(1) as queries:
            response = client.get(url)
        sql = queries.captured_queries[0]["sql"].upper()
        assert "OFFSET" not in sql and "COUNT(" not in sql
        page = response.context["page"]
        seen += [note.text for note in page.rows]
        url = f"{CORRECTIONS}?before={page.older}" if page.older else None
    assert seen == [f"Note number {i}." for i in reversed(range(10))]
    assert "Newer notes" in html_of(response)
    back = client.get(f"{CORRECTIONS}?after={page.newer}").context["page"]
    assert [note.text for note in back.rows] == seen[-4:-1]
    assert client.get(f"{CORRECTIONS}?before=nonsense").status_code == 404


def test_the_footer_links_the_corrections(client, html_of):
    assert f'<a href="{CORRECTIONS}">Corrections</a>' in html_of(client.get("/"))


def test_an_empty_corrections_page_says_so(client, html_of):
    html = html_of(client.get(CORRECTIONS))
    assert "No story has needed a correction" in html
    assert html.count("<h1") == 1 and "<script" not in html and "style=" not in html

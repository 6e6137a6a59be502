"""Autosave: work in progress kept per user and story, offered back on return,
removed by a save; never a revision, never a 500."""

import re

import pytest
from django.core.cache import cache

from articles.models import Story, WorkingCopy
from articles.tests.editing import (
    ADD_STORY,
    REPORTERS,
    autosave_url,
    browser,
    change_url,
    opened,
    page,
    presence_url,
)
from articles.tests.factories import make_story
from articles.tests.pages import edited, form_data
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_presence_left_over():
    cache.clear()


@pytest.fixture
def story():
    return make_story(
        "Floods in Osh",
        body="<p>The river rose overnight.</p>",
        authors=[make_person("Aida Sultanova")],
    )


def work_in_progress(client, story):
    """The edit form with a changed body and a new quoted source, as the page posts it."""
    source = make_person("Bolat Nurov")
    return edited(
        opened(client, story),
        body="<p>The river rose overnight. <em>Hundreds</em> fled.</p>",
        standfirst="Hundreds flee.",
    ) | {
        "sources-TOTAL_FORMS": ["1"],
        "sources-0-person": [str(source.pk)],
        "sources-0-description": ["a farmer"],
        "sources-0-position": ["0"],
    }


def test_work_in_progress_is_kept_and_restored_on_return(dana, story):
    client = browser(dana)
    assert client.get(autosave_url(story)).json() == {"working_copy": None}
    answer = client.post(autosave_url(story), work_in_progress(client, story)).json()
    assert answer["working_copy"]["restore_url"] == f"{change_url(story)}?restore=autosave"
    assert re.fullmatch(r"\d\d:\d\d", answer["working_copy"]["label"])

    # Back on the page later: the page asks, and restoring fills the form.
    assert client.get(autosave_url(story)).json()["working_copy"]["stale"] is False
    restored = client.get(f"{change_url(story)}?restore=autosave")
    html = page(restored)
    assert "Restored your unsaved changes from" in html
    assert 'data-restored="1"' in html
    form = form_data(html)
    assert form["body"] == ["<p>The river rose overnight. <em>Hundreds</em> fled.</p>"]
    assert form["standfirst"] == ["Hundreds flee."]
    assert form["sources-0-description"] == ["a farmer"]
    story.refresh_from_db()
    assert story.standfirst != "Hundreds flee."  # restoring saves nothing

    # Saving it for good removes the working copy.
    assert client.post(change_url(story), form).status_code == 302
    story.refresh_from_db()
    assert story.standfirst == "Hundreds flee."
    assert story.sources.get().description == "a farmer"
    assert not WorkingCopy.objects.exists()


def test_working_copies_are_per_user_and_discarded_on_request(account, story):
    dana, timur = browser(account("dana", "Dana Kim")), browser(account("timur", "Timur Bekov"))
    dana.post(autosave_url(story), work_in_progress(dana, story))
    assert timur.get(autosave_url(story)).json() == {"working_copy": None}

    assert dana.delete(autosave_url(story)).json() == {"working_copy": None}
    assert not WorkingCopy.objects.exists()
    response = dana.get(f"{change_url(story)}?restore=autosave")
    assert "There are no unsaved changes to restore." in page(response)


def test_a_working_copy_made_before_someone_else_saved_says_so(account, story):
    dana, timur = browser(account("dana", "Dana Kim")), browser(account("timur", "Timur Bekov"))
    dana.post(autosave_url(story), work_in_progress(dana, story))
    assert (
        timur.post(
            change_url(story), edited(opened(timur, story), headline="Osh floods")
        ).status_code
        == 302
    )

    assert dana.get(autosave_url(story)).json()["working_copy"]["stale"] is True
    # Restoring it shows the other save, as a refused save would.
    html = page(dana.get(f"{change_url(story)}?restore=autosave"))
    assert "Timur Bekov saved it at" in html
    assert form_data(html)["version"] == [str(Story.objects.get(pk=story.pk).version)]


def test_a_new_story_has_a_working_copy_too(dana):
    client = browser(dana)
    data = edited(form_data(page(client.get(ADD_STORY))), headline="Half a headline")
    client.post(autosave_url(), data)
    assert WorkingCopy.objects.get().story is None

    html = page(client.get(f"{ADD_STORY}?restore=autosave"))
    assert form_data(html)["headline"] == ["Half a headline"]
    assert client.post(ADD_STORY, form_data(html) | {"body": ["<p>Text</p>"]}).status_code == 302
    assert not WorkingCopy.objects.exists()


def test_the_working_copy_keeps_only_the_forms_fields(dana, story):
    client = browser(dana)
    data = opened(client, story) | {
        "evil": ["x"],
        "bylines-__prefix__-role": ["template row"],
        "nonsense-0-field": ["y"],
    }
    client.post(autosave_url(story), data)
    names = {name for name, _ in WorkingCopy.objects.get().data}
    assert {"headline", "body", "version", "bylines-0-person", "bylines-TOTAL_FORMS"} <= names
    assert not names & {
        "evil",
        "bylines-__prefix__-role",
        "nonsense-0-field",
        "csrfmiddlewaretoken",
    }


def test_autosave_is_csrf_protected(dana, story):
    client = browser(dana, enforce_csrf_checks=True)
    assert client.post(autosave_url(story), {"headline": "x"}).status_code == 403
    assert client.delete(autosave_url(story)).status_code == 403
    assert client.post(presence_url(story), {}).status_code == 403
    assert not WorkingCopy.objects.exists()


def test_autosave_is_only_for_those_who_may_edit_the_story(account, story, client):
    aliya = account("aliya", "Aliya Nur", role=REPORTERS)
    reporter = browser(aliya)
    assert reporter.post(autosave_url(story), {"headline": "x"}).status_code == 403
    assert reporter.get(autosave_url(story)).status_code == 403
    assert not WorkingCopy.objects.exists()
    # A reporter's own draft is theirs to edit.
    own = make_story(status=Story.Status.DRAFT, created_by=aliya, published_at=None)
    assert reporter.post(autosave_url(own), {"headline": "x"}).status_code == 200
    assert WorkingCopy.objects.get().story == own
    # Nobody logged in: sent to the log-in page.
    assert client.post(autosave_url(story), {"headline": "x"}).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": "not a number"},
        {"version": "-1", "bylines-TOTAL_FORMS": "many"},
        {"version": "99999999999999999999"},
        {"headline": "x" * 5000, "body": "<script>alert(1)</script>"},
    ],
)
def test_bad_autosaves_never_fail_the_server(dana, story, data):
    client = browser(dana)
    response = client.post(autosave_url(story), data)
    assert response.status_code == 200
    html = page(client.get(f"{change_url(story)}?restore=autosave"))
    assert "<script>alert(1)</script>" not in html


def test_autosave_of_a_story_that_does_not_exist(dana):
    client = browser(dana)
    assert client.post("/admin/articles/story/999999/autosave/", {}).status_code == 404
    assert client.post("/admin/articles/story/nonsense/autosave/", {}).status_code == 404
    assert client.put(autosave_url()).status_code == 405


def test_the_edit_page_carries_the_autosave_and_leave_warning_script(dana, story):
    html = page(browser(dana).get(change_url(story)))
    assert f'data-autosave-url="{autosave_url(story)}"' in html
    assert '<script src="/static/admin-extra/story-editing.js" defer></script>' in html


def test_a_date_typed_in_two_boxes_is_kept_too(dana, story):
    client = browser(dana)
    form = edited(opened(client, story), embargo_until_0="2031-05-04", embargo_until_1="09:30:00")
    client.post(autosave_url(story), form)
    restored = form_data(page(client.get(f"{change_url(story)}?restore=autosave")))
    assert (restored["embargo_until_0"], restored["embargo_until_1"]) == (
        ["2031-05-04"],
        ["09:30:00"],
    )
    assert restored["published_at_0"] == form["published_at_0"] != [""]

"""Revisions: every explicit save kept with its related rows, two compared as
a readable diff, one restored as a new revision by someone who may edit."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from articles import revisions
from articles.models import Story, StoryRevision
from articles.tests.editing import (
    ADD_STORY,
    REPORTERS,
    browser,
    change_url,
    history_url,
    opened,
    page,
)
from articles.tests.factories import make_photo, make_story, make_topic
from articles.tests.pages import edited, form_data
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
HISTORY_QUERIES = 7
COMPARE_QUERIES = 11


def compare_url(story, old, new):
    return f"{history_url(story)}compare/?a={old.pk}&b={new.pk}"


def restore_url(story, revision):
    return f"{history_url(story)}{revision.pk}/restore/"


@pytest.fixture
def story():
    return make_story(
        "Miners strike in Karaganda",
        standfirst="Hundreds walk out over pay.",
        body="<p>The strike began on <strong>Monday</strong> at dawn.</p><p>Talks failed.</p>",
        authors=[(make_person("Aida Sultanova"), "reporter")],
        sources=[(make_person("Bolat Nurov"), "union leader")],
        topics=[make_topic("Kazakstan")],
        links_to=["Earlier strikes"],
    )


def save(client, story, **fields):
    response = client.post(change_url(story), edited(opened(client, story), **fields))
    assert response.status_code == 302, page(response)
    story.refresh_from_db()
    return response


def test_each_save_keeps_a_revision_with_who_when_and_the_related_rows(dana, story):
    client = browser(dana)
    with time_machine.travel(NOON, tick=False):
        save(client, story, headline="Karaganda miners strike over pay")

    first, second = story.revisions.order_by("version")
    assert (first.version, first.revision.user, first.revision.comment) == (
        1,
        None,
        "As it was before revisions were kept",
    )
    assert (second.version, second.revision.user, second.revision.date_created) == (2, dana, NOON)
    assert "Changed Headline" in second.revision.comment
    kept = revisions.snapshot_of(second)
    assert kept.headline == "Karaganda miners strike over pay"
    assert [(c.person_id, c.text) for c in kept.bylines] == [
        (b.person_id, b.role) for b in story.bylines.all()
    ]
    assert [c.text for c in kept.sources] == ["union leader"]
    assert kept.topic_ids == tuple(story.topics.values_list("pk", flat=True))
    assert [link.title for link in kept.links] == ["Earlier strikes"]


def test_a_new_story_starts_its_history_with_its_first_save(dana):
    client = browser(dana)
    data = edited(form_data(page(client.get(ADD_STORY))), headline="A new story", body="<p>Hi</p>")
    assert client.post(ADD_STORY, data).status_code == 302
    story = Story.objects.get(headline="A new story")
    assert [(r.version, r.revision.user) for r in story.revisions.all()] == [(1, dana)]


def test_comparing_two_revisions_reads_as_text_and_lists(dana, story):
    client = browser(dana)
    save(client, story)  # the baseline and a first revision
    data = opened(client, story)
    newcomer = make_person("Timur Bekov")
    data |= {
        "bylines-TOTAL_FORMS": ["2"],
        "bylines-1-person": [str(newcomer.pk)],
        "bylines-1-role": ["photographer"],
        "bylines-1-position": ["1"],
        "sources-0-DELETE": ["on"],
        "topics": [str(make_topic("Labour").pk)],
    }
    changed_body = (
        "<p>The strike began on <strong>Tuesday</strong> at dawn.</p><p>Talks failed.</p>"
    )
    response = client.post(change_url(story), edited(data, body=changed_body))
    assert response.status_code == 302
    old, new = story.revisions.order_by("version")[1:]

    html = page(client.get(compare_url(story, old, new)))

    assert "The strike began on <del>Monday</del><ins>Tuesday</ins> at dawn." in html
    assert "&lt;strong&gt;" not in html and "<strong>Tuesday" not in html
    assert re.search(r"Added</span> Timur Bekov \(photographer\)", html)
    assert re.search(r"Removed</span> Bolat Nurov \(union leader\)", html)
    assert re.search(r"Added</span> Labour", html) and re.search(r"Removed</span> Kazakstan", html)
    assert "Headline" not in html.split('class="revision-diff"')[1]  # unchanged, not shown


def test_the_history_page_lists_revisions_and_its_queries_are_constant(dana, story, count_queries):
    client = browser(dana)
    for n in range(3):
        save(client, story, standfirst=f"Standfirst {n}.")
    pages = count_queries(client, history_url(story))
    assert pages.queries == HISTORY_QUERIES
    assert page(pages.response).count('name="b"') == 4
    for n in range(5):
        save(client, story, standfirst=f"More {n}.")
    assert count_queries(client, history_url(story)).queries == HISTORY_QUERIES
    old, new = story.revisions.order_by("version")[::8]
    assert count_queries(client, compare_url(story, old, new)).queries == COMPARE_QUERIES


def test_restoring_brings_back_content_and_rows_as_a_new_revision(dana, story):
    client = browser(dana)
    original_people = list(story.bylines.values_list("person", "role"))
    save(client, story)
    data = opened(client, story) | {"bylines-0-DELETE": ["on"], "outgoing_links-0-DELETE": ["on"]}
    client.post(change_url(story), edited(data, headline="Rewritten", body="<p>New text.</p>"))
    story.refresh_from_db()
    Story.objects.filter(pk=story.pk).update(status=Story.Status.UNPUBLISHED)
    target = story.revisions.get(version=2)

    confirm = client.get(restore_url(story, target))
    assert "<del>Rewritten</del><ins>Miners strike in Karaganda</ins>" in page(confirm)
    response = client.post(restore_url(story, target), follow=True)

    assert "Restored version 2 as a new revision." in page(response)
    story.refresh_from_db()
    assert story.headline == "Miners strike in Karaganda"
    assert "Monday" in story.body
    assert list(story.bylines.values_list("person", "role")) == original_people
    assert [link.title for link in story.outgoing_links.all()] == ["Earlier strikes"]
    assert story.status == Story.Status.UNPUBLISHED  # the editorial state is left alone
    latest = story.revisions.first()
    assert (latest.version, latest.revision.user) == (story.version, dana)
    assert latest.revision.comment.startswith("Restored version 2, saved by Dana Kim on ")


def test_restoring_names_what_was_deleted_since_and_leaves_it_out(dana, story):
    client = browser(dana)
    save(client, story, lead_photo=str(make_photo().pk))
    revision = story.revisions.first()
    quoted = story.sources.get().person
    story.sources.all().delete()
    quoted.delete()
    story.lead_photo.delete()

    response = client.post(restore_url(story, revision), follow=True)

    html = page(response)
    assert "Not restored: the lead photo, since deleted." in html
    assert "Not restored: 1 author or source whose person was deleted." in html
    story.refresh_from_db()
    assert story.lead_photo is None and not story.sources.exists()
    assert story.bylines.count() == 1


def test_only_those_who_may_edit_the_story_may_restore(account, story):
    reporter = account("aliya", "Aliya Nur", role=REPORTERS)
    save(browser(account("dana", "Dana Kim")), story, headline="Changed")
    revision = story.revisions.order_by("version").first()
    client = browser(reporter)

    history = client.get(history_url(story))
    assert history.status_code == 200 and "Restore…" not in page(history)
    assert client.get(restore_url(story, revision)).status_code == 403
    assert client.post(restore_url(story, revision)).status_code == 403
    story.refresh_from_db()
    assert story.headline == "Changed"


@pytest.mark.parametrize(
    "query",
    ["", "?a=1", "?a=x&b=y", "?a=99999&b=99998", "?a=²&b=1"],
)
def test_bad_comparisons_are_refused_with_a_message(dana, story, query):
    client = browser(dana)
    save(client, story)
    response = client.get(f"{history_url(story)}compare/{query}", follow=True)
    assert response.status_code == 200
    assert "Choose two revisions of this story to compare." in page(response)


def test_a_revision_of_another_story_is_not_found(dana, story):
    client = browser(dana)
    other = make_story("Another story")
    save(client, other)
    revision = other.revisions.first()
    assert client.get(restore_url(story, revision)).status_code == 404
    assert client.post(restore_url(story, revision)).status_code == 404


def test_autosaves_and_transitions_make_no_revisions(dana, story):
    client = browser(dana)
    data = edited(opened(client, story), headline="Typing…")
    for _ in range(3):
        assert client.post(f"/admin/articles/story/{story.pk}/autosave/", data).status_code == 200
    assert not StoryRevision.objects.exists()


def test_saving_records_the_state_only_once_however_often_it_is_saved(dana, story):
    client = browser(dana)
    for n in range(3):
        save(client, story, standfirst=f"Version {n}.")
    comments = list(story.revisions.order_by("version").values_list("revision__comment", flat=True))
    assert comments[0] == "As it was before revisions were kept"
    assert len(comments) == 4

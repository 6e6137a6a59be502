"""The story admin's workflow, as reporters and editors use it: buttons,
actions, refusals, roles enforced on the server, history, list and filters."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from articles.models import Story
from articles.tests.accounts import newsroom
from articles.tests.factories import make_photo, make_story
from articles.tests.test_admin import (
    ADD_STORY,
    STORIES,
    STORY_CHANGELIST_QUERIES,
    change_url,
    edit_post,
    inline_rows,
    search_group,
    story_post,
)
from articles.workflow import Action
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
# What the pinned counts (a superuser's) leave out: a role's permissions,
# read once a request (the user's own and their groups').
PERMISSION_QUERIES = 2


@pytest.fixture
def staff():
    return newsroom()


def as_user(client, user):
    client.force_login(user)
    return client


def buttons(response):
    """The labels of the workflow's buttons, and of the disclosures that hold
    the actions needing more input (a time, a note)."""
    page = response.content.decode()
    labels = re.findall(
        r'<button type="submit" name="_action" value="(?!schedule|return)[a-z]+"[^>]*>([^<]+)<',
        page,
    )
    summaries = re.findall(r"<summary>([^<]+)</summary>", page)
    return [html.unescape(label) for label in labels + summaries]


def text_of(response):
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def draft_by(user, **kwargs):
    kwargs.setdefault("authors", [make_person()])
    return make_story(status=Story.Status.DRAFT, created_by=user, **kwargs)


def with_byline(data, person=None):
    """Form data plus one new byline row."""
    row = {"person": (person or make_person()).pk, "role": "", "position": "0"}
    return data | inline_rows("bylines", [row])


# --- Reporters --------------------------------------------------------------


def test_a_reporter_sees_only_save_draft_and_submit(client, staff):
    as_user(client, staff["reporter"])
    response = client.get(ADD_STORY)
    page = response.content.decode()

    assert buttons(response) == ["Save draft", "Submit for review"]
    for editors_field in ('name="status"', 'name="published_at_0"', 'name="embargo_until_0"'):
        assert editors_field not in page
    assert 'name="assigned_editor"' not in page
    assert "Delete" not in buttons(response)


def test_a_reporter_writes_a_draft_and_submits_it(client, staff):
    reporter = staff["reporter"]
    as_user(client, reporter)

    response = client.post(ADD_STORY, with_byline(story_post()))
    story = Story.objects.get()
    assert response["Location"] == change_url(story)
    assert (story.status, story.created_by, story.last_edited_by) == ("draft", reporter, reporter)

    response = client.post(
        change_url(story),
        edit_post(story, standfirst="Pay talks fail.", _action="submit"),
        follow=True,
    )
    story.refresh_from_db()
    assert story.state == "in_review" and story.standfirst == "Pay talks fail."
    assert "Saved “Oil workers strike in Zhanaozen” and submitted it for review." in text_of(
        response
    )
    # Back on the story's page, now read-only for the reporter: no buttons, no inputs.
    assert response.redirect_chain[-1][0] == change_url(story)
    assert buttons(response) == []
    assert 'name="headline"' not in response.content.decode()
    assert client.post(change_url(story), edit_post(story, headline="Mine")).status_code == 403


def test_a_reporter_cannot_publish_schedule_or_date_by_a_hand_made_post(client, staff):
    story = draft_by(staff["reporter"], published_at=None)
    Story.objects.filter(pk=story.pk).update(published_at=None)
    story.refresh_from_db()
    as_user(client, staff["reporter"])

    for action, verb in [("publish", "published"), ("schedule", "scheduled")]:
        story.refresh_from_db()  # each post is a form loaded afresh
        forged = edit_post(
            story,
            headline="Strike spreads",
            status="published",
            published_at_0="2020-01-01",
            published_at_1="09:00:00",
            embargo_until_0="2030-01-01",
            embargo_until_1="09:00:00",
            assigned_editor=staff["reporter"].pk,
        )
        response = client.post(
            change_url(story),
            forged | {"_action": action, "_publish_at": "2030-01-01T09:00"},
            follow=True,
        )
        assert f"Not {verb}: only an editor may {action} a story." in text_of(response)

    story.refresh_from_db()
    assert story.headline == "Strike spreads"  # the content is saved...
    assert story.status == "draft"  # ...and nothing else
    assert (story.published_at, story.embargo_until, story.assigned_editor) == (None, None, None)
    assert not story.transitions.exists()


@pytest.mark.parametrize("state", ["another's draft", "own story in review", "own published"])
def test_a_reporter_gets_the_read_only_view_of_stories_they_may_not_edit(client, staff, state):
    reporter = staff["reporter"]
    owner = staff["other reporter"] if state == "another's draft" else reporter
    status = {"own story in review": "in_review", "own published": "published"}.get(state, "draft")
    story = draft_by(owner)
    Story.objects.filter(pk=story.pk).update(status=status)
    as_user(client, reporter)

    response = client.get(change_url(story))
    assert response.status_code == 200
    assert "View story" in text_of(response)
    assert buttons(response) == []
    assert not re.search(r'name="(headline|bylines-0-role)"', response.content.decode())

    for action in ("save", "submit", "publish"):
        post = edit_post(story, headline="Taken over", _action=action)
        assert client.post(change_url(story), post).status_code == 403
    assert client.post(f"{STORIES}{story.pk}/delete/", {"post": "yes"}).status_code == 403
    story.refresh_from_db()
    assert story.headline != "Taken over" and story.deleted_at is None


# --- Editors ----------------------------------------------------------------


def test_an_editor_sees_the_actions_of_each_state(client, staff):
    as_user(client, staff["editor"])
    story = draft_by(staff["reporter"])
    expected = {
        "draft": ["Save draft", "Submit for review", "Publish now", "Schedule…"],
        "in_review": ["Save", "Publish now", "Return to draft…", "Schedule…"],
        "published": ["Save", "Unpublish"],
        "unpublished": ["Save", "Publish now", "Schedule…"],
    }
    for status, labels in expected.items():
        Story.objects.filter(pk=story.pk).update(status=status)
        response = client.get(change_url(story))
        assert sorted(buttons(response)) == sorted(labels), status
        assert "Move to trash" in response.content.decode()
    Story.objects.filter(pk=story.pk).update(
        status="published", published_at=timezone.now() + timedelta(days=1)
    )
    response = client.get(change_url(story))
    assert sorted(buttons(response)) == sorted(["Save", "Publish now", "Schedule…", "Unpublish"])
    assert "Scheduled for" in text_of(response)


def test_publishing_an_incomplete_story_keeps_the_content_and_names_every_gap(client, staff):
    story = make_story("Water tariffs", status=Story.Status.IN_REVIEW, standfirst="")
    as_user(client, staff["editor"])

    response = client.post(
        change_url(story),
        edit_post(story, body="<p>New paragraph.</p>", _action="publish"),
        follow=True,
    )

    page = text_of(response)
    assert "Saved “Water tariffs”." in page
    assert (
        "Not published: publishing needs a standfirst; publishing needs at least one byline."
        in page
    )
    story.refresh_from_db()
    assert story.body == "<p>New paragraph.</p>" and story.state == "in_review"
    assert response.redirect_chain[-1][0] == change_url(story)


def test_an_editor_fixes_the_gaps_and_schedules(client, staff):
    story = make_story("Water tariffs", status=Story.Status.IN_REVIEW, standfirst="")
    as_user(client, staff["editor"])
    with time_machine.travel(NOON, tick=False):
        post = with_byline(edit_post(story, standfirst="Bishkek votes.", _action="schedule"))
        response = client.post(
            change_url(story), post | {"_publish_at": "2026-12-04T09:30"}, follow=True
        )
        story.refresh_from_db()
        assert story.state == "scheduled"
        assert story.published_at == datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
        assert "scheduled it for Friday, 4 December 2026, 09:30 UTC" in text_of(response)
        transition = story.transitions.get()
        assert (transition.action, transition.user, transition.publish_at) == (
            "schedule",
            staff["editor"],
            story.published_at,
        )
        # The page shows the scheduled time, ready to be changed.
        assert 'value="2026-12-04T09:30"' in response.content.decode()


@pytest.mark.parametrize(
    ("publish_at", "reason"),
    [
        ("", "a schedule needs a publication time in the future"),
        ("2026-12-03T11:00", "a schedule needs a publication time in the future"),
        ("next tuesday", "the publication time “next tuesday” is not a date and time"),
    ],
)
def test_a_schedule_without_a_time_to_come_is_refused(client, staff, publish_at, reason):
    story = make_story(status=Story.Status.IN_REVIEW, authors=[make_person()])
    as_user(client, staff["editor"])
    with time_machine.travel(NOON, tick=False):
        post = edit_post(story, _action="schedule", _publish_at=publish_at)
        response = client.post(change_url(story), post, follow=True)
    assert f"Not scheduled: {reason}." in text_of(response)
    story.refresh_from_db()
    assert story.state == "in_review"


def test_every_transition_through_the_admin(client, staff):
    """The whole life of a story, each step a POST as the edit page sends it."""
    reporter, editor = staff["reporter"], staff["editor"]
    with time_machine.travel(NOON, tick=False):
        as_user(client, reporter)
        client.post(ADD_STORY, with_byline(story_post(headline="Dam breaks")))
        story = Story.objects.get()
        steps = [
            (reporter, "submit", {}, "in_review"),
            (editor, "return", {"_note": "Needs a second source"}, "draft"),
            (reporter, "submit", {}, "in_review"),
            (editor, "schedule", {"_publish_at": "2026-12-03T18:00"}, "scheduled"),
            (editor, "schedule", {"_publish_at": "2026-12-03T20:00"}, "scheduled"),
            (editor, "publish", {}, "published"),
            (editor, "unpublish", {}, "unpublished"),
            (editor, "publish", {}, "published"),
        ]
        for user, action, extra, state in steps:
            as_user(client, user)
            story.refresh_from_db()
            response = client.post(change_url(story), edit_post(story, _action=action) | extra)
            assert response.status_code == 302, (
                action,
                response.context and response.context["errors"],
            )
            story.refresh_from_db()
            assert story.state == state, action

    history = [
        (t.action, t.from_state, t.to_state, t.user.username, t.note)
        for t in story.transitions.order_by("pk")
    ]
    assert history == [
        ("submit", "draft", "in_review", "aliya", ""),
        ("return", "in_review", "draft", "dana", "Needs a second source"),
        ("submit", "draft", "in_review", "aliya", ""),
        ("schedule", "in_review", "scheduled", "dana", ""),
        ("schedule", "scheduled", "scheduled", "dana", ""),
        ("publish", "scheduled", "published", "dana", ""),
        ("unpublish", "published", "unpublished", "dana", ""),
        ("publish", "unpublished", "published", "dana", ""),
    ]
    assert story.published_at == NOON  # published when it was, not at the scheduled time
    assert story.last_edited_by == editor and story.created_by == reporter


def test_refused_transitions_through_the_admin(client, staff):
    as_user(client, staff["editor"])
    draft = draft_by(staff["reporter"])
    for action, message in [
        ("unpublish", "Not unpublished: a story that is draft cannot be unpublished."),
        ("return", "Not returned to draft: a story that is draft cannot be returned to draft."),
        ("rewrite", "Nothing else was done: “rewrite” is not an action."),
    ]:
        draft.refresh_from_db()  # each post is a form loaded afresh
        response = client.post(change_url(draft), edit_post(draft, _action=action), follow=True)
        assert message in text_of(response)
    draft.refresh_from_db()
    assert draft.state == "draft" and not draft.transitions.exists()


def test_the_history_table_shows_who_when_what_and_why(client, staff, count_queries):
    story = draft_by(staff["reporter"])
    with time_machine.travel(NOON, tick=False):
        workflow.apply(story=story, action=Action.SUBMIT, user=staff["reporter"])
        workflow.apply(
            story=story, action=Action.RETURN, user=staff["editor"], note="Check <dates>"
        )
    as_user(client, staff["editor"])
    one = count_queries(client, change_url(story))
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", one.response.content.decode())
    assert [html.unescape(re.sub(r"</td><td>", " | ", row)) for row in rows] == [
        "3 Dec 2026, 12:00 UTC | Dana Bek | In review → Draft | — | Check <dates>",
        "3 Dec 2026, 12:00 UTC | Aliya Serik | Draft → In review | — | —",
    ]
    for _ in range(4):
        workflow.apply(story=story, action=Action.SUBMIT, user=staff["reporter"])
        workflow.apply(story=story, action=Action.RETURN, user=staff["editor"])
    assert count_queries(client, change_url(story)).queries == one.queries


def test_the_publication_date_corrects_a_dateline_but_never_schedules(client, staff):
    as_user(client, staff["editor"])
    live = make_story(authors=[make_person()])
    tomorrow = timezone.localtime() + timedelta(days=1)

    def set_date(story, day):
        post = edit_post(story, published_at_0=f"{day:%Y-%m-%d}", published_at_1="09:00:00")
        return client.post(change_url(story), post)

    assert set_date(live, datetime(2012, 12, 14)).status_code == 302
    live.refresh_from_db()
    assert live.published_at.year == 2012 and live.state == "published"

    response = set_date(live, tomorrow)
    assert "would schedule the story: use “Schedule…”" in text_of(response)
    scheduled = make_story(published_at=timezone.now() + timedelta(hours=3))
    response = set_date(scheduled, datetime(2012, 12, 14))
    assert "The story is scheduled: choose its new time with “Schedule…”" in text_of(response)
    # Saving a scheduled story without touching its date is fine.
    assert client.post(change_url(scheduled), edit_post(scheduled)).status_code == 302


def test_an_editor_assigns_a_story_to_an_editor_only(client, staff):
    as_user(client, staff["editor"])
    story = draft_by(staff["reporter"])
    page = client.get(change_url(story)).content.decode()
    options = search_group(
        r'<select name="assigned_editor"[^>]*>(.*?)</select>', page.replace("\n", " ")
    )
    assert "Dana Bek" in options
    assert "aliya" not in options and "nobody" not in options

    client.post(change_url(story), edit_post(story, assigned_editor=staff["editor"].pk))
    story.refresh_from_db()
    assert story.assigned_editor == staff["editor"]
    response = client.post(change_url(story), edit_post(story, assigned_editor=staff["staff"].pk))
    assert response.status_code == 200 and "Select a valid choice" in text_of(response)


# --- The story list ---------------------------------------------------------


def test_the_list_shows_state_editors_and_photo(client, staff, count_queries):
    as_user(client, staff["editor"])
    photo = make_photo()
    with time_machine.travel(NOON, tick=False):
        make_story(
            "Scheduled one",
            published_at=NOON + timedelta(hours=6),
            lead_photo=photo,
            assigned_editor=staff["editor"],
            last_edited_by=staff["reporter"],
        )
        make_story("Under review", status=Story.Status.IN_REVIEW, created_by=staff["reporter"])
        page = count_queries(client, STORIES)
        # The state as of the page's time: on the real clock the schedule has passed.
        rows = {
            story.headline: (
                page.response.context["cl"].model_admin.state_column(story),
                story.assigned_editor,
                story.last_edited_by,
            )
            for story in page.rows
        }
    assert rows["Under review"] == ("In review", None, None)
    assert rows["Scheduled one"][0] == (
        'Scheduled<span class="story-state-time">3 Dec 2026, 18:00</span>'
    )
    text = text_of(page.response)
    assert "Dana Bek" in text and "Aliya Serik" in text
    assert photo.thumbnail.url in page.response.content.decode()
    # Users and photos come with the stories, not a query per row.
    assert page.queries == STORY_CHANGELIST_QUERIES + PERMISSION_QUERIES


def test_the_list_filters_mine_in_review_and_scheduled(client, staff):
    reporter, editor = staff["reporter"], staff["editor"]
    make_story("Mine, written", status=Story.Status.DRAFT, created_by=reporter)
    make_story("Assigned to me", status=Story.Status.IN_REVIEW, assigned_editor=editor)
    make_story("Later", published_at=timezone.now() + timedelta(hours=2))
    make_story("Out now")
    make_story("Gone", status=Story.Status.UNPUBLISHED)

    def headlines(user, params):
        response = as_user(client, user).get(STORIES, params)
        assert response.status_code == 200
        return {story.headline for story in response.context["cl"].result_list}

    assert headlines(reporter, {"mine": "1"}) == {"Mine, written"}
    assert headlines(editor, {"mine": "1"}) == {"Assigned to me"}
    assert headlines(editor, {"state": "in_review"}) == {"Assigned to me"}
    assert headlines(editor, {"state": "scheduled"}) == {"Later"}
    assert headlines(editor, {"state": "published"}) == {"Out now"}
    assert headlines(editor, {"state": "unpublished"}) == {"Gone"}
    assert headlines(editor, {"state": "draft", "mine": "1"}) == set()
    assert headlines(editor, {"state": "nonsense"}) == set()
    filters = text_of(client.get(STORIES))
    for choice in ("In review", "Scheduled", "Mine (written or assigned to me)"):
        assert choice in filters

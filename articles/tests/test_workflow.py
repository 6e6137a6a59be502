"""The editorial workflow: roles, states, transitions, scheduling and embargo."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from articles import workflow
from articles.models import Story
from articles.tests.factories import make_photo, make_story, make_topic
from articles.workflow import Action, TransitionRefused
from newsroom.roles import EDITORS, REPORTERS, ensure_roles
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def people(django_user_model):
    """A reporter, a second reporter, an editor, and staff with no role."""
    roles = ensure_roles()

    def user(name, group=None):
        account = django_user_model.objects.create_user(name, is_staff=True)
        if group:
            account.groups.add(roles[group])
        return django_user_model.objects.get(pk=account.pk)  # fresh permission cache

    return {
        "reporter": user("aliya", REPORTERS),
        "other reporter": user("timur", REPORTERS),
        "editor": user("dana", EDITORS),
        "staff": user("nobody"),
    }


def draft_by(user, **kwargs):
    kwargs.setdefault("authors", [make_person()])
    return make_story(status=Story.Status.DRAFT, created_by=user, published_at=None, **kwargs)


def actions(user, story):
    return [action.value for action in workflow.allowed_actions(user, story)]


def test_setting_up_roles_twice_changes_nothing():
    first = {name: set(group.permissions.all()) for name, group in ensure_roles().items()}
    second = {name: set(group.permissions.all()) for name, group in ensure_roles().items()}
    assert first == second
    assert any(p.codename == "publish_story" for p in first[EDITORS])
    assert not any(p.codename == "publish_story" for p in first[REPORTERS])
    assert not any(p.content_type.app_label == "auth" for group in first.values() for p in group)


def test_what_each_role_may_do_in_each_state(people):
    reporter, editor = people["reporter"], people["editor"]
    story = draft_by(reporter)
    assert actions(reporter, story) == ["save", "submit"]
    assert actions(people["other reporter"], story) == []
    assert actions(people["staff"], story) == []
    assert actions(editor, story) == ["save", "submit", "publish", "schedule"]

    workflow.apply(story=story, action=Action.SUBMIT, user=reporter)
    assert story.state == "in_review"
    assert actions(reporter, story) == []
    assert actions(editor, story) == ["save", "return", "publish", "schedule"]

    workflow.apply(story=story, action=Action.PUBLISH, user=editor)
    assert story.state == "published"
    assert actions(editor, story) == ["save", "unpublish"]

    workflow.apply(story=story, action=Action.UNPUBLISH, user=editor)
    assert story.state == "unpublished"
    assert actions(editor, story) == ["save", "publish", "schedule"]


def test_every_transition_is_recorded_with_who_and_when(people):
    reporter, editor = people["reporter"], people["editor"]
    story = draft_by(reporter)
    with time_machine.travel(NOON, tick=False):
        workflow.apply(story=story, action=Action.SUBMIT, user=reporter)
        workflow.apply(story=story, action=Action.RETURN, user=editor, note="Needs a second source")
        workflow.apply(story=story, action=Action.SUBMIT, user=reporter)
        workflow.apply(
            story=story, action=Action.SCHEDULE, user=editor, publish_at=NOON + timedelta(hours=2)
        )
    history = [
        (t.action, t.from_state, t.to_state, t.user.username, t.at, t.note)
        for t in story.transitions.order_by("pk")
    ]
    assert history == [
        ("submit", "draft", "in_review", "aliya", NOON, ""),
        ("return", "in_review", "draft", "dana", NOON, "Needs a second source"),
        ("submit", "draft", "in_review", "aliya", NOON, ""),
        ("schedule", "in_review", "scheduled", "dana", NOON, ""),
    ]
    assert story.transitions.get(action="schedule").publish_at == NOON + timedelta(hours=2)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.PUBLISH, Story.Status.DRAFT),
        (Action.SCHEDULE, Story.Status.DRAFT),
        (Action.UNPUBLISH, Story.Status.PUBLISHED),
    ],
)
def test_a_reporter_is_refused_every_editor_action(people, action, status):
    story = draft_by(people["reporter"])
    Story.objects.filter(pk=story.pk).update(status=status, published_at=NOON)
    story.refresh_from_db()
    with pytest.raises(TransitionRefused, match=f"only an editor may {action.value}"):
        workflow.apply(
            story=story,
            action=action,
            user=people["reporter"],
            publish_at=datetime.now(UTC) + timedelta(days=1),
        )
    story.refresh_from_db()
    assert story.status == status and not story.transitions.exists()


def test_a_reporter_cannot_touch_another_reporters_story_or_one_in_review(people):
    story = draft_by(people["reporter"])
    with pytest.raises(TransitionRefused, match="edits only their own drafts"):
        workflow.apply(story=story, action=Action.SAVE, user=people["other reporter"])
    workflow.apply(story=story, action=Action.SUBMIT, user=people["reporter"])
    with pytest.raises(TransitionRefused, match="cannot be submitted"):
        workflow.apply(story=story, action=Action.SUBMIT, user=people["reporter"])
    assert not workflow.can_edit(people["reporter"], story)
    assert not workflow.can_edit(AnonymousUser(), story)


def test_only_allowed_transitions(people):
    editor = people["editor"]
    story = draft_by(people["reporter"])
    with pytest.raises(TransitionRefused, match="a story that is draft cannot be unpublished"):
        workflow.apply(story=story, action=Action.UNPUBLISH, user=editor)
    workflow.apply(story=story, action=Action.PUBLISH, user=editor)
    with pytest.raises(TransitionRefused, match="published cannot be scheduled"):
        workflow.apply(
            story=story,
            action=Action.SCHEDULE,
            user=editor,
            publish_at=datetime.now(UTC) + timedelta(days=1),
        )


def test_publishing_names_everything_readers_would_miss_at_once(people):
    photo = make_photo(alt_text="")
    story = make_story(standfirst=" ", body="<p> </p>", status=Story.Status.DRAFT, lead_photo=photo)
    story.headline = " "
    with pytest.raises(TransitionRefused) as refusal:
        workflow.apply(story=story, action=Action.PUBLISH, user=people["editor"])
    assert refusal.value.reasons == [
        "publishing needs a headline",
        "publishing needs a standfirst",
        "publishing needs a body",
        "publishing needs at least one byline",
        "publishing needs alt text for the lead photo",
    ]
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_a_schedule_needs_a_time_to_come(people):
    story = draft_by(people["reporter"])
    for when in (None, datetime.now(UTC) - timedelta(minutes=1)):
        with pytest.raises(TransitionRefused, match="needs a publication time in the future"):
            workflow.apply(
                story=story, action=Action.SCHEDULE, user=people["editor"], publish_at=when
            )


def test_a_scheduled_story_appears_at_its_time_with_nobody_acting(client, people):
    topic = make_topic("Kyrgyzstan")
    author = make_person("Bakyt Ibraimov")
    story = draft_by(people["reporter"], headline="Bishkek Votes on Water Tariffs", topics=[topic])
    story.bylines.update(person=author)
    with time_machine.travel(NOON, tick=False):
        workflow.apply(
            story=story,
            action=Action.SCHEDULE,
            user=people["editor"],
            publish_at=NOON + timedelta(hours=1),
        )
        assert story.state == "scheduled"
    pages = ["/", topic.get_absolute_url(), author.get_absolute_url()]
    with time_machine.travel(NOON + timedelta(minutes=59, seconds=59), tick=False):
        assert all(story.headline not in client.get(page).content.decode() for page in pages)
        assert client.get(story.get_absolute_url()).status_code == 404
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        assert all(story.headline in client.get(page).content.decode() for page in pages)
        assert client.get(story.get_absolute_url()).status_code == 200
        assert Story.objects.get(pk=story.pk).state == "published"


def test_an_embargo_hides_a_story_even_from_staff_without_the_permission(client, people):
    story = make_story("Report on Prisons Due Friday", embargo_until=NOON, authors=[make_person()])
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        for viewer in (None, people["staff"]):
            if viewer:
                client.force_login(viewer)
            assert client.get(story.get_absolute_url()).status_code == 404
            assert story.headline not in client.get("/").content.decode()
        client.force_login(people["reporter"])
        preview = client.get(story.get_absolute_url())
        assert preview.status_code == 200
        assert "readers cannot see it until" in preview.content.decode()
        assert "no-cache" in preview.headers["Cache-Control"]
    client.logout()
    with time_machine.travel(NOON, tick=False):
        assert client.get(story.get_absolute_url()).status_code == 200
        assert story.headline in client.get("/").content.decode()


def test_unpublished_stories_need_the_permission_to_view_stories(client, people):
    draft = draft_by(people["reporter"], headline="Secret Draft")
    client.force_login(people["staff"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(people["editor"])
    assert client.get(draft.get_absolute_url()).status_code == 200

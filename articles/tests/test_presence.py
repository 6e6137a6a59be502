"""Presence: "Dana has had this story open since 14:02", kept in the cache."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from articles import presence
from articles.tests.editing import browser, change_url, opened, page, presence_url
from articles.tests.factories import make_story
from articles.tests.pages import edited

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 2, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def people(account):
    return account("dana", "Dana Kim"), account("timur", "Timur Bekov")


def test_the_edit_page_says_who_else_has_the_story_open(people):
    dana, timur = people
    story = make_story("Floods in Osh")
    with time_machine.travel(NOON, tick=False):
        browser(dana).get(change_url(story))
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        html = page(browser(timur).get(change_url(story)))
        mine = page(browser(dana).get(change_url(story)))

    assert "Dana Kim has had this story open since 12:02." in html
    assert "Timur Bekov has had this story open since 12:03." in mine
    assert "Dana Kim has had" not in mine  # nobody is told about themselves


def test_the_heartbeat_answers_who_is_there_and_what_was_saved_since(people):
    dana, timur = people
    story = make_story("Floods in Osh")
    a, b = browser(dana), browser(timur)
    form_b = opened(b, story)
    form_a = opened(a, story)
    a.post(presence_url(story), {"unsaved": "1", "version": form_a["version"][0]})

    answer = b.post(presence_url(story), {"version": form_b["version"][0]}).json()
    assert [(o["name"], o["unsaved"]) for o in answer["others"]] == [("Dana Kim", True)]
    assert answer["changes"] == []

    assert a.post(change_url(story), edited(form_a, headline="Osh floods")).status_code == 302
    answer = b.post(presence_url(story), {"version": form_b["version"][0]}).json()
    assert len(answer["changes"]) == 1
    assert answer["changes"][0].startswith("Dana Kim saved it at ")

    a.post(presence_url(story), {"leave": "1"})
    assert b.post(presence_url(story), {}).json()["others"] == []


# The local-memory cache reads the clock that time_machine moves (Redis keeps its own).
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_a_visitor_whose_heartbeats_stopped_is_gone(people):
    dana, timur = people
    story = make_story()
    with time_machine.travel(NOON, tick=False):
        presence.beat(story_id=story.pk, user=dana)
    with time_machine.travel(NOON + timedelta(seconds=presence.TIMEOUT - 1), tick=False):
        assert [v.name for v in presence.visitors(story.pk, besides=timur)] == ["Dana Kim"]
        presence.beat(story_id=story.pk, user=dana)  # still there: her page beats again
    with time_machine.travel(NOON + timedelta(seconds=2 * presence.TIMEOUT - 2), tick=False):
        presence.beat(story_id=story.pk, user=timur)
        assert [v.name for v in presence.visitors(story.pk)] == ["Dana Kim", "Timur Bekov"]
    with time_machine.travel(NOON + timedelta(seconds=2 * presence.TIMEOUT), tick=False):
        assert [v.name for v in presence.visitors(story.pk)] == ["Timur Bekov"]


def test_presence_refuses_what_it_should(people, client):
    story = make_story()
    dana = browser(people[0])
    assert dana.get(presence_url(story)).status_code == 405
    assert dana.post("/admin/articles/story/999999/presence/", {}).status_code == 404
    assert dana.post(presence_url(story), {"version": "x", "unsaved": "maybe"}).status_code == 200
    assert client.post(presence_url(story), {}).status_code == 302  # not logged in

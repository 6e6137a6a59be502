"""Reads routed to a read replica (newsroom/routers.py), against a stand-in.

The stand-in (`replica_standin` in newsroom/test_settings.py) is a second
database with the schema and none of the rows: nothing replicates into it,
so a page shows which database it was read from. A story written on the
primary is missing from it; an anonymous reader's page is read from it
(404), while the editor who just wrote, and the admin, read the primary.
"""

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext

from articles.models import Story
from articles.tests.accounts import make_user, signed_in
from articles.tests.factories import make_story
from articles.tests.test_admin import change_url, edit_post
from newsroom import caching
from newsroom.routers import PIN_COOKIE

STANDIN = "replica_standin"
pytestmark = pytest.mark.django_db(databases=["default", STANDIN])


@pytest.fixture(autouse=True)
def replica(settings):
    settings.DATABASE_REPLICAS = [STANDIN]
    settings.DATABASE_REPLICA_LAG_SECONDS = 7


def replica_queries(client, url):
    with CaptureQueriesContext(connections[STANDIN]) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_write_on_the_primary_is_missing_from_the_replica_so_readers_get_it_there(client):
    story = make_story("Oil workers strike")
    assert Story.objects.using("default").filter(pk=story.pk).exists()
    assert not Story.objects.using(STANDIN).filter(pk=story.pk).exists()
    response, queries = replica_queries(client, story.get_absolute_url())
    assert (response.status_code, queries > 0) == (404, True)


def test_the_editor_who_just_wrote_reads_the_primary_and_others_the_replica(client):
    story = make_story("Oil workers strike")
    editor = signed_in(make_user("dana", "editor"))
    response = editor.post(change_url(story), edit_post(story, headline="Oil strike spreads"))
    assert response.status_code == 302
    assert response.cookies[PIN_COOKIE]["max-age"] == 7
    # The writer's next read: the primary, with the edit.
    response, queries = replica_queries(editor, story.get_absolute_url())
    assert response.status_code == 200 and queries == 0
    assert "Oil strike spreads" in response.content.decode()
    # An anonymous read right after: the replica, which has not got it.
    assert replica_queries(client, story.get_absolute_url())[0].status_code == 404


def test_the_admin_and_forms_posted_always_read_the_primary(client):
    story = make_story("Oil workers strike")
    editor = signed_in(make_user("dana", "editor"))
    response, queries = replica_queries(editor, change_url(story))
    assert (response.status_code, queries) == (200, 0)
    with CaptureQueriesContext(connections[STANDIN]) as queries:
        client.post("/admin/login/", {"username": "dana", "password": "wrong"})
    assert len(queries) == 0


def test_without_replicas_every_read_is_the_primarys(client, settings):
    settings.DATABASE_REPLICAS = []
    story = make_story("Oil workers strike")
    response, queries = replica_queries(client, story.get_absolute_url())
    assert (response.status_code, queries) == (200, 0)
    assert (
        PIN_COOKIE
        not in signed_in(make_user("dana", "editor"))
        .post(change_url(story), edit_post(story, headline="Oil strike spreads"))
        .cookies
    )


def test_a_page_read_from_a_replica_just_after_a_change_is_kept_only_until_it_caught_up(
    client, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    caching.bump([caching.LISTINGS])  # a change, just now
    response = client.get("/")
    assert response.status_code == 200
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 <= max_age <= 7
    settings.DATABASE_REPLICAS = []
    cache.clear()
    caching.bump([caching.LISTINGS])
    assert "max-age=60" in client.get("/")["Cache-Control"]
    cache.clear()

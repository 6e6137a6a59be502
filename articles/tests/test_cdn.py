"""A CDN in front (newsroom/cdn.py): public pages name their surrogate keys,
and an edit purges exactly the keys of the pages that show it, after commit,
from a local fake purge endpoint (http.server in a thread)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.db import transaction

from articles.models import Story
from articles.tests.accounts import make_user, signed_in
from articles.tests.factories import make_story, make_topic
from articles.tests.test_admin import change_url, edit_post
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


class FakeCDN:
    """A purge endpoint on a free local port that records each request, or
    answers 500 (`failing`), or answers too late (`slow`)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.failing = False
        self.slow = threading.Event()
        cdn = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                cdn.requests.append({"headers": dict(self.headers), "body": body})
                if cdn.slow.is_set():
                    threading.Event().wait(1.0)  # longer than the client waits
                self.send_response(500 if cdn.failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/purge"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def keys(self) -> list[list[str]]:
        """The keys of each purge received, JSON or Fastly style."""
        found = []
        for request in self.requests:
            if request["body"]:
                found.append(json.loads(request["body"])["keys"])
            else:
                found.append(request["headers"]["Surrogate-Key"].split())
        return found

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_cdn(settings):
    cdn = FakeCDN()
    settings.CDN_PURGE_URL = cdn.url
    settings.CDN_PURGE_TOKEN = "purge-secret"
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield cdn
    cdn.close()
    cache.clear()


@pytest.fixture
def site():
    """A published story with two topics and two authors."""
    authors = [make_person(name="Aliya Serik"), make_person(name="Timur Bek")]
    topics = [make_topic("Labour"), make_topic("Kazakhstan")]
    story = make_story("Oil workers strike", authors=authors, topics=topics)
    return {"story": story, "topics": topics, "authors": authors}


def test_public_pages_name_what_they_show_as_surrogate_keys(client, site, fake_cdn):
    story, (labour, _), (aliya, _) = site["story"], site["topics"], site["authors"]
    expected = {
        story.get_absolute_url(): ["site", "story-oil-workers-strike"],
        labour.get_absolute_url(): ["site", "topic-labour"],
        aliya.get_absolute_url(): ["person-aliya-serik", "site"],
        "/": ["listings", "site"],
        "/feeds/rss/": ["listings", "site"],
    }
    for url, keys in expected.items():
        for response in (client.get(url), client.get(url)):  # rendered, then from the cache
            assert response["Surrogate-Key"] == " ".join(keys), url
            assert response["Cache-Tag"] == ",".join(keys), url
    staff = signed_in(make_user("dana", "editor"))
    assert "Surrogate-Key" not in staff.get(story.get_absolute_url())


def test_an_admin_edit_purges_exactly_the_pages_showing_the_story(site, fake_cdn, committed):
    story = site["story"]
    post = edit_post(story, headline="Oil strike spreads")
    post["topics"] = [str(topic.pk) for topic in site["topics"]]
    editor = signed_in(make_user("dana", "editor"))
    with committed():
        response = editor.post(change_url(story), post)
        assert fake_cdn.requests == []  # nothing before the commit
    assert response.status_code == 302
    assert fake_cdn.keys() == [
        [
            "listings",
            "person-aliya-serik",
            "person-timur-bek",
            "story-oil-workers-strike",
            "topic-kazakhstan",
            "topic-labour",
        ]
    ]
    request = fake_cdn.requests[0]
    assert request["headers"]["Authorization"] == "Bearer purge-secret"
    assert request["headers"]["Content-Type"] == "application/json"


def test_fastly_style_sends_the_keys_in_a_header_with_its_token_header(
    site, fake_cdn, committed, settings
):
    settings.CDN_PURGE_STYLE = "fastly"
    settings.CDN_PURGE_TOKEN_HEADER = "Fastly-Key"
    with committed():
        story = Story.objects.get(pk=site["story"].pk)
        story.standfirst = "Talks collapse."
        story.save()
    assert "story-oil-workers-strike" in fake_cdn.keys()[0]
    assert fake_cdn.requests[0]["headers"]["Fastly-Key"] == "purge-secret"


def test_a_rolled_back_edit_purges_nothing(site, fake_cdn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            site["story"].standfirst = "Never saved."
            site["story"].save()
            raise RuntimeError
    assert fake_cdn.requests == []


@pytest.mark.parametrize("failure", ["error", "timeout", "unreachable"])
def test_a_failing_purge_is_logged_and_the_edit_stands(
    client, site, fake_cdn, committed, settings, caplog, failure
):
    settings.CDN_PURGE_TIMEOUT = 0.2
    if failure == "error":
        fake_cdn.failing = True
    elif failure == "timeout":
        fake_cdn.slow.set()
    else:
        settings.CDN_PURGE_URL = "http://127.0.0.1:9/purge"  # the discard port: nobody listens
    with committed():
        story = Story.objects.get(pk=site["story"].pk)
        story.standfirst = "Talks collapse."
        story.save()
    assert "CDN purge of 6 keys failed" in caplog.text
    assert "Talks collapse." in client.get(story.get_absolute_url()).content.decode()

"""Redis going away: pages are served uncached, nothing fails, one log line;
when Redis is back, caching resumes by itself (newsroom/resilient_cache.py).

Each test runs a redis-server of its own on a free port, stops it (or pauses
it, keeping its data) and starts it again.
"""

import logging
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import presence
from articles.tests.editing import browser, change_url, opened, presence_url
from articles.tests.factories import make_story

pytestmark = pytest.mark.django_db

BREAKER = 0.3  # seconds Redis is left alone after a failure, shortened for the tests


class RedisServer:
    """A redis-server on a port of its own, without persistence."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()


@pytest.fixture
def redis_server(settings) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server: install Debian's redis-server package")
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.resilient_cache.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "outage-tests",
            "OPTIONS": {"BREAKER_SECONDS": BREAKER},
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "newsroom.outages"]


def test_pages_are_served_uncached_while_redis_is_down_and_cached_again_after(
    client, redis_server, caplog
):
    caplog.set_level(logging.WARNING, logger="newsroom.outages")
    make_story("Floods in Osh")
    assert queries_for(client, "/") > 0
    assert queries_for(client, "/") == 0  # from the page cache

    redis_server.stop()
    for _ in range(10):
        assert queries_for(client, "/") > 0  # rendered, not an error page
    assert queries_for(client, "/topics/") > 0
    lines = outage_lines(caplog)
    assert len(lines) == 1, lines
    assert lines[0].startswith("cache unavailable: Error 111 connecting to 127.0.0.1:")
    assert "serving pages uncached (1 cache call in the last 30 s)" in lines[0]

    redis_server.start()
    time.sleep(BREAKER + 0.1)
    assert queries_for(client, "/") > 0  # stored again
    assert queries_for(client, "/") == 0
    assert outage_lines(caplog)[-1] == "cache available again"


def test_editing_works_without_redis_and_presence_returns_with_it(account, redis_server):
    dana, timur = account("dana", "Dana Kim"), account("timur", "Timur Bekov")
    story = make_story("Floods in Osh")
    redis_server.stop()

    form = opened(browser(dana), story)  # the edit page, without who else is there
    answer = browser(timur).post(presence_url(story), {"version": form["version"][0]})
    assert answer.status_code == 200
    assert answer.json()["others"] == []
    assert presence.visitors(story.pk) == []

    redis_server.start()
    time.sleep(BREAKER + 0.1)
    browser(dana).get(change_url(story))
    html = browser(timur).get(change_url(story)).content.decode()
    assert "Dana Kim has had this story open since" in html


def test_what_was_written_while_redis_did_not_answer_leaves_nothing_stale(redis_server):
    """A write dropped during an outage may have been an invalidation: once Redis
    answers again, nothing cached before the outage is served."""
    cache.set("page", "before the change")
    admin = redis.Redis(port=redis_server.port)
    admin.execute_command("CLIENT", "PAUSE", 1000, "ALL")  # Redis keeps its data, answers no one
    cache.set("page", "after the change")  # times out: dropped
    assert cache.get("page") is None  # the circuit is open: not even tried
    time.sleep(1.1)
    assert admin.exists(":1:".join(["outage-tests", "page"]))  # still there in Redis
    assert cache.get("page") is None  # purged, never the stale value
    cache.set("page", "fresh")
    assert cache.get("page") == "fresh"

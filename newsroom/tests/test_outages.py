"""A database that is down answers readers with a 503 page, logged once per interval.

Each test runs the app in a subprocess (newsroom/tests/outage_requests.py)
with DATABASE_URL pointing at a database that fails the way an operator
meets it: a server that accepts connections and never answers (a "black
hole"), a closed port (connection refused), an SQLite file that cannot be
opened. Whatever database the suite runs on, these never touch it.
"""

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(__file__).with_name("outage_requests.py")
LOG_LINE = "database unavailable: "


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port whose server accepts every connection (the kernel completes the
    handshake) and never reads or writes a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


def get_pages(database_url: str, *, count: int, path: str = "/", **env: str) -> tuple[list, str]:
    """The responses to `count` GETs of `path` with the app on `database_url`, and its log."""
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")},
        "DJANGO_SETTINGS_MODULE": "newsroom.test_settings",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "",
        **env,
    }
    done = subprocess.run(
        [sys.executable, str(SCRIPT), path, str(count)],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def assert_unavailable_page(response: dict) -> None:
    assert response["status"] == 503
    assert response["retry_after"] == "30"
    assert "no-store" in response["cache_control"]
    assert "Back in a moment" in response["body"]


def test_a_database_that_never_answers_gets_a_503_within_seconds(black_hole):
    responses, log = get_pages(
        f"postgres://newsroom@127.0.0.1:{black_hole}/newsroom",
        count=2,
        DATABASE_CONNECT_TIMEOUT="2",
    )
    for response in responses:
        assert_unavailable_page(response)
        # The connect timeout, not the kernel's minutes of retries.
        assert response["seconds"] < 5
    assert log.count(LOG_LINE) == 1
    assert "timeout expired" in log


@pytest.mark.parametrize("path", ["/", "/topics/"])
def test_a_refused_database_is_logged_once_not_per_request(path):
    responses, log = get_pages(
        f"postgres://newsroom@127.0.0.1:{free_port()}/newsroom", count=25, path=path
    )
    assert len(responses) == 25
    for response in responses:
        assert_unavailable_page(response)
    lines = [line for line in log.splitlines() if line.strip()]
    assert len(lines) == 1, log
    assert lines[0].startswith(LOG_LINE)
    assert "Connection refused; answering 503 (1 request in the last 30 s)" in lines[0]
    assert "Traceback" not in log


def test_an_sqlite_file_that_cannot_be_opened_gets_the_503(tmp_path):
    responses, log = get_pages(f"sqlite:///{tmp_path}/no-such-folder/db.sqlite3", count=3)
    for response in responses:
        assert_unavailable_page(response)
    assert log.count(LOG_LINE) == 1
    assert "unable to open database file" in log


def test_an_sqlite_database_never_migrated_gets_the_503(tmp_path):
    """SQLite makes an empty file where none was: no tables, so a 503 naming one."""
    responses, log = get_pages(f"sqlite:///{tmp_path}/db.sqlite3", count=2)
    for response in responses:
        assert_unavailable_page(response)
    assert "database unavailable: no such table" in log

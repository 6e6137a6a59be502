"""Test configuration and the helpers every app's tests share.

- Uploads (renditions and originals) go to temporary folders, and each test
  starts from an empty cache (autouse).
- `count_queries(client, url)`: one GET after a warm-up GET, with its SQL
  query count, the response and, on an admin list, the rows it lists.
- `html_of(response)`: a page's HTML as text.
- `row_counts()`: how many rows each content model holds.
- `account(username, full_name, role=EDITORS)`: a staff account with a role.
- `stories`: the stories app's factories (make_story, make_photo, …), for the
  tests of the app below it (people), which does not import the stories app.
- `shared_sample`: the real legacy export in ../shared/samples/, or a skip
  saying why it is missing.
- `browser`: a headless Chromium page (Debian's `chromium`, driven by
  Playwright), or a skip saying why there is none; with `live_server`.
  `new_page()` makes one more, with cookies of its own, per person.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache as cache_per_process
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, Topic
from articles.tests import factories as story_factories
from articles.tests.accounts import make_user as make_account
from newsroom.roles import EDITORS, REPORTERS
from people.models import Person, PersonAlias

SHARED_SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "samples"


def pytest_addoption(parser):
    parser.addoption(
        "--record-demo",
        action="store_true",
        help="Rewrite the demo archive's expected import output (legacy/tests/expected/).",
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts from an empty cache: its rows are rolled back, and
    what the cache kept of another test's (a release time, a page's token)
    must not add a query to this one's. In Redis, only the tests' own keys
    (test_settings' KEY_PREFIX): the database may hold others'."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = _redis(settings.CACHES["default"]["LOCATION"])
    with suppress(redis.RedisError):  # Redis down: the tests of outages say what then
        keys = list(client.scan_iter(match=backend.make_key("*"), count=1000))
        if keys:
            client.delete(*keys)


@cache_per_process
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ORIGINALS_ROOT = tmp_path / "originals"


@dataclass(frozen=True)
class CountedPage:
    """A page fetched while its queries were counted."""

    queries: int
    response: Any  # the test client's response, with .context

    @property
    def rows(self) -> list:
        """The objects an admin list page shows."""
        return list(self.response.context["cl"].result_list)


@pytest.fixture
def count_queries():
    def count(client, url: str) -> CountedPage:
        """Queries for one GET of `url`, after a first GET has warmed the caches."""
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return CountedPage(len(queries), response)

    return count


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(): a block of writes as one transaction, committed as it
    ends, so that what waits for the commit (cache bumps, CDN purges) runs."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            yield

    return block


@pytest.fixture
def html_of():
    def html(response) -> str:
        return response.content.decode()

    return html


@pytest.fixture
def row_counts():
    models = (Story, Person, PersonAlias, Topic, Byline, QuotedSource, CrossLink, Photo)

    def counts() -> dict[str, int]:
        return {model.__name__: model.objects.count() for model in models}

    return counts


@pytest.fixture
def stories():
    return story_factories


@pytest.fixture
def account():
    """account("dana", "Dana Kim", role=EDITORS): a staff account with a role and a name."""

    def make(username: str, full_name: str = "", role: str = EDITORS) -> Any:
        first, _, last = full_name.partition(" ")
        role_name = {EDITORS: "editor", REPORTERS: "reporter"}[role]
        return make_account(username, role_name, first_name=first, last_name=last)

    return make


@pytest.fixture
def shared_sample() -> Path:
    path = SHARED_SAMPLES / "janaozen-cold-winds.txt"
    if not path.exists():
        pytest.skip(
            f"the real export {path} is not there: ../shared/samples/ is checked out "
            "beside the project only in the newsroom's own workspace"
        )
    return path


# Chromium's flags for a machine without a screen or outside network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium (.ci/run installs it), or CHROMIUM if set."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


@pytest.fixture
def chromium(monkeypatch) -> Iterator[Any]:
    """The headless Chromium, for tests that need several browsing contexts."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium: install Debian's chromium package (.ci/run does) or set CHROMIUM "
            "to a Chromium binary"
        )
    from playwright.sync_api import sync_playwright  # only the browser tests need it

    # Playwright's synchronous API runs an event loop in this thread, which
    # Django's guard against database access from async code would refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium) -> Any:
    """new_page(): a page with cookies of its own (one person's browser), 1280 × 900."""

    def make() -> Any:
        page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(15_000)
        return page

    return make


@pytest.fixture
def browser(new_page) -> Any:
    """One page in the headless Chromium."""
    return new_page()

"""Test configuration and the helpers every app's tests share.

- Uploads (renditions and originals) go to temporary folders (autouse).
- `count_queries(client, url)`: one GET after a warm-up GET, with its SQL
  query count, the response and, on an admin list, the rows it lists.
- `html_of(response)`: a page's HTML as text.
- `row_counts()`: how many rows each content model holds.
- `stories`: the stories app's factories (make_story, make_photo, …), for the
  tests of the app below it (people), which does not import the stories app.
- `shared_sample`: the real legacy export in ../shared/samples/, or a skip
  saying why it is missing.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, Topic
from articles.tests import factories as story_factories
from people.models import Person, PersonAlias

SHARED_SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "samples"


def pytest_addoption(parser):
    parser.addoption(
        "--record-demo",
        action="store_true",
        help="Rewrite the demo archive's expected import output (legacy/tests/expected/).",
    )


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
def shared_sample() -> Path:
    path = SHARED_SAMPLES / "janaozen-cold-winds.txt"
    if not path.exists():
        pytest.skip(
            f"the real export {path} is not there: ../shared/samples/ is checked out "
            "beside the project only in the newsroom's own workspace"
        )
    return path

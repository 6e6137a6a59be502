"""The importer's writes renew the cached pages that show its stories
(articles/caching.py), as an editor's do."""

import pytest
from django.core.cache import cache

from legacy.result import Author, Source
from legacy.tests.test_importing import parsed_story, run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_a_re_import_shows_at_once_on_its_pages(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = run().story
    topic = story.topics.get(name="Protests")
    urls = ["/", story.get_absolute_url(), topic.get_absolute_url(), "/people/sergei-duvanov/"]
    dropped = "/people/saule-mukhametrakhimova/"
    for url in [*urls, dropped]:
        assert client.get(url).status_code == 200, url

    changed = parsed_story(
        standfirst="Repression has worsened again.",
        authors=[Author("Alexandra Kazakova", "IWPR’s country director in Kazakstan")],
        sources=[Source("Sergei Duvanov", "veteran journalist and commentator")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        run(changed, overwrite=True)

    for url in urls[:3]:
        assert "Repression has worsened again." in client.get(url).content.decode(), url
    assert "veteran journalist" in client.get(urls[3]).content.decode()
    # The author no longer credited has a page without the story.
    page = client.get(dropped)
    assert page.status_code == 404 or "Cold Winds" not in page.content.decode()

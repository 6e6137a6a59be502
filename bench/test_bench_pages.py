"""The CI bench: the benchmark's pages on a small archive from the same generator.

No timings (those are make bench's): every page `make bench` measures answers
200 with a pinned number of SQL queries, each of them planned along an index
without planner statistics (on SQLite), on an archive of SMALL_N stories drawn by
bench/corpus.py, as make bench's 100,000 are.
"""

import corpus  # bench/ is on sys.path (pytest puts a test module's folder there)
import pytest
import site_http
from django.core.cache import cache
from django.db import connection

from articles.models import CrossLink, Photo, QuotedSource, Story, Topic
from people.models import Person

SMALL_N = 2000

# The queries of a warm request, by page: what make bench counted at 100,000
# (the search's since its form keeps its topics: bench/search_bench.py's 4).
QUERIES = {
    "story": 8,
    "home": 2,
    "topic_p1": 3,
    "topic_deep": 3,
    "person": 3,
    "topics": 1,
    "search": 4,
    "rss": 3,
}
# PostgreSQL reads a search's page in steps (articles.search.page), in a
# transaction of its own scan settings, and finds the name to suggest in
# another (people.models): how many steps depends on how many stories match
# (FEW_MATCHES), so this is the count at SMALL_N stories; another size may
# differ by a step or two, never with the size of a page.
POSTGRESQL_SEARCH_QUERIES = 15


@pytest.mark.bench
def test_every_benchmarked_page_answers_with_its_pinned_queries(db, client, settings):
    # Counts kept between changes, as make bench's server keeps them (the
    # other tests count every time: their writes never commit).
    settings.COUNT_CACHE_SECONDS = 3600
    cache.clear()
    # One test, one build: the archive takes most of its time.
    corpus.generate(SMALL_N, seed=1)
    corpus.build_index()
    assert_shape()
    paths = site_http.benchmark_paths()
    deep = next(name for name in paths if name.startswith("topic_at_"))
    paths["topic_deep"] = paths.pop(deep)
    counted = site_http.count_queries(paths)  # what make bench reports
    assert {name: c["status"] for name, c in counted.items()} == dict.fromkeys(QUERIES, 200)
    pinned = dict(QUERIES)
    if connection.vendor == "postgresql":
        pinned["search"] = POSTGRESQL_SEARCH_QUERIES
    assert {name: c["queries"] for name, c in counted.items()} == pinned
    search = client.get(paths["search"])
    assert search.content.count(b'class="search-result"') == 20
    # Every query reads the archive along an index, planned as a database
    # that has never run ANALYZE plans it (bench/plan_check.py), and after
    # ANALYZE. SQLite, without statistics, plans by the schema alone, as at
    # any size; with them, by the shape of the data, which the generator
    # keeps at any size.
    # PostgreSQL plans by the tables' sizes too, and rightly scans tables of
    # a few thousand rows whole: make bench checks its plans at 100,000.
    if connection.vendor == "sqlite":
        assert site_http.unindexed(counted) == {}
        with connection.cursor() as cursor:  # and as one that has
            cursor.execute("ANALYZE")
        assert site_http.unindexed(counted) == {}


def assert_shape():
    """The archive is the one the benchmark promises."""
    assert Story.objects.published().count() == SMALL_N
    assert Topic.objects.count() == corpus.TOPICS
    assert Person.objects.count() == corpus.PEOPLE
    assert QuotedSource.objects.count() == SMALL_N * corpus.SOURCES_PER_STORY
    assert Photo.objects.count() == SMALL_N + corpus.PHOTO_POOL
    assert CrossLink.objects.filter(target__isnull=False).count() > SMALL_N * 2
    words = len(Story.objects.order_by("pk")[SMALL_N // 2].body.split())
    assert 700 < words < 1200

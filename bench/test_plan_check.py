"""bench/plan_check.py names the plans that grow with the archive, and only those."""

import plan_check  # bench/ is on sys.path
import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL's plans follow the tables' sizes, which an empty test database lacks",
)


def test_a_full_scan_of_the_stories_is_named(db):
    found = plan_check.problems('SELECT "articles_story"."id" FROM "articles_story"')
    assert found and found[0].startswith("full scan of articles_story")


def test_a_range_read_to_its_end_is_named_unless_limited(db):
    ranged = (
        'SELECT "articles_story"."id" FROM "articles_story" WHERE '
        '"articles_story"."status" = \'published\' AND '
        '"articles_story"."published_at" < \'2026-01-01\' '
        'ORDER BY "articles_story"."published_at" DESC'
    )
    assert plan_check.problems(ranged)[0].startswith("whole range of articles_story")
    assert plan_check.problems(ranged + " LIMIT 20") == []


def test_an_ordered_index_walk_passes_only_when_limited(db):
    newest = 'SELECT "articles_story"."id" FROM "articles_story" ORDER BY "published_at" DESC'
    assert plan_check.problems(newest)[0].startswith("full scan of articles_story")
    assert plan_check.problems(newest + " LIMIT 20") == []
    # Sorted after reading every row: the LIMIT stops nothing.
    by_headline = 'SELECT "id" FROM "articles_story" ORDER BY "headline" LIMIT 20'
    assert plan_check.problems(by_headline)[0].startswith("full scan of articles_story")


def test_a_lookup_by_key_and_the_small_tables_pass(db):
    assert plan_check.problems('SELECT "id" FROM "articles_story" WHERE "id" = 3') == []
    assert plan_check.problems('SELECT "id" FROM "articles_topic"') == []
    assert plan_check.problems('SAVEPOINT "s1"') == []

"""Searching stories: the admin's story list and StoryQuerySet.search().

Both are the full-text search of articles.search, ranked: PostgreSQL's stored
vector and its GIN index, SQLite's FTS5 table.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Story
from articles.tests.factories import make_story

pytestmark = pytest.mark.django_db

STORIES = "/admin/articles/story/"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


@pytest.fixture
def stories():
    return {
        "headline": make_story("Runoff election called in Bishkek"),
        "standfirst": make_story("A quiet week", standfirst="Voters in Osh await the result."),
        "body": make_story("Pipeline deal", body="<p>The consortium signed in <b>Atyrau</b>.</p>"),
        "apostrophe": make_story("The election's aftermath"),
        "other": make_story("Oil workers strike", standfirst="Pay talks fail.", body="<p>No.</p>"),
    }


def admin_search(client, term):
    response = client.get(STORIES, {"q": term})
    assert response.status_code == 200
    return {story.headline for story in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("Bishkek", "headline"),
        ("voters", "standfirst"),
        ("ATYRAU", "body"),
        ("consortium atyrau", "body"),  # every word, in any order
    ],
)
def test_admin_search_finds_a_word_of_the_headline_standfirst_or_body(
    admin_client, stories, term, found
):
    assert admin_search(admin_client, term) == {stories[found].headline}


def test_admin_search_finds_words_by_their_beginning(admin_client, stories):
    assert admin_search(admin_client, "elect") == {
        stories["headline"].headline,
        stories["apostrophe"].headline,
    }
    assert admin_search(admin_client, "consort signed") == {stories["body"].headline}


def test_admin_search_needs_every_word(admin_client, stories):
    assert admin_search(admin_client, "Atyrau Bishkek") == set()


def test_admin_search_for_a_word_in_no_story_finds_nothing(admin_client, stories):
    assert admin_search(admin_client, "Samarkand") == set()


@pytest.mark.parametrize("term", ["election's & (|!", "&&", "a:*", "'", "(|!)", "foo_bar <-> \\"])
def test_admin_search_with_punctuation_does_not_fail(admin_client, stories, term):
    admin_search(admin_client, term)


@postgresql_only
def test_admin_search_with_punctuation_searches_its_words(admin_client, stories):
    # "election" and "s": both stories with "election" also have a word in s.
    assert admin_search(admin_client, "election's & (|!") == {
        stories["headline"].headline,
        stories["apostrophe"].headline,
    }
    assert admin_search(admin_client, "&& (|!)") == set()


def test_admin_search_lists_a_headline_match_before_a_passing_mention(admin_client):
    older = make_story("Election day in Osh", published_at=timezone.now() - timedelta(days=9))
    newer = make_story("Markets", body="<p>Prices rose before the election in Osh.</p>")
    response = admin_client.get(STORIES, {"q": "election"})
    assert list(response.context["cl"].result_list) == [older, newer]


def test_admin_search_keeps_a_column_the_editor_sorts_by(admin_client, stories):
    # Column 2 of the list (after the checkbox and the thumbnail): the headline.
    response = admin_client.get(STORIES, {"q": "election", "o": "2"})
    listed = [story.headline for story in response.context["cl"].result_list]
    assert listed == ["Runoff election called in Bishkek", "The election's aftermath"]


@postgresql_only
def test_admin_search_is_a_full_text_search_without_duplicates_check(admin_client, stories):
    with CaptureQueriesContext(connection) as queries:
        assert admin_search(admin_client, "Atyrau") == {stories["body"].headline}
    searches = [q["sql"] for q in queries if "to_tsquery" in q["sql"]]

    # The count and the page; neither reads the columns with LIKE, and
    # neither needs DISTINCT or a second subquery against duplicates.
    assert len(searches) == 2
    for sql in searches:
        assert "@@" in sql and "to_tsquery" in sql
        assert "LIKE" not in sql and "DISTINCT" not in sql


@postgresql_only
def test_search_query_can_use_the_gin_index(stories):
    """The stored vector's GIN index answers search(); the old expression index is gone."""
    constraints = connection.introspection.get_constraints(connection.cursor(), "articles_story")
    assert constraints["story_search_vector_gin"]["type"] == "gin"
    assert "story_search_gin" not in constraints

    sql, params = Story.objects.search("atyrau").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows: without this, reading them all is cheaper.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on story_search_vector_gin" in plan


# --- StoryQuerySet.search() --------------------------------------------------


def test_search_method_matches_words_in_any_field_by_their_beginning(stories):
    def headlines(term):
        return {story.headline for story in Story.objects.search(term)}

    assert headlines("bishkek") == {stories["headline"].headline}
    assert headlines("Voters") == {stories["standfirst"].headline}
    assert headlines("atyr") == {stories["body"].headline}
    assert headlines("election's & (|!") == {
        stories["headline"].headline,
        stories["apostrophe"].headline,
    }
    assert headlines("atyrau bishkek") == set()


@pytest.mark.parametrize("term", ["", "   ", "&& (|!)"])
def test_search_method_without_words_finds_nothing(stories, term):
    assert not Story.objects.search(term).exists()


def test_search_method_keeps_the_queryset_filters(stories):
    stories["headline"].status = Story.Status.DRAFT
    stories["headline"].save()
    found = Story.objects.published().search("election")
    assert list(found) == [stories["apostrophe"]]

"""Full-text search of stories.

On PostgreSQL a match read from the GIN index "story_search_gin" (migration
0003), which is built on `search_vector()`: the two must stay the same
expression, or PostgreSQL reads every story body instead of the index.
Elsewhere a case-insensitive substring match of each word, reading every story.
`StoryQuerySet.search()` is the entry point.
"""

import re
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections, models
from django.db.models import Q, QuerySet

_WORD = re.compile(r"\w+")
# The caller's queryset class comes back, so its own methods chain on.
_Stories = TypeVar("_Stories", bound=QuerySet[Any])


def search_vector() -> SearchVector:
    """The words of a story's headline, standfirst and body, as PostgreSQL indexes them."""
    return SearchVector("headline", "standfirst", "body", config="simple")


def matching(stories: _Stories, term: str) -> _Stories:
    """The `stories` with every word of `term`, or a word starting with it
    ("elect" finds "elections"), in the headline, standfirst or body; none if
    `term` has no words. Punctuation in `term` only separates words."""
    words = _WORD.findall(term)
    if not words:
        return stories.none()
    if connections[stories.db].vendor != "postgresql":
        return _substring_matches(stories, words)
    return _full_text_matches(stories, words)


def _substring_matches(stories: _Stories, words: list[str]) -> _Stories:
    for word in words:
        stories = stories.filter(
            Q(headline__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
        )
    return stories


def _full_text_matches(stories: _Stories, words: list[str]) -> _Stories:
    query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )
    # PostgreSQL prices search_vector() as cheap, yet it costs about a
    # millisecond a story. Planned for the words' real frequencies, the
    # query would compute it for every story: scanning them all for a
    # common word, or walking newest first until 50 match for a rare one
    # (40 s each at 100,000 stories). So the planner cannot see the query
    # (a subquery), and the matching ids are read from the index once, as
    # an array: "id = ANY(ARRAY(SELECT id ... @@ (SELECT to_tsquery(...))))".
    query.template = "(SELECT %(function)s(%(expressions)s))"
    ids = (
        stories.model._default_manager.alias(document=search_vector())
        .filter(document=query)
        .order_by()
        .values("pk")
    )
    return stories.filter(
        models.Func(
            models.F("pk"),
            models.Func(ArraySubquery(ids), function="ANY"),
            template="%(expressions)s",
            arg_joiner=" = ",
            output_field=models.BooleanField(),
        )
    )

"""Full-text search of stories: what is indexed, matches and their ranking.

Each story's searchable text is its headline, standfirst, the names of its
authors, quoted sources and topics, and its body without markup, weighted in
that order (A, B, C, D). Where it is stored depends on the database:

- PostgreSQL: `Story.search_vector`, a tsvector made with the text search
  configuration of the story's language (English and Russian stemming, the
  "simple" one otherwise), read through its GIN index (migration 0009).
- SQLite: the FTS5 table `articles_story_fts` (rowid = story id, Porter
  stemming over unicode61), reached through the unmanaged StorySearchEntry.

`articles.search_index` keeps it current (on saves, and when services that
write with bulk_create, the importer, ask).
`matching()` and `ranked()` are behind StoryQuerySet.search() and
.ranked_search(); `highlights()` marks the words found in one page of them.
"""

import html
import re
from typing import Any, TypeVar

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import connections, models
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORD = re.compile(r"\w+")
_TAG = r"<[^>]+>"
# The caller's queryset class comes back, so its own methods chain on.
_Stories = TypeVar("_Stories", bound=QuerySet[Any])

# Text search configurations by story language; "simple" for the rest.
CONFIGS = {"en": "english", "ru": "russian"}
QUERY_CONFIGS = ("english", "russian", "simple")
FTS_TABLE = "articles_story_fts"
# bm25 weights of the FTS5 columns (headline, standfirst, names, body), in
# the proportions of PostgreSQL's default ts_rank weights for A, B, C, D.
FTS_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
# Around highlighted words in snippets; made <mark> once the text is escaped.
START, STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 30


def words_of(term: str) -> list[str]:
    """The words of a search; punctuation only separates them."""
    return _WORD.findall(term)


def _vendor(stories: QuerySet[Any]) -> str:
    return connections[stories.db].vendor


# --- Matching and ranking ------------------------------------------------------


def _pg_query(words: list[str], *, prefix: bool) -> SearchQuery:
    """Every word, stemmed as each language's configuration stems it: a story
    matches when its own language's reading of the words does."""
    suffix = ":*" if prefix else ""
    text = " & ".join(f"'{word}'{suffix}" for word in words)
    query = SearchQuery(text, search_type="raw", config=QUERY_CONFIGS[0])
    for config in QUERY_CONFIGS[1:]:
        query = query | SearchQuery(text, search_type="raw", config=config)
    return query


def _fts_query(words: list[str], *, prefix: bool) -> str:
    suffix = "*" if prefix else ""
    return " ".join(f'"{word}"{suffix}' for word in words)


def matching(stories: _Stories, term: str, *, prefix: bool = True) -> _Stories:
    """The `stories` with every word of `term` (or, with `prefix`, a word
    starting with it: "elect" finds "elections") in the headline, standfirst,
    names or body; none if `term` has no words."""
    words = words_of(term)
    if not words:
        return stories.none()
    if _vendor(stories) == "postgresql":
        return stories.filter(search_vector=_pg_query(words, prefix=prefix))
    return stories.filter(search_entry__isnull=False).filter(
        RawSQL(f"{FTS_TABLE} MATCH %s", [_fts_query(words, prefix=prefix)], models.BooleanField())
    )


def ranked(stories: _Stories, term: str, *, prefix: bool = False) -> _Stories:
    """matching() annotated with `search_rank` (higher is more relevant),
    most relevant first, newest first among equals."""
    words = words_of(term)
    found = matching(stories, term, prefix=prefix)
    if not words:
        return found
    if _vendor(stories) == "postgresql":
        rank: models.Expression = SearchRank(F("search_vector"), _pg_query(words, prefix=prefix))
    else:
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        # bm25() is lower for better matches.
        rank = RawSQL(f"-bm25({FTS_TABLE}, {weights})", [], models.FloatField())
    return found.annotate(search_rank=rank).order_by("-search_rank", "-published_at", "-pk")


def highlights(stories: QuerySet[Any], term: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    """The headline and a body snippet of each story of `ids` that matches
    `term`, with the matched words between START and STOP (see `marked`).

    A query of its own, for one page's stories: highlighting every match
    before the sort would cost far more than finding them.
    """
    words = words_of(term)
    if not words or not ids:
        return {}
    rows = matching(stories.model._default_manager.filter(pk__in=ids), term, prefix=False)
    if _vendor(stories) == "postgresql":
        query, config = _pg_query(words, prefix=False), story_config()
        headline: models.Expression = SearchHeadline(
            "headline", query, config=config, highlight_all=True, start_sel=START, stop_sel=STOP
        )
        snippet: models.Expression = SearchHeadline(
            _plain_body(),
            query,
            config=config,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
            max_fragments=2,
            fragment_delimiter=" … ",
            start_sel=START,
            stop_sel=STOP,
        )
    else:
        fts_marks = f"'{START}', '{STOP}'"
        headline = RawSQL(f"highlight({FTS_TABLE}, 0, {fts_marks})", [], models.TextField())
        snippet = RawSQL(
            f"snippet({FTS_TABLE}, 3, {fts_marks}, ' … ', {SNIPPET_WORDS})", [], models.TextField()
        )
    marked_rows = rows.annotate(marked_headline=headline, marked_snippet=snippet).order_by()
    return {
        pk: (h, s)
        for pk, h, s in marked_rows.values_list("pk", "marked_headline", "marked_snippet")
    }


def marked(text: str, *, markup: bool = False) -> SafeString:
    """A highlighted text from ranked() as safe HTML: everything escaped, the
    matched words in <mark>. `markup`: the text is a body with its tags
    removed, whose character references are decoded before escaping."""
    if markup:
        text = html.unescape(text)
    escaped = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(escaped)  # noqa: S308 - escaped above; only our marks are markup


# --- Keeping the index current ---------------------------------------------------


def _plain_body() -> models.Func:
    """The story's body without its tags, in PostgreSQL."""
    return models.Func(
        F("body"),
        Value(_TAG),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def story_config() -> models.Expression:
    """The text search configuration of each story's language."""
    whens = [models.When(language=code, then=Value(name)) for code, name in CONFIGS.items()]
    return models.Case(*whens, default=Value("simple"), output_field=models.TextField())

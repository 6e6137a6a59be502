"""Full-text search of stories: what is indexed, matches and their ranking.

Each story's searchable text is its headline, standfirst, the names of its
authors, quoted sources and topics, and its body without markup, weighted in
that order (A, B, C, D). Where it is stored depends on the database:

- PostgreSQL: `Story.search_vector`, a tsvector of all of it made with the
  text search configuration of the story's language (English and Russian
  stemming, the "simple" one otherwise), decides what matches; two small
  ones decide the order, so that ranking reads a few hundred bytes a story
  instead of the body's kilobytes: stories with a word of the search in the
  headline (`search_headline_vector`) come first, by ts_rank over headline,
  standfirst and names (`search_rank_vector`); then those with one in the
  standfirst or names; then those that only mention the words in the body;
  newest first among equals. All three are read through GIN indexes
  (migrations 0009, 0013).
- SQLite: the FTS5 table `articles_story_fts` (rowid = story id, Porter
  stemming over unicode61), ranked with bm25, reached through the unmanaged
  StorySearchEntry.

`articles.search_index` keeps it current (on saves, and when services that
write with bulk_create, the importer, ask).
`matching()` and `ranked()` are behind StoryQuerySet.search() and
.ranked_search(); `page()` reads one page of them on a plan of its own
choosing; `highlights()` marks the words found in one page of them.
"""

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, Self, TypeVar

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
)
from django.db import connections, models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsroom import caching
from newsroom.memo import remembered
from newsroom.plans import Scans, planned

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")
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
    """The words of a search; punctuation only separates them. Single
    letters (the initial in "Gulnara A. Ibraimov") count only in a search of
    nothing else: in every story, they would narrow nothing down, and on
    SQLite reading where each one is costs seconds."""
    words = _WORD.findall(term)
    longer = [word for word in words if len(word) > 1]
    return longer or words


def _vendor(stories: QuerySet[Any]) -> str:
    return connections[stories.db].vendor


# --- Matching and ranking ------------------------------------------------------


def _pg_query(words: list[str], *, prefix: bool, every: bool = True) -> SearchQuery:
    """Every word (or, not `every`, any of them), stemmed as each language's
    configuration stems it: a story matches when its own language's reading
    of the words does."""
    suffix = ":*" if prefix else ""
    text = (" & " if every else " | ").join(f"'{word}'{suffix}" for word in words)
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
        rank: models.Expression = _Tiers(words, prefix=prefix).score()
    else:
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        # bm25() is lower for better matches.
        rank = RawSQL(f"-bm25({FTS_TABLE}, {weights})", [], models.FloatField())
    return found.annotate(search_rank=rank).order_by("-search_rank", *_NEWEST)


# --- One page of results, on PostgreSQL ---------------------------------------------

# Up to this many matches are ranked and sorted whole; past it the matches
# are common enough to be read tier by tier (see _Tiers).
FEW_MATCHES = 2000
_NEWEST = ("-published_at", "-pk")


def page(stories: _Stories, term: str, *, newest: bool, start: int, count: int) -> list[Any]:
    """Stories `start` to `start + count` of ranked(stories, term), or of its
    matches newest first: the same rows as slicing it, read on PostgreSQL
    along a plan chosen by how many stories match, never by the planner's
    statistics (which cannot know how common a word is in a story's body)."""
    if _vendor(stories) != "postgresql" or not words_of(term):
        found = ranked(stories, term)
        return list((found.order_by(*_NEWEST) if newest else found)[start : start + count])
    with planned(stories.db) as scans:
        ids = _page_ids(
            stories, _Tiers(words_of(term)), scans, newest=newest, start=start, count=count
        )
    by_id = {story.pk: story for story in stories.filter(pk__in=ids).order_by()}
    return [by_id[pk] for pk in ids if pk in by_id]


class _Tiers:
    """ranked()'s order on PostgreSQL, as three sets of stories: those with a
    word of the search in the headline, ranked by ts_rank over the headline,
    standfirst and names; then those with one in the standfirst or names; then
    those that only mention the words in the body, each newest first.

    Each tier's condition reads the small vectors, and the body's only when
    the search has several words that the small ones may not all hold."""

    def __init__(self, words: list[str], *, prefix: bool = False) -> None:
        self.every = _pg_query(words, prefix=prefix)
        self.some = _pg_query(words, prefix=prefix, every=False)
        self.rank = SearchRank(F("search_rank_vector"), self.some)
        self.single = len(words) == 1
        self.matching = Q(search_vector=self.every)

    def _all_words(self, vector: str) -> Q:
        if self.single:
            return Q(**{vector: self.some})
        return Q(**{vector: self.every}) | Q(**{vector: self.some}, search_vector=self.every)

    def headline(self) -> Q:
        return self._all_words("search_headline_vector")

    def names(self) -> Q:
        return self._all_words("search_rank_vector") & ~Q(search_headline_vector=self.some)

    def body(self) -> Q:
        return self.matching & ~Q(search_rank_vector=self.some)

    def score(self) -> models.Case:
        """The order of the tiers as one number, higher first: the headline's
        tier by ts_rank (from 2 up), then 1, then 0."""
        return models.Case(
            models.When(search_headline_vector=self.some, then=self.rank + 2),
            models.When(search_rank_vector=self.some, then=Value(1.0)),
            default=Value(0.0),
            output_field=models.FloatField(),
        )


def _page_ids(
    stories: QuerySet[Any], tiers: _Tiers, scan: Scans, *, newest: bool, start: int, count: int
) -> list[int]:
    stories = stories.order_by()
    if newest:
        return _newest(stories.filter(tiers.matching), start, count, scan)
    scan(bitmap=True)
    scored = stories.filter(tiers.matching).annotate(score=tiers.score())
    sample = _Sample.read(scored, start, count, scored=True)
    if sample.ids is not None:
        return sample.ids
    headline = stories.filter(tiers.headline())
    ranked_rows = headline.annotate(rank=tiers.rank).order_by("-rank", *_NEWEST)
    ids = list(ranked_rows.values_list("pk", flat=True)[start : start + count])
    passed = headline
    for tier, later in ((1, tiers.names()), (0, tiers.body())):
        if len(ids) == count:
            break
        # The page goes on into the next tier, past all that this one holds.
        scan(bitmap=True)
        start = max(0, start - passed.count()) if start else 0
        passed = stories.filter(later)
        common = sample.seen[tier] > FEW_MATCHES // 2
        ids += _newest(passed, start, count - len(ids), scan, common=common)
    return ids


def _newest(
    stories: QuerySet[Any], start: int, count: int, scan: Scans, *, common: bool = False
) -> list[int]:
    """Ids of the `stories` from `start` to `start + count`, newest first: if
    FEW_MATCHES or fewer, all of them found through the GIN indexes and sorted
    there; else (or if known to be `common`) along the published_at index,
    where they are common enough that the page is soon found."""
    if not common:
        scan(bitmap=True)
        ids = _Sample.read(stories, start, count).ids
        if ids is not None:
            return ids
    scan(bitmap=False)
    return list(stories.order_by(*_NEWEST).values_list("pk", flat=True)[start : start + count])


@dataclass(frozen=True)
class _Sample:
    """Up to FEW_MATCHES + 1 matches, as the GIN indexes find them: the
    page's `ids` if there are no more (else None), and, for matches with a
    `score`, how many of them were seen in each tier (0, 1 and 2 for the
    body's, the names' and the headline's)."""

    ids: list[int] | None
    seen: tuple[int, int, int]

    @classmethod
    def read(cls, stories: QuerySet[Any], start: int, count: int, *, scored: bool = False) -> Self:
        """The sample of these matches. That they are many is remembered until
        the stories change (newsroom.memo), and the reading skipped: how
        common a search's words are is the same for the next reader."""
        sql, params = stories.query.sql_with_params()
        # The same search's SQL, the time of the request aside.
        now = timezone.now()
        stable = [sql, repr(scored), *(_unless_now(param, now) for param in params)]
        return remembered(
            "search-sample:" + "\n".join(stable),
            [caching.LISTINGS],
            lambda: cls._read(stories, start, count, scored=scored),
            keep=lambda sample: sample.ids is None,
        )

    @classmethod
    def _read(cls, stories: QuerySet[Any], start: int, count: int, *, scored: bool) -> Self:
        """One query: the database counts and sorts the matches it read, newest
        first (by score first, if `scored`), and sends the page's ids and the
        first match, which carries the counts."""
        columns = ("score", "published_at", "pk") if scored else ("published_at", "pk")
        matches = stories.values_list(*columns)[: FEW_MATCHES + 1]
        sql, params = matches.query.sql_with_params()
        order = ", ".join(f'm."{column}" DESC' for column in columns)
        tiers = ", ".join(
            f"count(*) FILTER (WHERE m.score {test}) OVER () AS tier{tier}"
            if scored
            else f"0 AS tier{tier}"
            for tier, test in enumerate(("= 0", "= 1", ">= 2"))
        )
        with connections[stories.db].cursor() as cursor:
            cursor.execute(
                "SELECT pk, found, tier0, tier1, tier2 FROM (SELECT m.pk, count(*) OVER () AS found, "
                f"{tiers}, row_number() OVER (ORDER BY {order}) AS n FROM ({sql}) AS m) AS sorted "
                "WHERE n = 1 OR n > %s AND n <= %s ORDER BY n",
                [*params, start, start + count],
            )
            rows = cursor.fetchall()
        seen = (rows[0][2], rows[0][3], rows[0][4]) if rows else (0, 0, 0)
        if rows and rows[0][1] > FEW_MATCHES:
            return cls(None, seen)
        return cls([row[0] for row in rows[0 if start == 0 else 1 :]], seen)


def _unless_now(param: Any, now: datetime) -> str:
    recent = isinstance(param, datetime) and abs(param - now) < timedelta(minutes=1)
    return "now" if recent else repr(param)


# --- Highlighting ---------------------------------------------------------------


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
        return _pg_highlights(rows, words)
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


def _pg_highlights(rows: QuerySet[Any], words: list[str]) -> dict[int, tuple[str, str]]:
    """ts_headline, in each story's own configuration, over its headline and
    over a few words of its body around the first places that may hold a
    match (see `_passages`): over whole bodies it costs a millisecond a story."""
    candidates = _candidates(rows.db, words)
    stories = [
        (
            pk,
            CONFIGS.get(language, "simple"),
            headline,
            _passages(re.sub(_TAG, " ", body), candidates),
        )
        for pk, language, headline, body in rows.order_by().values_list(
            "pk", "language", "headline", "body"
        )
    ]
    if not stories:
        return {}
    query = "to_tsquery(t.config::regconfig, %s)"
    options = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            f"SELECT t.pk, ts_headline(t.config::regconfig, t.headline, {query}, %s), "
            f"ts_headline(t.config::regconfig, t.passage, {query}, %s) "
            "FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[]) "
            "AS t(pk, config, headline, passage)",
            [" & ".join(f"'{word}'" for word in words), options] * 2
            + [list(column) for column in zip(*stories, strict=True)],
        )
        return {pk: (headline, passage) for pk, headline, passage in cursor.fetchall()}


def _candidates(using: str, words: list[str]) -> re.Pattern[str]:
    """Words of a text that may be a form of one of `words`: those starting
    with one of their stems in any configuration, less its last letter where
    the stemmer may have changed it ("citi" for "city")."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT unnest(tsvector_to_array(to_tsvector(c, %s))) "
            "FROM unnest(%s::regconfig[]) AS c",
            [" ".join(words), list(QUERY_CONFIGS)],
        )
        stems = {stem[:-1] if len(stem) > 4 else stem for (stem,) in cursor.fetchall()}
    stems |= {word.lower() for word in words}  # stop words have no stem
    alternatives = "|".join(sorted(map(re.escape, stems), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


def _passages(text: str, candidates: re.Pattern[str]) -> str:
    """Up to two passages of about SNIPPET_WORDS words of `text`, each around
    a word that `candidates` finds, joined by " … "; its first words if none."""
    spans, end = [], 0
    for found in candidates.finditer(text):
        if found.start() < end:
            continue
        first, last = _around(text, found.start())
        spans.append((first, last))
        end = last
        if len(spans) == 2:
            break
    if not spans:
        spans = [_around(text, 0)]
    return " … ".join(text[first:last].strip() for first, last in spans)


def _around(text: str, at: int) -> tuple[int, int]:
    """The bounds of a passage of about SNIPPET_WORDS words of `text` that
    starts a few words before position `at` (words here are what spaces
    separate, so no character reference is cut)."""
    before = [found.start() for found in _TOKEN.finditer(text, max(0, at - 80), at)]
    before = before[1:] if at > 80 else before  # the first may be the end of a word
    lead = before[-5:] or [at]
    after = list(islice(_TOKEN.finditer(text, at), SNIPPET_WORDS - len(before[-5:])))
    return lead[0], after[-1].end() if after else len(text)


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

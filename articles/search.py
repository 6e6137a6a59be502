"""Full-text search of stories: the index, kept current, and ranked matches.

Each story's searchable text is its headline, standfirst, the names of its
authors, quoted sources and topics, and its body without markup, weighted in
that order (A, B, C, D). Where it is stored depends on the database:

- PostgreSQL: `Story.search_vector`, a tsvector made with the text search
  configuration of the story's language (English and Russian stemming, the
  "simple" one otherwise), read through its GIN index (migration 0009).
- SQLite: the FTS5 table `articles_story_fts` (rowid = story id, Porter
  stemming over unicode61), reached through the unmanaged StorySearchEntry.

`refresh()` rewrites a story's entry; the signals in `connect_signals()` call
it when a story, a credit, a topic tagging or a person's name changes, and
services that write with bulk_create (the importer) call it themselves.
`matching()` and `ranked()` are behind StoryQuerySet.search() and
.ranked_search(); `highlights()` marks the words found in one page of them.
"""

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connections, models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape, strip_tags
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
        marks = {"start_sel": START, "stop_sel": STOP}
        headline: models.Expression = SearchHeadline(
            "headline", query, config=config, highlight_all=True, **marks
        )
        snippet: models.Expression = SearchHeadline(
            _plain_body(),
            query,
            config=config,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
            max_fragments=2,
            fragment_delimiter=" … ",
            **marks,
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


def refresh(story_ids: Iterable[int], *, using: str = "default") -> None:
    """Rewrite the index entry of each of the stories `story_ids`."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    if connections[using].vendor == "postgresql":
        _refresh_vectors(ids, using)
    elif connections[using].vendor == "sqlite":
        _refresh_fts(ids, using)


def _names_subquery(model: type[models.Model], story: str, name: str) -> Coalesce:
    rows = model._default_manager.filter(**{story: OuterRef("pk")}).order_by().values(story)
    names = rows.annotate(names=StringAgg(name, delimiter=" ")).values("names")
    return Coalesce(Subquery(names), Value(""), output_field=models.TextField())


def _refresh_vectors(ids: list[int], using: str) -> None:
    from articles.models import Byline, QuotedSource, Story, TaggedStory

    names = Concat(
        _names_subquery(Byline, "story", "person__name"),
        Value(" "),
        _names_subquery(QuotedSource, "story", "person__name"),
        Value(" "),
        _names_subquery(TaggedStory, "content_object", "tag__name"),
        output_field=models.TextField(),
    )
    config = story_config()
    body = _plain_body()
    vector = (
        SearchVector("headline", config=config, weight="A")
        + SearchVector("standfirst", config=config, weight="B")
        + SearchVector(names, config=config, weight="C")
        + SearchVector(body, config=config, weight="D")
    )
    Story.objects.using(using).filter(pk__in=ids).update(search_vector=vector)


def _refresh_fts(ids: list[int], using: str) -> None:
    from articles.models import Byline, QuotedSource, Story, TaggedStory

    names: dict[int, list[str]] = defaultdict(list)
    for model, story, name in (
        (Byline, "story_id", "person__name"),
        (QuotedSource, "story_id", "person__name"),
        (TaggedStory, "content_object_id", "tag__name"),
    ):
        rows = model._default_manager.using(using).filter(**{f"{story}__in": ids})
        for story_id, value in rows.values_list(story, name):
            names[story_id].append(value)
    stories = Story.objects.using(using).filter(pk__in=ids)
    entries = [
        (pk, headline, standfirst, " ".join(names[pk]), strip_tags(body))
        for pk, headline, standfirst, body in stories.values_list(
            "pk", "headline", "standfirst", "body"
        )
    ]
    with connections[using].cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("%s" for _ in chunk)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, headline, standfirst, names, body) "
            "VALUES (%s, %s, %s, %s, %s)",
            entries,
        )


def forget(story_ids: Iterable[int], *, using: str = "default") -> None:
    """Remove deleted stories' entries (PostgreSQL's go with their rows)."""
    ids = list(story_ids)
    if ids and connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            marks = ", ".join("%s" for _ in ids)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)


def _story_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    refresh([instance.pk], using=kwargs.get("using") or "default")


def _story_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget([instance.pk], using=kwargs.get("using") or "default")


def _credit_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    refresh([instance.story_id], using=kwargs.get("using") or "default")


def _topics_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and not kwargs.get("reverse"):
        refresh([instance.pk], using=kwargs.get("using") or "default")


def _remember_name(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Before a person or topic is saved: its stored name, to tell a rename."""
    old = sender._default_manager.filter(pk=instance.pk).values_list("name", flat=True).first()
    instance._name_before_save = old


def _person_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created and getattr(instance, "_name_before_save", instance.name) != instance.name:
        using = kwargs.get("using") or "default"
        refresh(credited_stories([instance.pk], using=using), using=using)


def _topic_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from articles.models import TaggedStory

    if not created and getattr(instance, "_name_before_save", instance.name) != instance.name:
        using = kwargs.get("using") or "default"
        tagged = TaggedStory.objects.using(using).filter(tag=instance)
        refresh(tagged.values_list("content_object_id", flat=True), using=using)


def connect_signals() -> None:
    """Keep the index current on every save through the models (see refresh())."""
    from django.db.models import signals

    from articles.models import Byline, QuotedSource, Story, TaggedStory, Topic
    from people.models import Person

    signals.post_save.connect(_story_saved, sender=Story, dispatch_uid="search_story_saved")
    signals.post_delete.connect(_story_deleted, sender=Story, dispatch_uid="search_story_deleted")
    for credit in (Byline, QuotedSource):
        uid = f"search_{credit.__name__}"
        signals.post_save.connect(_credit_changed, sender=credit, dispatch_uid=f"{uid}_saved")
        signals.post_delete.connect(_credit_changed, sender=credit, dispatch_uid=f"{uid}_deleted")
    signals.m2m_changed.connect(_topics_changed, sender=TaggedStory, dispatch_uid="search_topics")
    for named, saved in ((Person, _person_saved), (Topic, _topic_saved)):
        uid = f"search_{named.__name__}"
        signals.pre_save.connect(_remember_name, sender=named, dispatch_uid=f"{uid}_before")
        signals.post_save.connect(saved, sender=named, dispatch_uid=f"{uid}_saved")


def credited_stories(person_ids: Iterable[int], *, using: str = "default") -> list[int]:
    """The ids of the stories that credit any of the people `person_ids`."""
    from articles.models import Story

    ids = list(person_ids)
    credited = Q(bylines__person__in=ids) | Q(sources__person__in=ids)
    return list(Story.objects.using(using).filter(credited).values_list("pk", flat=True).distinct())

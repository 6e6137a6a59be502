"""Keeping the full-text index of stories current (see articles.search).

`refresh()` rewrites a story's entry; the signals of `connect_signals()` call
it when a story, a credit, a topic tagging or a person's or topic's name
changes; services that write with bulk_create (the importer) call it themselves.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connections, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.html import strip_tags

from articles.models import Byline, QuotedSource, Story, TaggedStory, Topic
from articles.search import FTS_TABLE, _plain_body, story_config
from people.models import Person


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
    headline = SearchVector("headline", config=config, weight="A")
    rank_vector = (
        headline
        + SearchVector("standfirst", config=config, weight="B")
        + SearchVector(names, config=config, weight="C")
    )
    Story.objects.using(using).filter(pk__in=ids).update(
        search_vector=rank_vector + SearchVector(body, config=config, weight="D"),
        search_rank_vector=rank_vector,
        search_headline_vector=headline,
    )


def _refresh_fts(ids: list[int], using: str) -> None:
    names: dict[int, list[str]] = defaultdict(list)
    authors = Byline.objects.using(using).filter(story_id__in=ids)
    sources = QuotedSource.objects.using(using).filter(story_id__in=ids)
    topics = TaggedStory.objects.using(using).filter(content_object_id__in=ids)
    every_name = (
        authors.values_list("story_id", "person__name")
        .order_by()
        .union(
            sources.values_list("story_id", "person__name").order_by(),
            topics.values_list("content_object_id", "tag__name").order_by(),
            all=True,
        )
    )
    for story_id, value in every_name:
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
    # A service that writes the story's credits next sets this and refreshes once, after.
    if not getattr(instance, "search_refresh_later", False):
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
    if not created and getattr(instance, "_name_before_save", instance.name) != instance.name:
        using = kwargs.get("using") or "default"
        tagged = TaggedStory.objects.using(using).filter(tag=instance)
        refresh(tagged.values_list("content_object_id", flat=True), using=using)


def _restored(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """A backup was restored (newsroom.backup): the index rebuilt from the stories."""
    if connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    refresh(Story._base_manager.using(using).values_list("pk", flat=True), using=using)


def connect_signals() -> None:
    """Keep the index current on every save through the models (see refresh())."""
    from django.db.models import signals

    from newsroom.backup import restored

    restored.connect(_restored, dispatch_uid="search_restored")
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
    ids = list(person_ids)
    credited = Q(bylines__person__in=ids) | Q(sources__person__in=ids)
    return list(Story.objects.using(using).filter(credited).values_list("pk", flat=True).distinct())

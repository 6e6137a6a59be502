"""What one import run knows about the database, so that a new story costs only its inserts.

People, topics and aliases met during the run are always remembered. With
`preload=True` (the import command's runs) the cache also reads, once, the
legacy ids, slugs and headline keys of every story and the title keys of
pending cross-links; without, those questions are asked of the database each
time.

Changes made while a story is imported are staged, and only kept once that
story's transaction has committed (`commit`), so that a rolled-back file
cannot leave the cache pointing at rows that do not exist. The cache assumes
the run is the only writer of stories while it lasts; if another one races
it, the affected file fails on a database constraint and can be re-imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from articles.models import CrossLink, Story, Topic
from legacy.topics import classify_topic
from newsroom.slugs import first_free_slug, unique_slug
from newsroom.text import name_key
from people.models import Person, PersonAlias


class ImportCache:
    def __init__(self, *, preload: bool = False) -> None:
        self.people: dict[str, int] = {}
        self.topics: dict[str, int] = {}
        self.aliases: set[str] = set()
        self._staged: list[Callable[[], object]] = []
        self.preloaded = preload
        self.legacy_ids: set[str] = set()
        self.slugs: set[str] = set()
        self.titles: dict[str, int] = {}
        self.pending: set[str] = set()
        if preload:
            self._preload()

    def _preload(self) -> None:
        stories = Story.objects.order_by("-pk").values_list(
            "pk", "legacy_id", "slug", "headline_key"
        )
        for pk, legacy_id, slug, key in stories.iterator(chunk_size=5000):
            if legacy_id:
                self.legacy_ids.add(legacy_id)
            self.slugs.add(slug)
            self.titles[key] = pk  # in descending order: the oldest story wins
        self.pending = set(CrossLink.objects.pending().values_list("title_key", flat=True))

    # --- staging ---------------------------------------------------------------

    def stage(self, change: Callable[[], object]) -> None:
        self._staged.append(change)

    def commit(self) -> None:
        for change in self._staged:
            change()
        self._staged.clear()

    def discard(self) -> None:
        self._staged.clear()

    # --- people and topics -----------------------------------------------------

    def person_id(self, name: str) -> int:
        """The pk of the person called `name` (by name or recorded alias), created if new."""
        key = name_key(name)
        pk = self.people.get(key)
        if pk is None:
            pk = Person.objects.get_or_create_by_name(name)[0].pk
            self.stage(partial(self.people.__setitem__, key, pk))
        return pk

    def record_alias(self, person_id: int, alias: str) -> None:
        """Record `alias` as a spelling of the person unless someone already has that name."""
        key = name_key(alias)
        if not key or key in self.aliases:
            return
        if PersonAlias.objects.add_unless_taken(person_id=person_id, name=alias):
            self.stage(partial(self.people.__setitem__, key, person_id))
        self.stage(partial(self.aliases.add, key))

    def topic_id(self, name: str) -> int:
        """The pk of the topic called `name` (in any case), created with its kind if new."""
        key = name.casefold()
        pk = self.topics.get(key)
        if pk is None:
            pk = Topic.objects.get_or_create_by_name(name, kind=classify_topic(name))[0].pk
            self.stage(partial(self.topics.__setitem__, key, pk))
        return pk

    # --- stories ---------------------------------------------------------------

    def may_exist(self, legacy_id: str) -> bool:
        return not self.preloaded or legacy_id in self.legacy_ids

    def free_slug(self, text: str) -> str:
        """A story slug for `text` that no story uses yet."""
        if not self.preloaded:
            return unique_slug(Story.objects.all(), text, fallback="story")
        return first_free_slug(Story, text, taken=self.slugs, fallback="story")

    def targets(self, keys: Iterable[str], *, exclude: int | None) -> dict[str, int]:
        """The pk of the (oldest) story with each headline key, where there is one."""
        keys = list(keys)
        if self.preloaded:
            found = {key: self.titles[key] for key in keys if key in self.titles}
            return {key: pk for key, pk in found.items() if pk != exclude}
        rows = Story.objects.filter(headline_key__in=keys).order_by("-pk")
        if exclude is not None:
            rows = rows.exclude(pk=exclude)
        return dict(rows.values_list("headline_key", "pk"))  # later (older) rows win

    def may_have_pending(self, key: str) -> bool:
        return not self.preloaded or key in self.pending

    def story_saved(self, story: Story, *, old_key: str | None, links: list[CrossLink]) -> None:
        """Stage what a saved story changes: its id, slug, title and pending links."""
        if not self.preloaded:
            return
        key, pk, legacy_id = story.headline_key, story.pk, story.legacy_id
        if legacy_id:
            self.stage(partial(self.legacy_ids.add, legacy_id))
        self.stage(partial(self.slugs.add, story.slug))
        self.stage(partial(self.titles.setdefault, key, pk))
        self.stage(partial(self.pending.discard, key))
        self.stage(
            partial(self.pending.update, [link.title_key for link in links if not link.target_id])
        )
        if old_key and old_key != key and self.titles.get(old_key) == pk:
            self._title_left(old_key, pk)

    def _title_left(self, old_key: str, pk: int) -> None:
        """Story `pk` no longer has the title `old_key`: the next oldest story with it takes over."""
        successor = (
            Story.objects.filter(headline_key=old_key)
            .exclude(pk=pk)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if successor is None:
            self.stage(partial(self.titles.pop, old_key, None))
        else:
            self.stage(partial(self.titles.__setitem__, old_key, successor))

"""The benchmarks' synthetic archive, shaped like the real one, written in bulk.

`ensure(n)` leaves the database holding `n` published stories drawn by this
module (reusing them when a previous build of the same GENERATOR_VERSION, N
and seed is there, else emptying the database and generating): bodies of
about 900 words in 12 paragraphs, 3 topics (a country and two themes from 300
topics), 2 authors with roles and 4 quoted sources from about 5,000 people, a
lead photo of its own (rows with every rendition field and variant filled,
sharing the files of a pool of 20 real photos), 3 cross-links to earlier
stories, publication dates over 15 years, and the full-text index
(articles.search_index.refresh). Everything goes in with bulk_create.

Import it once Django is set up: bench/site_bench.py, search_bench.py,
site_http.py and the CI bench test (bench/test_bench_pages.py) all do.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import sys
import time
from array import array
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from people_pool import DESCRIPTIONS, FIRST, LAST, ROLES  # bench/ is on sys.path
from PIL import Image

from articles import search, search_index
from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, TaggedStory, Topic
from newsroom.text import name_key, normalise_title
from people.models import Person

# Raise it whenever a change alters the archive a seed gives: kept archives
# of an older version are rebuilt, never reused.
GENERATOR_VERSION = 2
META_TABLE = "bench_corpus"

BATCH = 2000
PEOPLE = 5000
AUTHOR_POOL = 150  # of PEOPLE; the others are quoted
AUTHORS_PER_STORY = 2
SOURCES_PER_STORY = 4
LINKS_PER_STORY = 3
PHOTO_POOL = 20
YEARS = 15
TOPICS = 300  # the countries and THEME_COUNT themes
SEARCH_WORD = "election"  # in the stories of the "Elections" themes: about a tenth of them

COUNTRIES = (
    "Kazakhstan Kyrgyzstan Uzbekistan Tajikistan Afghanistan Georgia Armenia Azerbaijan "
    "Turkmenistan Russia Ukraine Iran"
).split()
# Skewed like a real archive: the biggest country has about 30% of the stories.
COUNTRY_WEIGHTS = (30, 16, 12, 9, 7, 6, 5, 4, 4, 3, 2, 2)
THEME_COUNT = TOPICS - len(COUNTRIES)

PLACES = (
    "Almaty Bishkek Dushanbe Tashkent Ashgabat Kabul Tbilisi Yerevan Baku Osh Khujand Astana "
    "Samarkand Herat Batumi Gyumri Ganja Karaganda Jalalabad Namangan"
).split()
NOUNS = (
    "officials workers courts parliament residents farmers teachers doctors students migrants "
    "journalists activists police voters miners traders pensioners refugees villagers lawyers"
).split()
VERBS = (
    "protest against,question,fear,welcome,challenge,ignore,debate,reject,count the cost of,"
    "prepare for,face,defy,criticise,await,resist"
).split(",")
OBJECTS = (
    "new taxes,water shortages,the election result,border closures,rising prices,"
    "the media law,school reforms,land sales,power cuts,the gas deal,labour quotas,"
    "the amnesty,court rulings,pension cuts,mine closures,the census,visa rules,"
    "the cotton harvest,road tolls,hospital fees"
).split(",")
# Body text: sentences of general news words, and, in a quarter of them, words
# of one of the story's themes, so that a search for a theme's word ("election")
# matches about as many stories as its themes have, not every story.
GENERAL_WORDS = (
    "the a of and to in for on with that by from at as was were is are has have had will would "
    "could said says told explained added noted warned insisted denied confirmed announced "
    "promised refused official officials authorities government ministry region district "
    "province village town city capital residents local national people families children "
    "community leaders year years month months week weeks day days last next first second new "
    "old recent current former latest many few some most several million thousand hundred per "
    "cent increase decrease rise fall problem problems situation conditions change changes plan "
    "plans project programme policy decision decisions agreement deal talks meeting report "
    "reports data figures survey experts analysts observers critics supporters complained "
    "country countries international foreign neighbouring winter summer spring autumn"
).split()
# The 16 subjects; each theme is one of them, alone or "in" a place, and
# borrows its words.
THEME_WORDS = {
    "Politics": "president parliament deputies minister opposition party coalition decree cabinet",
    "Elections": "election elections vote voters ballot candidates polling campaign turnout",
    "Human Rights": "rights activists detained torture prisoners ombudsman abuses custody",
    "Media": "journalists newspaper television editor website blocked censorship broadcaster",
    "Economy": "prices inflation budget debt loans bank investment market currency exports",
    "Health": "hospital clinic doctors patients vaccine medicine nurses epidemic treatment",
    "Labour": "workers wages strike unions factory employers salaries unemployment contracts",
    "Environment": "pollution water drought glaciers emissions dam forests waste river climate",
    "Migration": "migrants remittances labourers deportation passports border visas diaspora",
    "Energy": "electricity gas oil pipeline power blackouts hydropower tariffs coal grid",
    "Corruption": "bribes embezzlement graft prosecutors kickbacks scandal tender fraud",
    "Conflict": "ceasefire soldiers shelling troops casualties refugees clashes militants",
    "Religion": "mosque church clergy believers imams worship faith religious sermons pilgrims",
    "Education": "schools teachers students university exams textbooks tuition classrooms",
    "Women": "women girls violence marriage equality mothers domestic abuse shelters",
    "Justice": "court judge trial lawyers verdict sentence appeal acquitted hearing",
}
SUBJECTS = tuple(THEME_WORDS)


def theme_names() -> list[tuple[str, str]]:
    """THEME_COUNT (name, subject) pairs: the subjects, then each subject in each place."""
    themes = [(subject, subject) for subject in SUBJECTS]
    themes += [(f"{s} in {p}", s) for p in PLACES for s in SUBJECTS]
    return themes[:THEME_COUNT]


def person_names(rng: random.Random) -> list[str]:
    """PEOPLE distinct names: first and last, some with a middle initial."""
    plain = [f"{first} {last}" for first in FIRST for last in LAST]
    initialled = [
        f"{first} {initial}. {last}" for first in FIRST for last in LAST for initial in "AMS"
    ]
    names = plain + rng.sample(initialled, PEOPLE - len(plain))
    rng.shuffle(names)
    return names


# --- The pools: topics, people, photos -------------------------------------


def make_topics() -> tuple[list[int], list[tuple[int, str]]]:
    """The countries' pks, and the themes' (pk, subject), in the order of their weights."""
    countries = Topic.objects.bulk_create(
        [Topic(name=name, slug=slugify(name), kind=Topic.Kind.COUNTRY) for name in COUNTRIES]
    )
    named = theme_names()
    themes = Topic.objects.bulk_create(
        [Topic(name=name, slug=slugify(name), kind=Topic.Kind.THEME) for name, _ in named]
    )
    pks = dict(Topic.objects.values_list("name", "pk"))
    assert all(t.name in pks for t in countries + themes)
    return [pks[name] for name in COUNTRIES], [(pks[name], subject) for name, subject in named]


def make_people(rng: random.Random) -> tuple[list[int], dict[int, str]]:
    """PEOPLE people: their pks in order, and their names by pk."""
    Person.objects.bulk_create(
        [
            Person(name=name, name_key=name_key(name), slug=slugify(name))
            for name in person_names(rng)
        ],
        batch_size=1000,
    )
    return (
        list(Person.objects.order_by("pk").values_list("pk", flat=True)),
        dict(Person.objects.values_list("pk", "name")),
    )


def photo_bytes(index: int) -> bytes:
    """A real 1600×1000 JPEG: a gradient tinted differently for each photo."""
    gradient = Image.linear_gradient("L").resize((1600, 1000))
    tint = Image.new("RGB", (1600, 1000), ((index * 53) % 256, (index * 97) % 256, 140))
    image = Image.composite(tint, Image.new("RGB", (1600, 1000), (20, 30, 40)), gradient)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_photos() -> list[Photo]:
    """PHOTO_POOL photos, saved through the model so that each gets real renditions."""
    return [
        Photo.objects.create(
            image=SimpleUploadedFile(f"lead-{i}.jpg", photo_bytes(i), content_type="image/jpeg"),
            caption=f"A street in {PLACES[i % len(PLACES)]} last winter.",
            credit="IWPR",
            alt_text=f"A street in {PLACES[i % len(PLACES)]}",
        )
        for i in range(PHOTO_POOL)
    ]


PHOTO_COPIED = (
    "image width height rendition rendition_width rendition_height thumbnail thumbnail_width "
    "thumbnail_height credit focal_x focal_y variants"
).split()


def photo_like(model: Photo, caption: str) -> Photo:
    """A photo row of its own that shares `model`'s files (originals and renditions)."""
    photo = Photo(caption=caption, alt_text=caption)
    for field in PHOTO_COPIED:
        setattr(photo, field, getattr(model, field))
    return photo


# --- Drawing the stories ---------------------------------------------------


def headline_of(index: int, seed: int) -> str:
    """Story `index`'s headline, the same each time it is asked for (cross-links need it)."""
    rng = random.Random(index * 1_000_003 + seed)
    return (
        f"{rng.choice(PLACES)} {rng.choice(NOUNS).title()} {rng.choice(VERBS).title()} "
        f"{rng.choice(OBJECTS).title()}"
    )


def sentence_pool(rng: random.Random, size: int, theme_words: str = "") -> list[str]:
    """Sentences of 12 to 20 general words; with `theme_words`, three of them from those."""
    extra = theme_words.split()
    pool = []
    for _ in range(size):
        words = rng.choices(GENERAL_WORDS, k=rng.randint(12, 20))
        for position in rng.sample(range(len(words)), 3 if extra else 0):
            words[position] = rng.choice(extra)
        words[0] = words[0].capitalize()
        pool.append(" ".join(words) + ".")
    return pool


@dataclass
class StoryRows:
    """One story, not yet saved, and what write_batch() saves with it."""

    story: Story
    photo: Photo
    authors: list[tuple[int, str]]  # (person pk, role)
    sources: list[tuple[int, str]]  # (person pk, description)
    topics: tuple[int, int, int]  # a country's and two themes' topic pks
    targets: dict[str, tuple[int, str]]  # title key: (earlier story's index, its title)


@dataclass
class Pools:
    countries: list[int]
    themes: list[tuple[int, str]]  # (pk, subject)
    person_pks: list[int]
    name_by_pk: dict[int, str]
    photos: list[Photo]


class StoryMaker:
    """Draws the stories one by one from the pools of people, topics, photos and sentences.

    Every draw comes from the one generator, in a fixed order: for each story
    its date, sources, authors, cross-links, topics, paragraphs, standfirst
    and photo. Changing that order changes the archive a seed gives (raise
    GENERATOR_VERSION).
    """

    def __init__(self, n: int, seed: int, rng: random.Random, pools: Pools) -> None:
        self.n, self.seed, self.rng, self.pools = n, seed, rng, pools
        self.country_cum = list(accumulate(COUNTRY_WEIGHTS))
        # Themes from very common to rare (weights 1/(rank+4)).
        self.theme_cum = list(accumulate(1 / (rank + 4) for rank in range(len(pools.themes))))
        self.authors = pools.person_pks[:AUTHOR_POOL]
        self.sources = pools.person_pks[AUTHOR_POOL:]
        # A few people are quoted very often, most rarely (weights 1/(rank+50)).
        self.source_cum = list(accumulate(1 / (rank + 50) for rank in range(len(self.sources))))
        self.author_cum = list(accumulate(1 / (rank + 20) for rank in range(len(self.authors))))
        self.sentences = sentence_pool(rng, 20_000)
        self.subject_sentences = {
            subject: sentence_pool(rng, 1000, words) for subject, words in THEME_WORDS.items()
        }
        now = timezone.now().replace(microsecond=0)
        self.end = now - datetime.timedelta(days=1)
        self.span = datetime.timedelta(days=round(365.25 * YEARS)).total_seconds()
        self.start = self.end - datetime.timedelta(seconds=self.span)
        self.jitter = 3 * 86400  # publication dates wander ±3 days around the id order
        # Link only to stories surely published earlier.
        self.window = int(n * 2 * self.jitter / self.span) + 1

    def story(self, i: int) -> StoryRows:
        """Story `i` (from 0) of the archive."""
        rng = self.rng
        headline = headline_of(i, self.seed)
        published_at = self.published_at(i)
        sources = self.quoted_sources()
        authors = self.bylines()
        targets = self.link_targets(i)
        country, theme_a, theme_b = self.topics()
        subjects = (theme_a[1], theme_b[1])
        body = self.body(subjects, sources, targets)
        standfirst = rng.choice(self.subject_sentences[subjects[0]])
        photo = photo_like(rng.choice(self.pools.photos), f"{headline}: the scene.")
        story = Story(
            headline=headline,
            headline_key=normalise_title(headline),
            slug=f"{slugify(headline)[:240]}-{i + 1}",
            standfirst=standfirst,
            body=body,
            status=Story.Status.PUBLISHED,
            published_at=published_at,
            language="en",
        )
        return StoryRows(story, photo, authors, sources, (country, theme_a[0], theme_b[0]), targets)

    def published_at(self, i: int) -> datetime.datetime:
        """In index order over the YEARS, give or take the jitter, and never after `end`."""
        offset = self.span * (i + 0.5) / self.n + self.rng.uniform(-self.jitter, self.jitter)
        return min(self.end, self.start + datetime.timedelta(seconds=int(offset)))

    def _distinct(
        self, count: int, pool: list[int], cum: list[float], texts: tuple[str, ...]
    ) -> list[tuple[int, str]]:
        """`count` different people of `pool`, drawn by weight, each with one of `texts`."""
        rng = self.rng
        chosen: dict[int, str] = {}
        while len(chosen) < count:
            pk = rng.choices(pool, cum_weights=cum)[0]
            if pk not in chosen:
                chosen[pk] = rng.choice(texts)
        return list(chosen.items())

    def quoted_sources(self) -> list[tuple[int, str]]:
        return self._distinct(SOURCES_PER_STORY, self.sources, self.source_cum, DESCRIPTIONS)

    def bylines(self) -> list[tuple[int, str]]:
        return self._distinct(AUTHORS_PER_STORY, self.authors, self.author_cum, ROLES)

    def link_targets(self, i: int) -> dict[str, tuple[int, str]]:
        """Up to LINKS_PER_STORY stories published before story `i`, by their titles' keys."""
        rng = self.rng
        targets: dict[str, tuple[int, str]] = {}
        if i - self.window >= LINKS_PER_STORY:
            for _ in range(10):
                if len(targets) == LINKS_PER_STORY:
                    break
                if rng.random() < 0.5:  # a recent story, else any earlier one
                    j = rng.randrange(max(0, i - self.window - 3000), i - self.window)
                else:
                    j = rng.randrange(0, i - self.window)
                title = headline_of(j, self.seed)
                targets.setdefault(normalise_title(title), (j, title))
        return targets

    def topics(self) -> tuple[int, tuple[int, str], tuple[int, str]]:
        """A country and two different themes, each drawn by its weight."""
        rng = self.rng
        country = rng.choices(self.pools.countries, cum_weights=self.country_cum)[0]
        theme_a = rng.choices(self.pools.themes, cum_weights=self.theme_cum)[0]
        theme_b = theme_a
        while theme_b == theme_a:
            theme_b = rng.choices(self.pools.themes, cum_weights=self.theme_cum)[0]
        return country, theme_a, theme_b

    def body(
        self,
        subjects: tuple[str, str],
        sources: list[tuple[int, str]],
        targets: dict[str, tuple[int, str]],
    ) -> str:
        """12 paragraphs; from the second, one per source quotes it; the fifth links."""
        rng = self.rng
        themed = self.subject_sentences[subjects[0]] + self.subject_sentences[subjects[1]]
        paragraphs = []
        for p in range(12):
            text = " ".join([*rng.choices(self.sentences, k=3), rng.choice(themed)])
            if 1 <= p <= len(sources):
                pk, description = sources[p - 1]
                person = self.pools.name_by_pk[pk]
                text += (
                    f" “{rng.choice(self.sentences)[:-1]},” said {person}, {description}."
                    f" {person.split()[-1]} added that {rng.choice(self.sentences).lower()}"
                )
            if p == 4 and targets:
                text += f" (See {', '.join(t for _, t in targets.values())}.)"
            paragraphs.append(f"<p>{text}</p>")
        return "\n".join(paragraphs)


# --- Writing ---------------------------------------------------------------


def write_batch(batch: list[StoryRows], first: int, pks: array[int]) -> Counter[str]:
    """Save a batch of stories, from story `first` on, and their rows in one transaction.

    Records each story's pk in `pks` for the cross-links of the stories after
    it, and returns how many rows of each kind it saved.
    """
    with transaction.atomic():
        photos = Photo.objects.bulk_create([rows.photo for rows in batch])
        for rows, photo in zip(batch, photos, strict=True):
            rows.story.lead_photo_id = photo.pk
        Story.objects.bulk_create([rows.story for rows in batch])
        for i, rows in enumerate(batch, start=first):
            pks[i] = rows.story.pk
        bylines = [
            Byline(story=rows.story, person_id=pk, role=role, position=position)
            for rows in batch
            for position, (pk, role) in enumerate(rows.authors)
        ]
        quoted = [
            QuotedSource(story=rows.story, person_id=pk, description=text, position=position)
            for rows in batch
            for position, (pk, text) in enumerate(rows.sources)
        ]
        tagged = [
            TaggedStory(content_object_id=rows.story.pk, tag_id=t)
            for rows in batch
            for t in rows.topics
        ]
        links = [
            CrossLink(
                source_id=rows.story.pk, title=title, title_key=key, target_id=pks[j], position=p
            )
            for rows in batch
            for p, (key, (j, title)) in enumerate(rows.targets.items())
        ]
        Byline.objects.bulk_create(bylines)
        QuotedSource.objects.bulk_create(quoted)
        TaggedStory.objects.bulk_create(tagged)
        CrossLink.objects.bulk_create(links)
    return Counter(
        photos=len(photos),
        bylines=len(bylines),
        sources=len(quoted),
        topics=len(tagged),
        links=len(links),
    )


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def generate(n: int, seed: int) -> None:
    """Fill the empty database with `n` stories and the people, topics and photos they use."""
    rng = random.Random(seed)
    started = time.perf_counter()
    countries, themes = make_topics()
    person_pks, name_by_pk = make_people(rng)
    pools = Pools(countries, themes, person_pks, name_by_pk, make_photos())
    say(
        f"  {len(person_pks)} people, {len(countries) + len(themes)} topics, "
        f"{PHOTO_POOL} photos with renditions in {time.perf_counter() - started:.1f} s"
    )
    maker = StoryMaker(n, seed, rng, pools)
    pks = array("q", bytes(8 * n))  # by story index
    counts: Counter[str] = Counter()
    for batch_start in range(0, n, BATCH):
        batch_end = min(n, batch_start + BATCH)
        counts.update(
            write_batch([maker.story(i) for i in range(batch_start, batch_end)], batch_start, pks)
        )
        if (batch_end // BATCH) % 10 == 0 or batch_end == n:
            elapsed = time.perf_counter() - started
            say(f"  {batch_end} stories, {elapsed:.0f} s ({batch_end / elapsed:.0f}/s)")
    say(
        f"  rows: {n} stories, {counts['photos']} lead photos, {counts['bylines']} bylines, "
        f"{counts['sources']} quoted sources, {counts['topics']} topic taggings, "
        f"{counts['links']} cross-links"
    )


def build_index() -> None:
    """The full-text index of every story, in batches (bulk_create sent no signals)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
    ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    # SQLite writes one at a time; other connections would not see the rows
    # of a transaction still open (the CI bench's test).
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        for batch in batches:
            search_index.refresh(batch)
        return
    # PostgreSQL's to_tsvector over the bodies is most of the build: one
    # connection per CPU shares it out.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(_index_batch, batches))


def _index_batch(ids: list[int]) -> None:
    try:
        search_index.refresh(ids)
    finally:
        connections.close_all()  # this thread's connection


def after_load(*, analyze_sqlite: bool = False) -> None:
    """Statistics as a running site would have them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Autovacuum would do this within minutes of a bulk load.
            cursor.execute("VACUUM ANALYZE")
        elif analyze_sqlite:
            cursor.execute("ANALYZE")


# --- Reuse -----------------------------------------------------------------


def built_as() -> tuple[int, int, int] | None:
    """(version, stories, seed) of the archive the database holds, if it was finished."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} "
            "(version integer NOT NULL, stories integer NOT NULL, seed integer NOT NULL)"
        )
        cursor.execute(f"SELECT version, stories, seed FROM {META_TABLE}")
        row = cursor.fetchone()
    return tuple(row) if row else None


def mark_built(version: int | None, n: int, seed: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {META_TABLE}")
        if version is not None:
            cursor.execute(f"INSERT INTO {META_TABLE} VALUES (%s, %s, %s)", [version, n, seed])


def ensure(n: int, seed: int = 1, *, quiet: bool = False) -> bool:
    """Leave `n` stories of this generator in the (migrated) database. True if it built them.

    The database is emptied first unless it already holds this very archive.
    """
    name = connection.settings_dict["NAME"]
    wanted = (GENERATOR_VERSION, n, seed)
    if built_as() == wanted and Story.objects.count() == n:
        if not quiet:
            say(f"reusing the {n} stories of generator v{GENERATOR_VERSION} in {name}")
        return False
    mark_built(None, n, seed)  # a build cut short is never reused
    call_command("flush", interactive=False, verbosity=0)
    say(f"generating {n} stories (generator v{GENERATOR_VERSION}, seed {seed}) in {name}")
    started = time.perf_counter()
    generate(n, seed)
    generated = time.perf_counter()
    build_index()
    indexed = time.perf_counter()
    after_load()
    mark_built(GENERATOR_VERSION, n, seed)
    say(
        f"built in {time.perf_counter() - started:.1f} s: rows {generated - started:.1f} s "
        f"({n / (generated - started):.0f} stories/s), search index {indexed - generated:.1f} s, "
        f"statistics {time.perf_counter() - indexed:.1f} s"
    )
    return True

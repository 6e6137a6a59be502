"""Benchmark of the public pages and the editors' admin on a large synthetic archive.

    make bench-site                                   # 100,000 stories, temporary SQLite
    .venv/bin/python bench/site_bench.py --stories 20000
    .venv/bin/python bench/site_bench.py --database-url sqlite:////tmp/bench100k.sqlite3 --keep
    .venv/bin/python bench/site_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench --keep

Sets Django up by itself (DEBUG off, its own SECRET_KEY, static files collected
into a temporary folder as in production), fills a database of its own with N
published stories written straight with bulk_create — bodies of about 900
words in a dozen paragraphs, one or two bylines, three or four quoted sources
from a pool of 2,000 people, a country and two themes, two cross-links to
earlier stories, a lead photo from a pool of 20 real ones on most stories,
publication dates over 15 years — then requests each page in-process with
django.test.Client: one warm-up request, one whose SQL is captured (query
count, slowest query), then --repeat timed ones. Prints a Markdown table.

The database must be one of its own: a PostgreSQL database whose name contains
"bench" (created if missing), or a SQLite file that is not the project's
db.sqlite3; whatever it holds is flushed before generating. With --keep the
data stays for the next run, which skips generation when it finds N stories.

Not a test: the figures depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from people_pool import DESCRIPTIONS, FIRST, LAST, ROLES  # bench/ is on sys.path

# Django and the project's modules are imported inside the functions that use
# them: the settings read the environment that prepare_database() and
# setup_django() set, so nothing may load them before main() has called those.
if TYPE_CHECKING:
    from django.db.models import QuerySet

    from articles.models import Story, Topic

BASE_DIR = Path(__file__).resolve().parent.parent

BATCH = 2000
SOURCE_POOL = 2000
AUTHOR_POOL = 150
PHOTO_POOL = 20
YEARS = 15
TOPIC_DEPTH = 10_000  # the deep topic page starts after this many stories (page 501)
SEARCH_WORD = "election"

Page = tuple[str, str, bool]  # label, url, requested as the editor?

COUNTRIES = (
    "Kazakhstan Kyrgyzstan Uzbekistan Tajikistan Afghanistan Georgia Armenia Azerbaijan "
    "Turkmenistan Russia Ukraine Iran"
).split()
# Skewed like a real archive: the biggest country has about 30% of the stories.
COUNTRY_WEIGHTS = (30, 16, 12, 9, 7, 6, 5, 4, 4, 3, 2, 2)
THEMES = (
    "Politics",
    "Elections",
    "Human Rights",
    "Media",
    "Economy",
    "Health",
    "Labour",
    "Environment",
    "Migration",
    "Energy",
    "Corruption",
    "Conflict",
    "Religion",
    "Education",
    "Women",
    "Justice",
)
THEME_WEIGHTS = (16, 12, 11, 10, 9, 8, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2)

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
# matches about as many stories as that theme has, not every story.
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


# --- Environment -----------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000, help="How many stories (100000).")
    parser.add_argument(
        "--database-url",
        help="Where to put them (default: a temporary SQLite file). A PostgreSQL database's "
        "name must contain 'bench'; it is created if missing.",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="Keep the data; a later run that finds N stories skips generation.",
    )
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page (20).")
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="Stop timing a page after this many seconds, once it has 3 samples (120).",
    )
    parser.add_argument(
        "--explain",
        type=float,
        metavar="MS",
        help="Print the query plan of each page's slowest query if it took at least MS ms.",
    )
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="Run ANALYZE on SQLite after generating (the site itself never does).",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.stories < 100:
        parser.error("--stories must be at least 100")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def prepare_database(args) -> dict:
    """Point DATABASE_URL at the benchmark's own database, creating it if need be.

    Returns what cleanup needs: the temporary folder, and the PostgreSQL
    database or SQLite file this run created.
    """
    import dj_database_url

    state: dict[str, Any] = {"tempdir": None, "created_pg": None, "created_file": None, "pg": None}
    url = args.database_url
    if not url:
        tempdir = Path(tempfile.mkdtemp(prefix="site-bench-"))
        state["tempdir"] = tempdir
        url = f"sqlite:///{tempdir / 'bench.sqlite3'}"
        media = tempdir / "media"
    else:
        config = dj_database_url.parse(url)
        name = config["NAME"]
        if config["ENGINE"] == "django.db.backends.sqlite3":
            path = Path(name).resolve()
            if path == (BASE_DIR / "db.sqlite3").resolve() or name == ":memory:":
                sys.exit(f"refusing to use {name}: the benchmark needs a database of its own")
            if not path.exists():
                state["created_file"] = path
            media = path.with_name(path.name + ".media")
        elif config["ENGINE"] == "django.db.backends.postgresql":
            if "bench" not in name or name == "newsroom":
                sys.exit(
                    f"refusing to use database {name!r}: the benchmark empties the database "
                    "it is given, so its name must contain 'bench'"
                )
            if create_pg_database(config):
                state["created_pg"] = config
            state["pg"] = config
            media = Path(tempfile.gettempdir()) / f"site-bench-media-{name}"
        else:
            sys.exit(f"unsupported database: {config['ENGINE']}")
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(media)
    # The photos' originals beside their renditions, never in the checkout.
    os.environ["ORIGINALS_ROOT"] = f"{media}-originals"
    return state


def pg_connect(config, dbname):
    import psycopg2

    return psycopg2.connect(
        dbname=dbname,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )


def create_pg_database(config) -> bool:
    """Create the PostgreSQL database if it does not exist. True if this created it."""
    from psycopg2 import sql

    conn = pg_connect(config, "postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            sys.stdout.write(f"created database {config['NAME']}\n")
            return True
    finally:
        conn.close()


def drop_pg_database(config) -> None:
    from psycopg2 import sql

    conn = pg_connect(config, "postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(config["NAME"])))
    finally:
        conn.close()


def setup_django(static_root: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    # Production settings: DEBUG off, manifest static files; but no HTTPS
    # redirect or secure-only cookies, which the test client does not speak.
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = "site-bench-" + "x" * 50
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["SECURE_HSTS_SECONDS"] = "0"
    os.environ["STATIC_ROOT"] = str(static_root)
    os.environ["LOG_LEVEL"] = "ERROR"
    # Pages are timed as rendered; the page cache's hits are timed apart.
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()


# --- Generation ------------------------------------------------------------


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


def photo_bytes(index: int) -> bytes:
    """A real 1600×1000 JPEG: a gradient tinted differently for each photo."""
    import io

    from PIL import Image

    gradient = Image.linear_gradient("L").resize((1600, 1000))
    tint = Image.new("RGB", (1600, 1000), ((index * 53) % 256, (index * 97) % 256, 140))
    image = Image.composite(tint, Image.new("RGB", (1600, 1000), (20, 30, 40)), gradient)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_topics() -> tuple[list[int], list[int]]:
    """The countries and the themes, as topic pks in the order of COUNTRIES and THEMES."""
    from articles.models import Topic

    countries = [Topic.objects.create(name=name, kind=Topic.Kind.COUNTRY).pk for name in COUNTRIES]
    themes = [Topic.objects.create(name=name, kind=Topic.Kind.THEME).pk for name in THEMES]
    return countries, themes


def make_people(rng: random.Random) -> tuple[list[int], dict[int, str]]:
    """AUTHOR_POOL + SOURCE_POOL people of distinct names: their pks in order, names by pk."""
    from django.utils.text import slugify

    from newsroom.text import name_key
    from people.models import Person

    names = [f"{first} {last}" for first in FIRST for last in LAST]
    rng.shuffle(names)
    names = names[: SOURCE_POOL + AUTHOR_POOL]
    Person.objects.bulk_create(
        [Person(name=name, name_key=name_key(name), slug=slugify(name)) for name in names],
        batch_size=500,
    )
    person_pks = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    return person_pks, dict(Person.objects.values_list("pk", "name"))


def make_photos() -> list[int]:
    """PHOTO_POOL photos, saved through the model so that each gets real renditions."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import Photo

    photos = []
    for i in range(PHOTO_POOL):
        photo = Photo.objects.create(
            image=SimpleUploadedFile(f"lead-{i}.jpg", photo_bytes(i), content_type="image/jpeg"),
            caption=f"A street in {PLACES[i % len(PLACES)]} last winter.",
            credit="IWPR",
            alt_text=f"A street in {PLACES[i % len(PLACES)]}",
        )
        photos.append(photo.pk)
    return photos


@dataclass
class StoryRows:
    """One story, not yet saved, and what write_batch() saves with it."""

    story: Story
    authors: list[tuple[int, str]]  # (person pk, role)
    sources: list[tuple[int, str]]  # (person pk, description)
    topics: tuple[int, int, int]  # a country's and two themes' topic pks
    targets: dict[str, tuple[int, str]]  # title key: (earlier story's index, its title)


class StoryMaker:
    """Draws the stories one by one from the pools of people, topics, photos and sentences.

    Every draw comes from the one generator, in a fixed order: for each story
    its date, sources, authors, cross-links, topics, paragraphs, standfirst
    and photo. Changing that order changes the archive a seed gives.
    """

    def __init__(
        self,
        n: int,
        seed: int,
        rng: random.Random,
        *,
        countries: list[int],
        themes: list[int],
        person_pks: list[int],
        name_by_pk: dict[int, str],
        photos: list[int],
    ) -> None:
        from django.utils import timezone

        self.n, self.seed, self.rng = n, seed, rng
        self.countries, self.themes, self.photos = countries, themes, photos
        self.country_cum = list(accumulate(COUNTRY_WEIGHTS))
        self.theme_cum = list(accumulate(THEME_WEIGHTS))
        self.name_by_pk = name_by_pk
        self.authors = person_pks[:AUTHOR_POOL]
        self.sources = person_pks[AUTHOR_POOL:]
        # A few people are quoted very often, most rarely (weights 1/(rank+50)).
        self.source_cum = list(accumulate(1 / (rank + 50) for rank in range(len(self.sources))))
        self.author_cum = list(accumulate(1 / (rank + 20) for rank in range(len(self.authors))))
        self.sentences = sentence_pool(rng, 20_000)
        self.theme_sentences = {
            pk: sentence_pool(rng, 1000, THEME_WORDS[name])
            for pk, name in zip(self.themes, THEMES, strict=True)
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
        from django.utils.text import slugify

        from articles.models import Story
        from newsroom.text import normalise_title

        rng = self.rng
        headline = headline_of(i, self.seed)
        published_at = self.published_at(i)
        sources = self.quoted_sources()
        authors = self.bylines()
        targets = self.link_targets(i)
        country, theme_a, theme_b = self.topics()
        body = self.body((theme_a, theme_b), sources, targets)
        standfirst = rng.choice(self.theme_sentences[theme_a])
        lead_photo = rng.choice(self.photos) if rng.random() < 0.6 else None
        story = Story(
            headline=headline,
            headline_key=normalise_title(headline),
            slug=f"{slugify(headline)[:240]}-{i + 1}",
            standfirst=standfirst,
            body=body,
            status=Story.Status.PUBLISHED,
            published_at=published_at,
            language="en",
            lead_photo_id=lead_photo,
        )
        return StoryRows(story, authors, sources, (country, theme_a, theme_b), targets)

    def published_at(self, i: int) -> datetime.datetime:
        """In index order over the YEARS, give or take the jitter, and never after `end`."""
        offset = self.span * (i + 0.5) / self.n + self.rng.uniform(-self.jitter, self.jitter)
        return min(self.end, self.start + datetime.timedelta(seconds=int(offset)))

    def quoted_sources(self) -> list[tuple[int, str]]:
        """Three or four different people, each with a description."""
        rng = self.rng
        people: set[int] = set()
        sources: list[tuple[int, str]] = []
        # The bound is drawn anew at every test, as it always was: seeds' archives rely on it.
        while len(sources) < rng.choice((3, 4)):
            pk = rng.choices(self.sources, cum_weights=self.source_cum)[0]
            if pk not in people:
                people.add(pk)
                sources.append((pk, rng.choice(DESCRIPTIONS)))
        return sources

    def bylines(self) -> list[tuple[int, str]]:
        """An author and role; for a third of stories a second draw, dropped if the same."""
        rng = self.rng
        authors: list[tuple[int, str]] = []
        for _ in range(rng.choice((1, 1, 2))):
            pk = rng.choices(self.authors, cum_weights=self.author_cum)[0]
            if pk not in {a for a, _ in authors}:
                authors.append((pk, rng.choice(ROLES)))
        return authors

    def link_targets(self, i: int) -> dict[str, tuple[int, str]]:
        """Up to two stories published before story `i`, by the key of their titles."""
        from newsroom.text import normalise_title

        rng = self.rng
        targets: dict[str, tuple[int, str]] = {}
        if i - self.window >= 2:
            for _ in range(10):
                if len(targets) == 2:
                    break
                if rng.random() < 0.5:  # a recent story, else any earlier one
                    j = rng.randrange(max(0, i - self.window - 3000), i - self.window)
                else:
                    j = rng.randrange(0, i - self.window)
                title = headline_of(j, self.seed)
                targets.setdefault(normalise_title(title), (j, title))
        return targets

    def topics(self) -> tuple[int, int, int]:
        """A country and two different themes, each drawn by its weight."""
        rng = self.rng
        country = rng.choices(self.countries, cum_weights=self.country_cum)[0]
        theme_a = rng.choices(self.themes, cum_weights=self.theme_cum)[0]
        theme_b = theme_a
        while theme_b == theme_a:
            theme_b = rng.choices(self.themes, cum_weights=self.theme_cum)[0]
        return country, theme_a, theme_b

    def body(
        self,
        themes: tuple[int, int],
        sources: list[tuple[int, str]],
        targets: dict[str, tuple[int, str]],
    ) -> str:
        """11 to 13 paragraphs; from the second, one per source quotes it; the fifth links."""
        rng = self.rng
        themed = self.theme_sentences[themes[0]] + self.theme_sentences[themes[1]]
        paragraphs = []
        for p in range(rng.randint(11, 13)):
            text = " ".join([*rng.choices(self.sentences, k=3), rng.choice(themed)])
            if 1 <= p <= len(sources):
                pk, description = sources[p - 1]
                person = self.name_by_pk[pk]
                text += (
                    f" “{rng.choice(self.sentences)[:-1]},” said {person}, {description}."
                    f" {person.split()[-1]} added that {rng.choice(self.sentences).lower()}"
                )
            if p == 4 and targets:
                text += f" (See {' and '.join(t for _, t in targets.values())}.)"
            paragraphs.append(f"<p>{text}</p>")
        return "\n".join(paragraphs)


def write_batch(batch: list[StoryRows], first: int, pks: array[int]) -> Counter[str]:
    """Save a batch of stories, from story `first` on, and their rows in one transaction.

    Records each story's pk in `pks` for the cross-links of the stories after
    it, and returns how many bylines, sources, topics and links it saved.
    """
    from django.db import transaction

    from articles.models import Byline, CrossLink, QuotedSource, Story, TaggedStory

    with transaction.atomic():
        Story.objects.bulk_create([rows.story for rows in batch])
        for i, rows in enumerate(batch, start=first):
            pks[i] = rows.story.pk
        bylines = [
            Byline(story_id=rows.story.pk, person_id=pk, role=role, position=position)
            for rows in batch
            for position, (pk, role) in enumerate(rows.authors)
        ]
        quoted = [
            QuotedSource(story_id=rows.story.pk, person_id=pk, description=text, position=position)
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
                source_id=rows.story.pk,
                title=title,
                title_key=key,
                target_id=pks[j],
                position=position,
            )
            for rows in batch
            for position, (key, (j, title)) in enumerate(rows.targets.items())
        ]
        Byline.objects.bulk_create(bylines)
        QuotedSource.objects.bulk_create(quoted)
        TaggedStory.objects.bulk_create(tagged)
        CrossLink.objects.bulk_create(links)
    return Counter(bylines=len(bylines), sources=len(quoted), topics=len(tagged), links=len(links))


def report_progress(done: int, n: int, started: float) -> None:
    """Every tenth batch and at the end: stories so far, time, and rate."""
    if (done // BATCH) % 10 == 0 or done == n:
        elapsed = time.perf_counter() - started
        sys.stdout.write(f"  {done} stories, {elapsed:.0f} s ({done / elapsed:.0f}/s)\n")
        sys.stdout.flush()


def generate(n: int, seed: int) -> None:
    """Fill the empty database with `n` stories and the people, topics and photos they use."""
    rng = random.Random(seed)
    out = sys.stdout
    started = time.perf_counter()
    countries, themes = make_topics()
    person_pks, name_by_pk = make_people(rng)
    photos = make_photos()
    out.write(
        f"  {len(person_pks)} people, {len(countries) + len(themes)} topics, "
        f"{len(photos)} photos with renditions in {time.perf_counter() - started:.1f} s\n"
    )
    maker = StoryMaker(
        n,
        seed,
        rng,
        countries=countries,
        themes=themes,
        person_pks=person_pks,
        name_by_pk=name_by_pk,
        photos=photos,
    )
    pks = array("q", bytes(8 * n))  # by story index
    counts: Counter[str] = Counter()
    for batch_start in range(0, n, BATCH):
        batch_end = min(n, batch_start + BATCH)
        batch = [maker.story(i) for i in range(batch_start, batch_end)]
        counts.update(write_batch(batch, batch_start, pks))
        report_progress(batch_end, n, started)
    out.write(
        f"  rows: {n} stories, {counts['bylines']} bylines, {counts['sources']} quoted sources, "
        f"{counts['topics']} topic taggings, {counts['links']} cross-links\n"
    )


def after_load(connection, analyze_sqlite: bool) -> None:
    """Statistics as a running site would have them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Autovacuum would do this within minutes of a bulk load.
            cursor.execute("VACUUM ANALYZE")
        elif analyze_sqlite:
            cursor.execute("ANALYZE")


# --- Measuring -------------------------------------------------------------


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def measure(client, url: str, repeat: int, budget: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    times = []
    started = time.perf_counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        if len(times) >= 3 and time.perf_counter() - started > budget:
            break
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "max": times[-1],
        "n": len(times),
        "queries": len(queries),
        "bytes": len(response.content),
        "slowest_sql": slowest["sql"] if slowest else "",
        "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
    }


def explain(connection, sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def deep_position(count: int) -> int:
    """How many stories precede the deep page: TOPIC_DEPTH, or fewer so the page has some."""
    return max(20, min(TOPIC_DEPTH, (count - 1) // 20 * 20))


def pages_to_measure() -> list[Page]:
    """(label, url, as the editor?) for every page measured."""
    from articles.models import Story, TaggedStory

    published = Story.objects.published().order_by("-published_at", "-pk")
    total = published.count()
    middle = published[total // 2]
    topic, topic_size = largest_topic()
    in_topic = published.filter(
        pk__in=TaggedStory.objects.filter(tag=topic).values("content_object")
    )
    return [
        ("home", "/", False),
        deep_page("home", "/", published, total),
        ("story (middle of archive)", middle.get_absolute_url(), False),
        ("topic list", "/topics/", False),
        (f"topic “{topic.name}” ({topic_size} stories), page 1", topic.get_absolute_url(), False),
        deep_page(f"topic “{topic.name}”", topic.get_absolute_url(), in_topic, topic_size),
        most_quoted_page(),
        *admin_pages(middle, topic, Story.objects.count()),
    ]


def largest_topic() -> tuple[Topic, int]:
    """The topic with the most stories, and how many it has."""
    from django.db.models import Count

    from articles.models import TaggedStory, Topic

    largest = (
        TaggedStory.objects.values("tag")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("tag", "n")
        .first()
    )
    assert largest is not None, "the archive has tagged stories"
    return Topic.objects.get(pk=largest[0]), largest[1]


def deep_page(label: str, url: str, stories: QuerySet[Story], count: int) -> Page:
    """The page of `url` that a cursor starts after the first deep_position(count) `stories`."""
    from articles.views import encode_cursor

    depth = deep_position(count)
    cursor = encode_cursor(stories[depth - 1])
    return (
        f"{label}, page {depth // 20 + 1} equivalent",
        url + "?" + urlencode({"before": cursor}),
        False,
    )


def most_quoted_page() -> Page:
    """The page of the person quoted in the most stories."""
    from django.db.models import Count

    from articles.models import QuotedSource
    from people.models import Person

    quoted = QuotedSource.objects.values("person").annotate(n=Count("pk")).order_by("-n").first()
    assert quoted is not None, "the archive has quoted stories"
    person = Person.objects.get(pk=quoted["person"])
    return (f"person, most quoted ({quoted['n']} quotes)", person.get_absolute_url(), False)


def admin_pages(middle: Story, topic: Topic, story_count: int) -> list[Page]:
    """The editors' pages: story lists (first, deep, filtered, searched), a story, people, photos."""
    deep = min(500, max(1, math.ceil(story_count / 50)))
    return [
        ("admin: story changelist", "/admin/articles/story/", True),
        (f"admin: story changelist page {deep}", f"/admin/articles/story/?p={deep}", True),
        (
            f"admin: stories filtered by “{topic.name}”",
            f"/admin/articles/story/?topic={topic.pk}",
            True,
        ),
        (f"admin: story search “{SEARCH_WORD}”", f"/admin/articles/story/?q={SEARCH_WORD}", True),
        ("admin: story change page", f"/admin/articles/story/{middle.pk}/change/", True),
        ("admin: person changelist", "/admin/people/person/", True),
        ("admin: photo changelist", "/admin/articles/photo/", True),
    ]


def environment(connection, n: int) -> str:
    import django

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            analyzed = cursor.fetchone()[0]
            size_bytes = Path(connection.settings_dict["NAME"]).stat().st_size
            size = (
                f"{size_bytes / 1_048_576:.0f} MB, {'ANALYZEd' if analyzed else 'never ANALYZEd'}"
            )
    return (
        f"{version} ({size}); {n} published stories; Django {django.get_version()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, DEBUG off, "
        "in-process django.test.Client"
    )


def prepare_archive(args: argparse.Namespace) -> None:
    """Migrate and collect static files; reuse a kept archive of N stories, or generate one."""
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Story

    out = sys.stdout
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    existing = Story.objects.count()
    if args.keep and existing == args.stories:
        out.write(f"reusing the {existing} stories in {connection.settings_dict['NAME']}\n")
        if args.sqlite_analyze:
            after_load(connection, analyze_sqlite=True)
        return
    # Whatever is there (another N, a run cut short) goes.
    out.write(f"emptying {connection.settings_dict['NAME']} ({existing} stories)\n")
    call_command("flush", interactive=False, verbosity=0)
    out.write(f"generating {args.stories} stories in {connection.settings_dict['NAME']}\n")
    out.flush()
    started = time.perf_counter()
    generate(args.stories, args.seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    after_load(connection, args.sqlite_analyze)
    out.write(
        f"generation: {generated:.1f} s ({args.stories / generated:.0f} stories/s); "
        f"statistics: {time.perf_counter() - started:.1f} s\n"
    )


def measure_pages(repeat: int, budget: float) -> list[tuple[str, str, dict]]:
    """(label, url, figures) for each page, the admin's requested as the benchmark's editor."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user_model = get_user_model()
    editor = user_model.objects.filter(username="site-bench").first()
    if editor is None:
        editor = user_model.objects.create_superuser("site-bench", "bench@example.com", None)
    public, admin = Client(), Client()
    admin.force_login(editor)

    results = []
    for label, url, as_editor in pages_to_measure():
        sys.stdout.write(f"  measuring {label} … ")
        sys.stdout.flush()
        result = measure(admin if as_editor else public, url, repeat, budget)
        sys.stdout.write(f"p50 {result['p50']:.0f} ms\n")
        results.append((label, url, result))
    return results + measure_cached(public, repeat, budget)


def measure_cached(public, repeat: int, budget: float) -> list[tuple[str, str, dict]]:
    """The public pages again, as readers get them from the page cache (newsroom/caching.py)."""
    from django.test import override_settings

    results = []
    with override_settings(PAGE_CACHE_SECONDS=600):
        for label, url, as_editor in pages_to_measure():
            if as_editor:
                continue
            result = measure(public, url, repeat, budget)
            sys.stdout.write(f"  measuring {label}, cached … p50 {result['p50']:.2f} ms\n")
            results.append((f"{label}, from the page cache", url, result))
    return results


def write_report(results: list[tuple[str, str, dict]], args: argparse.Namespace) -> None:
    """The set-up, the Markdown table, each page's slowest query and, with --explain, plans."""
    from django.db import connection

    out = sys.stdout
    out.write(f"\n{environment(connection, args.stories)}\n\n")
    out.write("| page | p50 ms | p95 ms | max ms | queries | bytes |\n")
    out.write("|---|---:|---:|---:|---:|---:|\n")
    for label, _, r in results:
        shown = label if r["n"] == args.repeat else f"{label} (n={r['n']})"
        out.write(
            f"| {shown} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | "
            f"{r['queries']} | {r['bytes']:,} |\n"
        )
    out.write("\nslowest query per page (from one captured request):\n")
    for label, url, r in results:
        out.write(f"  {r['slowest_ms']:8.1f} ms  {label}  [{url}]\n")
    if args.explain is not None:
        for label, _, r in results:
            if r["slowest_sql"] and r["slowest_ms"] >= args.explain:
                out.write(f"\n### {label}: {r['slowest_ms']:.1f} ms\n{r['slowest_sql']}\n")
                out.write(explain(connection, r["slowest_sql"]) + "\n")


def clean_up(args: argparse.Namespace, state: dict) -> None:
    """Close the connection; unless --keep, remove the database and media this run created."""
    from django.db import connection

    connection.close()
    if args.keep:
        sys.stdout.write(
            f"kept {os.environ['DATABASE_URL']} (media in {os.environ['MEDIA_ROOT']})\n"
        )
        return
    if state["tempdir"]:
        shutil.rmtree(state["tempdir"], ignore_errors=True)
    if state["created_file"]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{state['created_file']}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
        shutil.rmtree(os.environ["ORIGINALS_ROOT"], ignore_errors=True)
    if state["created_pg"]:
        drop_pg_database(state["created_pg"])
        shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
        shutil.rmtree(os.environ["ORIGINALS_ROOT"], ignore_errors=True)


def main() -> int:
    args = parse_args()
    state = prepare_database(args)
    static_root = Path(tempfile.gettempdir()) / f"site-bench-static-{os.getuid()}"
    setup_django(static_root)
    try:
        prepare_archive(args)
        write_report(measure_pages(args.repeat, args.budget), args)
    finally:
        clean_up(args, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())

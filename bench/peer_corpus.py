"""The Wagtail peer's archive in the newsroom's tables, for make bench-compare.

The peer (/work/shared/bench/peers/wagtail) fills its site from its own
generator, news/synthetic.py (pure Python, seed 20240601). For both sites to
serve the same text, this module loads that very file and writes what its
`gen_stories` command writes, drawing from the generator's random stream in
the same order: the same headlines, dates, standfirsts and 12 paragraphs,
the same country and two themes of 28 topics, the same 1–2 bylines with
roles from 150 authors, the same 2 inline cross-links ("(See …)" in
paragraphs 3 and 8) and 3 related stories (here cross-links listed under
"See also"), and a lead photo row of its own per story with the peer's
caption and credit, sharing the files of 8 photos. Written in bulk, as the
peer's bulk method does, and indexed for search.

`ensure(n, synthetic)` reuses an archive of the same version and N, like
corpus.ensure(); import it once Django is set up.
"""

from __future__ import annotations

import importlib.util
import random
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import corpus
from django.core.management import call_command
from django.db import transaction
from django.utils.text import slugify

from articles.models import Byline, CrossLink, Photo, Story, TaggedStory, Topic
from newsroom.text import name_key, normalise_title
from people.models import Person

# Stored in corpus's bench_corpus table as the generator version.
VERSION = 1001
PEER_SEED = 20240601
PHOTOS = 8
COMMON_WORD = "government"  # the peer's common-word search
DEEP_PAGE = 50  # the peer's deep topic page
PER_PAGE = 20


def load_synthetic(path: Path) -> ModuleType:
    """The peer's news/synthetic.py, loaded from its file (it imports nothing of Wagtail's)."""
    spec = importlib.util.spec_from_file_location("peer_synthetic", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the peer's generator from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unique_slugs(titles: list[str]) -> list[str]:
    """The peer's slugs: the title's, then -2, -3 … for repeats."""
    seen: dict[str, int] = {}
    out = []
    for title in titles:
        base = slugify(title)[:240]
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def pick_others(rng: random.Random, count: int, own: int, k: int) -> list[int]:
    """The peer's choice of k other stories, preferring earlier ones (gen_stories.pick_others)."""
    pool = range(own) if own >= k else range(count)
    return [p for p in rng.sample(pool, min(k + 1, len(pool))) if p != own][:k]


def draw(synthetic: ModuleType, n: int) -> tuple[list[Any], list[tuple[list[int], list[int]]]]:
    """The specs, and each story's (inline link targets, related stories), as the peer draws them."""
    generator = synthetic.Generator(seed=PEER_SEED)
    specs = list(generator.stories(n))
    rng = generator.rng
    links = []
    for pos in range(n):
        inline = pick_others(rng, n, pos, 2)
        for _ in specs[pos].paragraphs:  # the peer's StreamField block ids
            rng.getrandbits(128)
        links.append((inline, pick_others(rng, n, pos, 3)))
    return specs, links


def body(spec: Any, titles: list[str], inline: list[int]) -> str:
    paragraphs = []
    for i, text in enumerate(spec.paragraphs):
        if i in spec.link_slots and inline:
            text += f" (See {titles[inline[spec.link_slots.index(i) % len(inline)]]}.)"
        paragraphs.append(f"<p>{text}</p>")
    return "\n".join(paragraphs)


def write(synthetic: ModuleType, n: int) -> None:
    specs, links = draw(synthetic, n)
    titles = [spec.title for spec in specs]
    topics = {name: pk for name, pk in _topics(synthetic).items()}
    authors = _authors(synthetic)
    pool = corpus.make_photos()[:PHOTOS]
    with transaction.atomic():
        photos = Photo.objects.bulk_create(
            [_photo(pool[spec.image_index % PHOTOS], spec) for spec in specs], batch_size=2000
        )
        stories = Story.objects.bulk_create(
            [
                _story(spec, slug, body(spec, titles, inline), photo.pk)
                for spec, slug, (inline, _), photo in zip(
                    specs, unique_slugs(titles), links, photos, strict=True
                )
            ],
            batch_size=2000,
        )
        ids = [story.pk for story in stories]
        _credits(specs, ids, authors, topics)
        _cross_links(links, ids, titles)


def _topics(synthetic: ModuleType) -> dict[str, int]:
    kinds = [(name, Topic.Kind.COUNTRY) for name in synthetic.COUNTRIES]
    kinds += [(name, Topic.Kind.THEME) for name in synthetic.THEMES]
    Topic.objects.bulk_create([Topic(name=n, slug=slugify(n), kind=k) for n, k in kinds])
    return dict(Topic.objects.values_list("name", "pk"))


def _authors(synthetic: ModuleType) -> list[int]:
    """The generator's authors, as people, their pks in its order."""
    names = synthetic.Generator(seed=PEER_SEED).authors
    Person.objects.bulk_create(
        [Person(name=name, name_key=name_key(name), slug=slugify(name)) for name in names]
    )
    by_name = dict(Person.objects.values_list("name", "pk"))
    return [by_name[name] for name in names]


def _photo(model: Photo, spec: Any) -> Photo:
    photo = corpus.photo_like(model, spec.caption)
    photo.credit = spec.credit
    return photo


def _story(spec: Any, slug: str, text: str, photo: int) -> Story:
    return Story(
        headline=spec.title,
        headline_key=normalise_title(spec.title),
        slug=slug,
        standfirst=spec.standfirst,
        body=text,
        status=Story.Status.PUBLISHED,
        published_at=spec.date,
        language="en",
        lead_photo_id=photo,
    )


def _credits(specs: list[Any], ids: list[int], authors: list[int], topics: dict) -> None:
    bylines, tagged = [], []
    for spec, pk in zip(specs, ids, strict=True):
        for position, (author, role) in enumerate(
            zip(spec.author_indexes, spec.roles, strict=True)
        ):
            bylines.append(
                Byline(story_id=pk, person_id=authors[author], role=role, position=position)
            )
        for name in [spec.country, *spec.themes]:
            tagged.append(TaggedStory(content_object_id=pk, tag_id=topics[name]))
    Byline.objects.bulk_create(bylines, batch_size=2000)
    TaggedStory.objects.bulk_create(tagged, batch_size=2000)


def _cross_links(links: list[tuple[list[int], list[int]]], ids: list[int], titles: list[str]):
    """The inline links, then the related stories, one cross-link per distinct title."""
    rows = []
    for source, (inline, related) in zip(ids, links, strict=True):
        seen: set[str] = set()
        for target in [*inline, *related]:
            key = normalise_title(titles[target])
            if key not in seen and ids[target] != source:
                seen.add(key)
                rows.append(
                    CrossLink(
                        source_id=source,
                        title=titles[target],
                        title_key=key,
                        target_id=ids[target],
                        position=len(seen) - 1,
                    )
                )
    CrossLink.objects.bulk_create(rows, batch_size=2000)


def ensure(n: int, synthetic_path: Path) -> None:
    """Leave the peer's archive of `n` stories in the (migrated) database."""
    if corpus.built_as() == (VERSION, n, PEER_SEED) and Story.objects.count() == n:
        corpus.say(f"reusing the peer's archive of {n} stories")
        return
    corpus.mark_built(None, n, PEER_SEED)
    call_command("flush", interactive=False, verbosity=0)
    corpus.say(f"loading the peer's archive of {n} stories ({synthetic_path})")
    started = time.perf_counter()
    write(load_synthetic(synthetic_path), n)
    corpus.build_index()
    corpus.after_load()
    corpus.mark_built(VERSION, n, PEER_SEED)
    corpus.say(f"built in {time.perf_counter() - started:.1f} s")


def benchmark_paths() -> dict[str, str]:
    """The peer's pages (its bench_paths command), by its names, on this site."""
    from django.db.models import Count

    from articles.views import encode_cursor

    stories = Story.objects.published()
    total = stories.count()
    article = stories.order_by("pk")[total // 2]
    busiest = (
        Topic.objects.annotate(n=Count("tagged_stories"))
        .order_by("-n", "slug")
        .values_list("pk", "n")
        .first()
    )
    assert busiest is not None, "the archive has topics"
    topic = Topic.objects.get(pk=busiest[0])
    in_topic = stories.filed_under(topic).order_by("-published_at", "-pk")
    pages = max(1, -(-busiest[1] // PER_PAGE))
    deep = min(DEEP_PAGE, pages)
    deep_path = topic.get_absolute_url()
    if deep > 1:
        deep_path += "?before=" + encode_cursor(in_topic[(deep - 1) * PER_PAGE - 1])
    return {
        "article": article.get_absolute_url(),
        "topic_p1": topic.get_absolute_url(),
        f"topic_p{deep}": deep_path,
        "home": "/",
        "search_by_date": f"/search/?q={COMMON_WORD}&sort=newest",
        "search": f"/search/?q={COMMON_WORD}",
    }

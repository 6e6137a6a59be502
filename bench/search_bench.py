"""Benchmark of the readers' search page (/search/) on a large synthetic archive.

    .venv/bin/python bench/search_bench.py                      # 100,000 stories, temporary SQLite
    .venv/bin/python bench/search_bench.py --stories 20000
    .venv/bin/python bench/search_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench --keep

Fills the database with bench/corpus.py's archive, search index included (same
options as bench/site_bench.py: a PostgreSQL database whose name contains
"bench", or a SQLite file of its own; --keep reuses an archive), plants a rare word
("zither") in 20 stories, and requests /search/ in-process for a common word
("election", in about a sixth of the stories), the rare word and a person's
name (the most quoted source), by relevance and newest first: one warm-up,
then --repeat timed requests each. Prints p50/p95 in milliseconds and the
query count of each.

Not a test: the figures depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import site_bench  # bench/ is on sys.path

RARE_WORD = "zither"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000, help="How many stories (100000).")
    parser.add_argument("--database-url", help="As bench/site_bench.py's.")
    parser.add_argument("--keep", action="store_true", help="Keep the data for the next run.")
    parser.add_argument("--repeat", type=int, default=40, help="Timed requests per search (40).")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # What site_bench.prepare_archive() reads.
    args.sqlite_analyze, args.budget, args.explain = False, 120.0, None
    if args.stories < 100:
        parser.error("--stories must be at least 100")
    return args


def plant_rare_word() -> None:
    """The rare word in 20 stories, their index entries rewritten by the save signal."""
    from articles.models import Story

    ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
    for story in Story.objects.filter(pk__in=random.Random(7).sample(ids, 20)):
        if RARE_WORD not in story.body:
            story.body += f"<p>A {RARE_WORD} player performed.</p>"
            story.save(update_fields=["body"])


def most_quoted_name() -> str:
    from django.db.models import Count

    from articles.models import QuotedSource

    top = QuotedSource.objects.values("person__name").annotate(n=Count("pk")).order_by("-n").first()
    assert top is not None
    return str(top["person__name"])


def measure(client, params: dict[str, str], repeat: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/search/?" + urlencode(params)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Read now: each request's start empties the connection's query log.
    queries = len(captured.captured_queries)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50": site_bench.percentile(times, 0.5),
        "p95": site_bench.percentile(times, 0.95),
        "queries": queries,
        "hits": response.content.count(b'class="search-result"'),
    }


def main() -> int:
    args = parse_args()
    state = site_bench.prepare_database(args)
    site_bench.setup_django(Path(tempfile.gettempdir()) / "search-bench-static")
    try:
        site_bench.prepare_archive(args)
        plant_rare_word()
        from django.db import connection
        from django.test import Client

        client = Client()
        name = most_quoted_name()
        out = sys.stdout
        out.write(f"\n{connection.vendor}, {args.stories} stories, {args.repeat} requests each\n\n")
        out.write("| search | order | p50 ms | p95 ms | queries | results on page 1 |\n")
        out.write("|---|---|---:|---:|---:|---:|\n")
        for label, q in (("common word", "election"), ("rare word", RARE_WORD), ("name", name)):
            for order in ("relevance", "newest"):
                row = measure(client, {"q": q, "sort": order}, args.repeat)
                out.write(
                    f"| {label} ({q}) | {order} | {row['p50']:.1f} | {row['p95']:.1f} "
                    f"| {row['queries']} | {row['hits']} |\n"
                )
    finally:
        site_bench.clean_up(args, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())

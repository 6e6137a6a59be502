"""Benchmark of the public pages and the editors' admin on a large synthetic archive.

    make bench-site                                   # 100,000 stories, temporary SQLite
    .venv/bin/python bench/site_bench.py --stories 20000
    .venv/bin/python bench/site_bench.py --database-url sqlite:////tmp/bench100k.sqlite3 --keep
    .venv/bin/python bench/site_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench --keep

Sets Django up by itself (DEBUG off, its own SECRET_KEY, static files collected
into a temporary folder as in production), fills a database of its own with N
published stories from bench/corpus.py (the benchmarks' one generator, in
bulk; see its docstring for the archive's shape), then requests each page in-process with
django.test.Client: one warm-up request, one whose SQL is captured (query
count, slowest query), then --repeat timed ones. Prints a Markdown table.

The database must be one of its own: a PostgreSQL database whose name contains
"bench" (created if missing), or a SQLite file that is not the project's
db.sqlite3; whatever it holds is flushed before generating. With --keep the
data stays for the next run, which skips generation when it finds the same
archive (generator version, N and seed).

Not a test: the figures depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

# Django and the project's modules are imported inside the functions that use
# them: the settings read the environment that prepare_database() and
# setup_django() set, so nothing may load them before main() has called those.
if TYPE_CHECKING:
    from django.db.models import QuerySet

    from articles.models import Story, Topic

BASE_DIR = Path(__file__).resolve().parent.parent

TOPIC_DEPTH = 10_000  # the deep topic page starts after this many stories (page 501)

Page = tuple[str, str, bool]  # label, url, requested as the editor?


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
        ("admin: story search “election”", "/admin/articles/story/?q=election", True),
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
    import corpus  # bench/ is on sys.path; it needs Django set up
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    corpus.ensure(args.stories, args.seed)
    if args.sqlite_analyze:
        corpus.after_load(analyze_sqlite=True)


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

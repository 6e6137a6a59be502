"""The site under gunicorn, measured with the shared HTTP harness (make bench).

    make bench                                    # 100,000 stories, SQLite
    make bench N=20000
    make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench
    .venv/bin/python bench/site_http.py --stories 2000 --out /tmp/bench.json

1. Builds the archive of bench/corpus.py, or reuses it when the database holds
   the same one (generator version, N, seed). Without a DATABASE_URL it lives
   in .bench/corpus-<N>.sqlite3; a PostgreSQL database's name must
   contain "bench" (it is created if missing, emptied before a build).
2. Picks the pages (story, home, topic page 1 and at depth 10,000, person,
   topic index, search for a common word, RSS feed), requests each once in
   process to count its SQL queries, and prints the plan of each page's
   heaviest query without and with planner statistics (ANALYZE), and every
   query of any page whose plan reads more rows the larger the archive
   (bench/plan_check.py: a full scan, a range read to its end), both ways.
3. Serves the site under gunicorn with the shared settings (GUNICORN_OPTS of
   $BENCH_HARNESS/lib.sh: 2 sync workers; DEBUG off, 127.0.0.1) and runs the
   shared harness ($BENCH_HARNESS/http_bench.py: single-client p50/p95, wrk
   throughput) with the page cache off (PAGE_CACHE_SECONDS=0), then on (600),
   each on a fresh server whose workers' RSS is read as it starts, after the
   harness's run and after --rss-requests (10,000) more requests of every
   page in turn.
4. Writes one JSON file (--out) and prints a table.

SQLite is measured as the site runs it, without planner statistics (nothing
runs ANALYZE there); PostgreSQL after VACUUM ANALYZE, which autovacuum would
soon do. Not a test: figures depend on the machine and on what else it does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import plan_check  # bench/ is on sys.path
import site_bench

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / ".bench"
DEFAULT_HARNESS = "/work/shared/bench"
PAGE_CACHE_ON = 600
SEARCH_WORD = "election"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=int(env.get("N") or 100_000))
    parser.add_argument(
        "--database-url",
        default=env.get("DATABASE_URL") or None,
        help="Default: $DATABASE_URL, else .bench/corpus-<N>.sqlite3.",
    )
    parser.add_argument("--harness", default=env.get("BENCH_HARNESS") or DEFAULT_HARNESS)
    parser.add_argument(
        "--corpus",
        choices=("archive", "peer"),
        default="archive",
        help="archive: bench/corpus.py's (default); peer: the Wagtail peer's generator's, "
        "with the peer's pages (bench/peer_corpus.py, for make bench-compare).",
    )
    parser.add_argument("--out", type=Path, help="JSON results (default .bench/results/…).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per page (10).")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rss-requests", type=int, default=10_000)
    parser.add_argument(
        "--no-http", action="store_true", help="Build, count queries and plans only."
    )
    args = parser.parse_args(argv)
    if args.stories < 100:
        parser.error("--stories must be at least 100")
    harness = Path(args.harness)
    if not args.no_http and not (harness / "http_bench.py").is_file():
        parser.error(f"no http_bench.py in {harness}: set BENCH_HARNESS to the shared bench/")
    if not args.no_http and shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk): it measures throughput")
    if args.corpus == "peer" and not peer_generator(harness).is_file():
        parser.error(f"no peer generator at {peer_generator(harness)}: set BENCH_HARNESS")
    return args


def default_database_url(n: int, kind: str) -> str:
    """The kept SQLite archive of N stories (corpus.ensure rebuilds one of another version)."""
    WORK.mkdir(exist_ok=True)
    name = "corpus" if kind == "archive" else "peer-corpus"
    return f"sqlite:///{WORK / f'{name}-{n}.sqlite3'}"


def peer_generator(harness: Path) -> Path:
    return harness / "peers" / "wagtail" / "news" / "synthetic.py"


def set_up(args: argparse.Namespace) -> None:
    """Point Django at the archive's database and set it up as in production."""
    if not args.database_url:
        args.database_url = default_database_url(args.stories, args.corpus)
    site_bench.prepare_database(argparse.Namespace(database_url=args.database_url))
    site_bench.setup_django(WORK / "static")
    # As the peers and the ceilings run: persistent database connections.
    os.environ["CONN_MAX_AGE"] = "600"
    os.environ.pop("CACHE_URL", None)  # the page cache in each worker's memory


def build(args: argparse.Namespace) -> None:
    import corpus
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.corpus == "peer":
        import peer_corpus

        peer_corpus.ensure(args.stories, peer_generator(Path(args.harness)))
    else:
        corpus.ensure(args.stories, args.seed)


def paths_of(kind: str) -> dict[str, str]:
    if kind == "peer":
        import peer_corpus

        return peer_corpus.benchmark_paths()
    return benchmark_paths()


# --- The pages -------------------------------------------------------------


def benchmark_paths() -> dict[str, str]:
    """Name: path of every page measured, chosen from the data in the database."""
    from articles.models import Story, TaggedStory

    published = Story.objects.published().order_by("-published_at", "-pk")
    total = published.count()
    story = published[total // 2]
    topic, topic_size = site_bench.largest_topic()
    in_topic = published.filter(
        pk__in=TaggedStory.objects.filter(tag=topic).values("content_object")
    )
    _, deep_topic, _ = site_bench.deep_page("", topic.get_absolute_url(), in_topic, topic_size)
    _, person, _ = site_bench.most_quoted_page()
    return {
        "story": story.get_absolute_url(),
        "home": "/",
        "topic_p1": topic.get_absolute_url(),
        f"topic_at_{site_bench.deep_position(topic_size)}": deep_topic,
        "person": person,
        "topics": "/topics/",
        "search": "/search/?" + urlencode({"q": SEARCH_WORD}),
        "rss": "/feeds/rss/",
    }


def count_queries(paths: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per page: status, SQL queries of a warm request, and its heaviest query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counted = Client(), {}
    for name, path in paths.items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries = captured.captured_queries
        heaviest = max(queries, key=lambda q: float(q["time"]), default={"sql": "", "time": "0"})
        counted[name] = {
            "status": response.status_code,
            "queries": len(queries),
            "bytes": len(response.content),
            "heaviest_sql": heaviest["sql"],
            "sql": [query["sql"] for query in queries],
            "heaviest_ms": round(float(heaviest["time"]) * 1000, 1),
        }
    return counted


def plan_of(sql: str) -> str:
    return "\n".join(plan_check.plan(sql))


def drop_statistics() -> str:
    """Remove the planner's statistics; returns what "before ANALYZE" therefore means."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
            connection.close()  # a new connection plans without them
            return "no sqlite_stat1 (as the site runs: nothing runs ANALYZE on SQLite)"
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return "the statistics as found (dropping them needs a superuser)"
        cursor.execute(
            "DELETE FROM pg_statistic WHERE starelid IN (SELECT c.oid FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public')"
        )
        return "no column statistics (pg_statistic emptied for the public schema)"


def plans(counted: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each page's heaviest query's plan without statistics and after
    ANALYZE, and what in any of its queries' plans reads more rows the larger
    the archive is (bench/plan_check.py), before and after.

    Leaves the database as it is measured: SQLite without statistics,
    PostgreSQL analyzed.
    """
    from django.db import connection

    before_means = drop_statistics()
    before = {name: plan_of(c["heaviest_sql"]) for name, c in counted.items() if c["heaviest_sql"]}
    problems_before = unindexed(counted)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    after = {name: plan_of(counted[name]["heaviest_sql"]) for name in before}
    problems_after = unindexed(counted)
    if connection.vendor == "sqlite":
        drop_statistics()
    connection.close()
    return {
        "before_means": before_means,
        "before": before,
        "after": after,
        "unindexed_before": problems_before,
        "unindexed_after": problems_after,
    }


def unindexed(counted: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Per page, the plan_check problems of each of its queries, each led by
    the query's place among the page's and its first words (pages with none left out)."""
    found = {
        name: [
            f"query {place} ({sql[:90]} …): {problem}"
            for place, sql in enumerate(c["sql"], 1)
            for problem in plan_check.problems(sql)
        ]
        for name, c in counted.items()
    }
    return {name: problems for name, problems in found.items() if problems}


# --- Serving and measuring -------------------------------------------------


def gunicorn_opts(harness: Path) -> list[str]:
    """GUNICORN_OPTS as the shared lib.sh sets them."""
    script = f'source "{harness / "lib.sh"}" && printf "%s\\0" "${{GUNICORN_OPTS[@]}}"'
    result = subprocess.run(["bash", "-c", script], capture_output=True, check=True, text=True)
    return [opt for opt in result.stdout.split("\0") if opt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(harness: Path, page_cache: int, log: Path) -> tuple[subprocess.Popen, str]:
    """The site on a free loopback port; returns the server and its base URL."""
    port = free_port()
    env = {**os.environ, "PAGE_CACHE_SECONDS": str(page_cache)}
    command = [sys.executable, "-m", "gunicorn", *gunicorn_opts(harness)]
    command += ["--bind", f"127.0.0.1:{port}", "--chdir", str(BASE_DIR), "newsroom.wsgi"]
    server = subprocess.Popen(
        command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(base + "/topics/", timeout=5):
                return server, base
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.25)
    stop(server)
    sys.exit(f"gunicorn did not answer on {base}; see {log}")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, then SIGKILL after 15 s."""
    pgid = os.getpgid(server.pid)
    os.killpg(pgid, 15)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, 9)
        server.wait()


def workers_rss_mb(server: subprocess.Popen) -> list[float]:
    """The resident memory of each of the server's workers, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def run_harness(args: argparse.Namespace, base: str, paths: Path, label: str, out: Path) -> dict:
    command = [sys.executable, str(Path(args.harness) / "http_bench.py"), "--base-url", base]
    command += ["--paths", str(paths), "--label", label, "--out", str(out)]
    command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
    command += ["--duration", str(args.duration), "--threads", str(args.threads)]
    command += ["--connections", str(args.connections)]
    status = subprocess.run(command, stdout=subprocess.DEVNULL, check=False).returncode
    document = json.loads(out.read_text())
    document["all_2xx"] = status == 0
    return document


def served(document: dict) -> int:
    """How many requests a harness run sent, warm-ups and wrk's included."""
    total = 0
    for result in document["results"]:
        latency = result.get("latency") or {}
        total += latency.get("requests", 0) + latency.get("warmup_requests", 0) + 2
        total += (result.get("throughput") or {}).get("requests", 0)
    return total


def top_up(base: str, paths: list[str], count: int, clients: int = 2) -> None:
    """`count` more GETs, cycling through `paths`, from `clients` clients at once."""

    def get(index: int) -> None:
        with urllib.request.urlopen(base + paths[index % len(paths)], timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(get, range(count)))


def measure_http(args: argparse.Namespace, paths: dict[str, str], out_dir: Path) -> dict:
    """The harness with the page cache off then on, each on a fresh server.

    The workers' RSS is read as the server starts, after the harness's run
    (warm: every page served, wrk's load included), and after --rss-requests
    more requests of every page in turn: flat memory is the last two equal.
    """
    harness = Path(args.harness)
    paths_file = out_dir / "paths.json"
    paths_file.write_text(json.dumps(paths, indent=2) + "\n")
    runs: dict[str, Any] = {}
    for cache in (0, PAGE_CACHE_ON):
        server, base = start_gunicorn(harness, cache, out_dir / f"gunicorn-cache{cache}.log")
        try:
            rss_started = workers_rss_mb(server)
            label = f"newsroom, {args.stories} stories, PAGE_CACHE_SECONDS={cache}"
            doc = run_harness(args, base, paths_file, label, out_dir / f"http-cache{cache}.json")
            sent = served(doc)
            rss_warm = workers_rss_mb(server)
            top_up(base, list(paths.values()), args.rss_requests)
            doc["worker_rss_mb"] = {
                "started": rss_started,
                "before": rss_warm,
                "after": workers_rss_mb(server),
                "warm_after_requests": sent,
                "requests": args.rss_requests,
            }
            runs[f"cache_{cache}"] = doc
        finally:
            stop(server)
    return runs


# --- Reporting -------------------------------------------------------------


def environment() -> dict[str, Any]:
    import platform

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return {
        "database": database,
        "vendor": connection.vendor,
        "django": django.get_version(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def latency_cell(result: dict | None) -> str:
    if not result:
        return "– | –"
    ms = (result.get("latency") or {}).get("ms")
    thr = result.get("throughput") or {}
    rate = thr.get("requests_per_sec")
    timing = f"{ms['p50']:.1f} / {ms['p95']:.1f}" if ms else "no answer"
    return f"{timing} | {rate:,.0f}" if rate is not None else f"{timing} | –"


def table(report: dict) -> str:
    """The Markdown table: queries, bytes, and each cache setting's p50/p95 and req/s."""
    by_run = {
        run: {r["name"]: r for r in doc["results"]} for run, doc in report.get("http", {}).items()
    }
    lines = [
        "| page | queries | bytes | no cache p50 / p95 ms | req/s | page cache p50 / p95 ms "
        "| req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, counted in report["queries"].items():
        off = latency_cell(by_run.get("cache_0", {}).get(name))
        on = latency_cell(by_run.get(f"cache_{PAGE_CACHE_ON}", {}).get(name))
        lines.append(f"| {name} | {counted['queries']} | {counted['bytes']:,} | {off} | {on} |")
    return "\n".join(lines)


def print_report(report: dict) -> None:
    out = sys.stdout
    out.write("\nheaviest query per page, planned " + report["plans"]["before_means"] + ":\n")
    for name, plan in report["plans"]["before"].items():
        counted = report["queries"][name]
        sql = counted["heaviest_sql"]
        shown = sql if len(sql) <= 300 else sql[:300] + " …"
        out.write(f"\n### {name} ({counted['heaviest_ms']} ms)\n{shown}\n")
        out.write(f"before ANALYZE:\n{plan}\nafter ANALYZE:\n{report['plans']['after'][name]}\n")
    for when in ("before", "after"):
        found = report["plans"][f"unindexed_{when}"]
        out.write(f"\nqueries reading more the larger the archive, {when} ANALYZE: ")
        out.write("none\n" if not found else "\n")
        for name, problems in found.items():
            out.write("".join(f"- {name}: {problem}\n" for problem in problems))
    env = report["environment"]
    out.write(
        f"\n{env['database']}, {report['stories']} stories, Django {env['django']}, "
        f"Python {env['python']}, {env['cpus']} CPUs, load average at start "
        f"{', '.join(f'{x:.2f}' for x in env['load_average'])}\n\n"
    )
    out.write(table(report) + "\n")
    for run, doc in report.get("http", {}).items():
        rss = doc["worker_rss_mb"]
        out.write(
            f"\ngunicorn workers' RSS, {run.replace('_', ' ')}: {rss['started']} MB started, "
            f"{rss['before']} MB after the harness's {rss['warm_after_requests']:,} requests, "
            f"{rss['after']} MB after {rss['requests']:,} more of every page in turn"
        )
    out.write("\n")
    out.write(f"\nresults: {report['out']}\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    set_up(args)
    build(args)
    from django.db import connection

    paths = paths_of(args.corpus)
    counted = count_queries(paths)
    vendor = connection.vendor
    out = args.out or WORK / "results" / f"site-{args.corpus}-{vendor}-{args.stories}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "stories": args.stories,
        "environment": environment(),
        "paths": paths,
        "queries": counted,
        "plans": plans(counted),
        "out": str(out),
    }
    if not args.no_http:
        run_dir = out.with_suffix("")
        run_dir.mkdir(exist_ok=True)
        report["http"] = measure_http(args, paths, run_dir)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)
    failed = [name for name, c in counted.items() if c["status"] != 200]
    failed += [run for run, doc in report.get("http", {}).items() if not doc["all_2xx"]]
    if failed:
        sys.stdout.write(f"not every answer was 2xx: {', '.join(failed)}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The newsroom, the Wagtail peer and the two ceilings, at the same N (make bench-compare).

    make bench-compare                      # 20,000 stories, SQLite
    make bench-compare N=5000
    make bench-compare DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench

In one go, each with the same harness options (http_bench.py's defaults of
make bench: 200 requests after 20 warm-ups, wrk 2 threads, 16 connections,
10 s):

1. the newsroom (bench/site_http.py --corpus peer): the peer's own archive,
   drawn by its generator (news/synthetic.py) and written into our tables by
   bench/peer_corpus.py, served under gunicorn with the shared settings; the
   peer's pages by its names;
2. the ceilings ($BENCH_HARNESS/ceilings/run_ceilings.sh with this
   virtualenv's Python): nginx's static 30 KiB, and a minimal Django view;
3. the peer ($BENCH_HARNESS/peers/wagtail/run.sh with PEER_WORK, N_STORIES,
   CEILINGS=0): its virtualenv, database, data, query counts and HTTP run,
   under PEER_WORK (default /work/scratch-peer/newsroom-compare). On
   PostgreSQL it gets a database of its own beside ours (PG_URL, name
   <ours>_wagtail); ours is <ours>_compare, so make bench's archive stays.

Then prints, per page, both sites' p50 and req/s (page cache off: the peer has
none) and the ratios ours/peer and ours/ceiling. --skip-peer measures ours and
the ceilings only; --reuse-ours runs the peer only, against this N's last run
of ours and the ceilings. SKIP_QUERIES=1 in the environment passes to the
peer's run.sh, which then counts no queries (in process its relevance
search on SQLite takes minutes a request). Figures from a shared machine are
noisy: compare runs taken back to back only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_PEER_WORK = "/work/scratch-peer/newsroom-compare"
PEER_SEARCH = "search"  # the peer's relevance search, its slowest page


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=int(env.get("N") or 20_000))
    parser.add_argument("--database-url", default=env.get("DATABASE_URL") or None)
    parser.add_argument(
        "--harness", type=Path, default=Path(env.get("BENCH_HARNESS") or "/work/shared/bench")
    )
    parser.add_argument(
        "--peer-work", type=Path, default=Path(env.get("PEER_WORK") or DEFAULT_PEER_WORK)
    )
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument(
        "--reuse-ours",
        action="store_true",
        help="Take ours and the ceilings from this N's last run (their JSON in "
        ".bench/compare/), and run the peer only.",
    )
    parser.add_argument(
        "--table",
        type=Path,
        metavar="COMPARE_JSON",
        help="Print a past run's table, running nothing.",
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    return parser.parse_args(argv)


def http_options(args: argparse.Namespace) -> list[str]:
    return [
        *("--requests", str(args.requests), "--warmup", str(args.warmup)),
        *("--duration", str(args.duration), "--threads", str(args.threads)),
        *("--connections", str(args.connections)),
    ]


def beside(url: str, suffix: str) -> str:
    """The PostgreSQL URL of a database named like `url`'s, plus `suffix`."""
    head, _, name = url.rpartition("/")
    name, query = name.partition("?")[0], name.partition("?")[2]
    return f"{head}/{name}{suffix}" + (f"?{query}" if query else "")


def is_postgres(url: str | None) -> bool:
    return url is not None and url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql")


def run_ours(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "site_http.py"), "--corpus", "peer"]
    command += ["--stories", str(args.stories), "--out", str(out / "newsroom.json")]
    command += ["--harness", str(args.harness), *http_options(args)]
    command += ["--rss-requests", "0"]  # the comparison reads no memory figures
    env = dict(os.environ)
    if is_postgres(args.database_url):
        env["DATABASE_URL"] = beside(args.database_url, "_compare")
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run(command, env=env, check=False)
    return json.loads((out / "newsroom.json").read_text())


def run_ceilings(args: argparse.Namespace, out: Path) -> dict[str, dict[str, Any]]:
    script = args.harness / "ceilings" / "run_ceilings.sh"
    subprocess.run(
        ["bash", str(script), sys.executable, str(out), *http_options(args)], check=False
    )
    return read_ceilings(out)


def read_ceilings(out: Path) -> dict[str, dict[str, Any]]:
    return {
        name: json.loads((out / f"ceiling-{name}.json").read_text())
        for name in ("nginx", "django")
        if (out / f"ceiling-{name}.json").exists()
    }


def run_peer(args: argparse.Namespace) -> tuple[dict[str, Any] | None, Path]:
    """The peer's run.sh; its http.json (None if it did not get that far) and its folder."""
    db = "postgres" if is_postgres(args.database_url) else "sqlite"
    env = {
        **os.environ,
        "PEER_WORK": str(args.peer_work),
        "N_STORIES": str(args.stories),
        "CEILINGS": "0",
        "DB": db,
        "BENCH_REQUESTS": str(args.requests),
        "BENCH_WARMUP": str(args.warmup),
        "BENCH_DURATION": str(args.duration),
        "BENCH_THREADS": str(args.threads),
        "BENCH_CONNECTIONS": str(args.connections),
    }
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        assert args.database_url
        env["PG_URL"] = beside(args.database_url, "_wagtail")
        create_pg(env["PG_URL"])
    args.peer_work.mkdir(parents=True, exist_ok=True)
    script = args.harness / "peers" / "wagtail" / "run.sh"
    subprocess.run(["bash", str(script)], env=env, check=False)
    results = args.peer_work / "results" / db
    http = results / "http.json"
    return (json.loads(http.read_text()) if http.exists() else None), results


def create_pg(url: str) -> None:
    """The peer's PostgreSQL database, if missing (run.sh expects it to exist with PG_URL)."""
    name = url.rpartition("/")[2].partition("?")[0]
    server = url.rpartition("/")[0] + "/postgres"
    check = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
    found = subprocess.run(["psql", server, "-qAtc", check], capture_output=True, text=True)
    if found.stdout.strip() != "1":
        subprocess.run(["psql", server, "-qc", f'CREATE DATABASE "{name}"'], check=True)


# --- The table -------------------------------------------------------------


def by_name(document: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in (document or {}).get("results", [])}


def p50(result: dict[str, Any] | None) -> float | None:
    ms = ((result or {}).get("latency") or {}).get("ms")
    return ms["p50"] if ms else None


def rate(result: dict[str, Any] | None) -> float | None:
    return ((result or {}).get("throughput") or {}).get("requests_per_sec")


def ratio(a: float | None, b: float | None) -> str:
    """a / b to three significant figures (the ceilings' are small)."""
    return f"{a / b:.3g}" if a is not None and b else "–"


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def table(ours: dict, peer: dict | None, ceilings: dict, peer_queries: dict) -> str:
    """p50 and req/s of both sites per page, and ours over the peer's and the ceilings'."""
    mine = by_name(ours["http"]["cache_0"])
    theirs = by_name(peer)
    django = rate(next(iter(by_name(ceilings.get("django")).values()), None))
    nginx = rate(next(iter(by_name(ceilings.get("nginx")).values()), None))
    lines = [
        "| page | queries ours / peer | p50 ms ours / peer | ours/peer p50 | req/s ours / peer "
        "| ours/peer req/s | ours/minimal-Django req/s | ours/nginx req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in mine.items():
        other = theirs.get(name)
        queries = f"{ours['queries'][name]['queries']} / {peer_queries.get(name, '–')}"
        lines.append(
            f"| {name} | {queries} | {number(p50(result))} / {number(p50(other))} | "
            f"{ratio(p50(result), p50(other))} | {number(rate(result), 0)} / "
            f"{number(rate(other), 0)} | {ratio(rate(result), rate(other))} | "
            f"{ratio(rate(result), django)} | {ratio(rate(result), nginx)} |"
        )
    lines.append(
        f"\nceilings: minimal Django {number(django, 0)} req/s, nginx {number(nginx, 0)} req/s"
    )
    return "\n".join(lines)


def peer_query_counts(results: Path) -> dict[str, Any]:
    found = results / "queries.json"
    if not found.exists():
        return {}
    pages = json.loads(found.read_text()).get("pages", {})
    return {name: page.get("warm_request") for name, page in pages.items()}


def print_table(report: dict[str, Any], out: Path) -> None:
    sys.stdout.write(
        f"\n{report['vendor']}, {report['stories']} stories, the peer's archive on both sites, "
        "page cache off\n\n"
    )
    sys.stdout.write(
        table(report["newsroom"], report["peer"], report["ceilings"], report["peer_queries"]) + "\n"
    )
    sys.stdout.write(f"\nresults: {out}\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.table:
        print_table(json.loads(args.table.read_text()), args.table)
        return 0
    vendor = "postgresql" if is_postgres(args.database_url) else "sqlite"
    out = BASE_DIR / ".bench" / "compare" / f"{vendor}-{args.stories}"
    out.mkdir(parents=True, exist_ok=True)
    if args.reuse_ours:
        if not (out / "newsroom.json").exists():
            sys.exit(f"compare: no earlier run of ours in {out} to reuse")
        ours, ceilings = json.loads((out / "newsroom.json").read_text()), read_ceilings(out)
    else:
        ours = run_ours(args, out)
        ceilings = run_ceilings(args, out)
    peer, peer_results = (None, out) if args.skip_peer else run_peer(args)
    report = {"stories": args.stories, "vendor": vendor, "newsroom": ours, "ceilings": ceilings}
    report["peer"] = peer
    report["peer_queries"] = peer_query_counts(peer_results)
    (out / "compare.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(report, out / "compare.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load under gunicorn: 100 connections for 60 s against the home, story and topic pages.

    make bench-load                                     # SQLite, local-memory cache
    .venv/bin/python bench/load_faults.py --duration 20 --connections 50
    .venv/bin/python bench/load_faults.py --cache-url redis://127.0.0.1:6379/5
    .venv/bin/python bench/load_faults.py --kill-redis   # Redis down for the middle third

Imports the demo archive into a temporary database (or uses --database-url,
which must already hold stories), serves it under gunicorn with DEBUG off
and runs wrk with the three pages in turn on every connection. Prints wrk's
throughput and latency, every status each page was answered with (from
gunicorn's access log) and the errors: non-2xx answers, and connections that
failed or timed out. Exits 1 on any error. With --kill-redis it runs a
redis-server of its own as the cache, kills it a third of the way through
and starts it again at two thirds, and counts the outage lines the workers
logged. Not a test: the figures move with
the machine's load. Needs wrk (`apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from lighthouse import BASE_DIR, PYTHON, build_site, free_port, manage, site_environment, wait_for

WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
errors = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter])
end

response = function(status, headers, body)
  if status < 200 or status > 299 then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + thread:get("errors")
  end
  io.write(string.format("NON2XX %%d\\n", non2xx))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("LATENCY %%s %%.1f\\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("LATENCY max %%.1f\\n", latency.max / 1000))
  local e = summary.errors
  io.write(string.format("SOCKET %%d %%d %%d %%d\\n", e.connect, e.read, e.write, e.timeout))
  io.write(string.format("TOTAL %%d %%.3f\\n", summary.requests, summary.duration / 1e6))
end
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn's sync workers")
    parser.add_argument("--timeout", type=int, default=10, help="seconds wrk waits for an answer")
    parser.add_argument("--database-url", help="a database that already holds stories")
    parser.add_argument("--cache-url", help="e.g. redis://127.0.0.1:6379/5 (default: per process)")
    parser.add_argument(
        "--kill-redis", action="store_true", help="a Redis of its own, down for the middle third"
    )
    return parser.parse_args()


def pages(env: dict[str, str]) -> dict[str, str]:
    """The paths of the home page, the newest story and the topic with most stories."""
    code = (
        "from django.db.models import Count;"
        "from articles.models import Story, Topic;"
        "print(Story.objects.published().order_by('-published_at').first().get_absolute_url());"
        "print(Topic.objects.annotate(n=Count('stories')).order_by('-n').first().get_absolute_url())"
    )
    story, topic = manage(env, "shell", "--no-imports", "-c", code).split()
    return {"home": "/", "story": story, "topic": topic}


class Redis:
    """A redis-server of the run's own, to kill and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self.events: list[str] = []

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        time.sleep(0.5)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def outage(self, duration: int) -> list[threading.Timer]:
        """Kill it at a third of `duration`, start it again at two thirds."""

        def down() -> None:
            self.kill()
            self.events.append(f"Redis killed at {duration / 3:.0f} s")

        def up() -> None:
            self.start()
            self.events.append(f"started again at {2 * duration / 3:.0f} s")

        timers = [threading.Timer(duration / 3, down), threading.Timer(2 * duration / 3, up)]
        for timer in timers:
            timer.start()
        return timers


def serve(env: dict[str, str], workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "newsroom.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--worker-class", "sync", "--timeout", "60", "--backlog", "2048"]
    command += ["--access-logfile", str(log), "--access-logformat", "%(U)s %(s)s"]
    errors = log.with_name("errors.log").open("wb")
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stderr=errors)
    url = f"http://127.0.0.1:{port}"
    wait_for(url, server)
    return server, url


def load(url: str, paths: dict[str, str], args: argparse.Namespace, scratch: Path) -> str:
    script = scratch / "pages.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths.values())})
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections)]
    command += ["-d", f"{args.duration}s", "--timeout", f"{args.timeout}s", "-s", str(script), url]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def show(line: str) -> None:
    sys.stdout.write(line + "\n")


def report(output: str, paths: dict[str, str], log: Path, args: argparse.Namespace) -> bool:
    """Print the figures; whether there was no error."""
    lines = dict(re.findall(r"^(NON2XX|SOCKET|TOTAL) (.*)$", output, re.MULTILINE))
    latency = re.findall(r"^LATENCY (\S+) (\S+)$", output, re.MULTILINE)
    total, seconds = lines["TOTAL"].split()
    non2xx = int(lines["NON2XX"])
    connect, read, write, timeout = map(int, lines["SOCKET"].split())
    show(f"{args.connections} connections for {float(seconds):.1f} s, {args.workers} workers:")
    show(f"  {int(total):,} requests, {int(total) / float(seconds):,.1f} per second")
    show(
        "  latency ms: "
        + ", ".join(f"p{p} {ms}" if p != "max" else f"max {ms}" for p, ms in latency)
    )
    statuses = Counter(tuple(line.split()) for line in log.read_text().splitlines() if line)
    for name, path in paths.items():
        answered = {status: n for (p, status), n in statuses.items() if p == path}
        show(f"  {name} {path}: " + ", ".join(f"{n:,} × {s}" for s, n in sorted(answered.items())))
    show(
        f"  errors: {non2xx} non-2xx; sockets: {connect} connect, {read} read, "
        f"{write} write, {timeout} timed out"
    )
    outages = log.with_name("errors.log").read_text().splitlines()
    down = sum("cache unavailable" in line for line in outages)
    back = sum("cache available again" in line for line in outages)
    show(f"  the workers logged {down} 'cache unavailable' and {back} 'available again' lines")
    return non2xx == 0 and connect + read + write + timeout == 0


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="newsroom-load-") as folder:
        scratch = Path(folder)
        env = site_environment(scratch)
        redis = Redis() if args.kill_redis else None
        if redis is not None:
            redis.start()
            env["CACHE_URL"] = redis.url
        elif args.cache_url:
            env["CACHE_URL"] = args.cache_url
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
            manage(env, "collectstatic", "--noinput")
        else:
            build_site(env)
        paths = pages(env)
        log = scratch / "access.log"
        server, url = serve(env, args.workers, log)
        timers = redis.outage(args.duration) if redis is not None else []
        try:
            output = load(url, paths, args, scratch)
        finally:
            for timer in timers:
                timer.cancel()
            server.terminate()
            server.wait(timeout=30)
            if redis is not None:
                redis.kill()
        if redis is not None:
            show(", ".join(redis.events) + ":")
        clean = report(output, paths, log, args)
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()

"""Lighthouse on a story page, served as in production; prints the scores.

    .venv/bin/python bench/lighthouse.py                      # the demo archive's story with a photo
    .venv/bin/python bench/lighthouse.py --path /topics/ --path /
    .venv/bin/python bench/lighthouse.py --json /tmp/lighthouse   # keep the full reports

Imports the demo archive (fixtures/legacy, with its images) into a temporary
SQLite database, collects the static files, and starts gunicorn with DEBUG
off (whitenoise serving the static files, Django the renditions as
SERVE_MEDIA does on a single machine) on a free port of 127.0.0.1. Lighthouse
(npm's `lighthouse`, installed on first use into a scratch folder kept for
later runs, `--lighthouse-dir`) drives Debian's chromium (`CHROME_PATH`,
/usr/bin/chromium by default) headless in its default mobile profile, with
its simulated slow 4G and CPU throttling. Prints the four category scores,
LCP and CLS for each page (the run with the median performance score of
--runs), and every audit that cost a point; exits 1 when a page misses a
target (95 in each category, LCP under 2.5 s, CLS under 0.1).

Not a test: the figures depend on the machine and on what else it is doing.
Needs node and npm, and the npm registry on first use.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Lighthouse 13 needs node 22; 12.8 runs on node 18 and later.
LIGHTHOUSE = "lighthouse@12.8.2"
DEFAULT_LIGHTHOUSE_DIR = Path.home() / ".cache" / "newsroom-bench" / LIGHTHOUSE.replace("@", "-")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"score": 0.95, "largest-contentful-paint": 2500.0, "cumulative-layout-shift": 0.1}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--path",
        action="append",
        help="a page to audit, e.g. /stories/SLUG/ (repeatable; default: the newest story with a lead photo)",
    )
    parser.add_argument(
        "--lighthouse-dir",
        type=Path,
        default=Path(os.environ.get("LIGHTHOUSE_DIR", DEFAULT_LIGHTHOUSE_DIR)),
        help=f"where {LIGHTHOUSE} is installed (default: %(default)s)",
    )
    parser.add_argument(
        "--chrome",
        default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
        help="the Chromium binary",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="audits per page; the median is shown (default: %(default)s)",
    )
    parser.add_argument(
        "--json", type=Path, help="a folder to keep each page's full Lighthouse report in"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    return args


def lighthouse_binary(folder: Path) -> Path:
    """Lighthouse's command, installed into `folder` unless it is there already."""
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if shutil.which("npm") is None:
            sys.exit("bench/lighthouse.py needs node and npm (Debian: apt-get install nodejs npm)")
        folder.mkdir(parents=True, exist_ok=True)
        say(f"installing {LIGHTHOUSE} into {folder}")
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                LIGHTHOUSE,
            ],
            check=True,
        )
    return binary


def site_environment(scratch: Path) -> dict[str, str]:
    """Production settings over plain HTTP on the loopback, everything in `scratch`."""
    return os.environ | {
        "ENV_FILE": "",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "MEDIA_ROOT": str(scratch / "media"),
        "ORIGINALS_ROOT": str(scratch / "originals"),
        "STATIC_ROOT": str(scratch / "static"),
        "SERVE_MEDIA": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Lighthouse reaches the site over http://127.0.0.1, with no TLS proxy.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def build_site(env: dict[str, str]) -> None:
    say("migrating, importing fixtures/legacy with its images, collecting static files")
    manage(env, "migrate", "--noinput")
    manage(env, "import_legacy", "fixtures/legacy", "--images", "fixtures/images")
    manage(env, "collectstatic", "--noinput")


def story_with_photo(env: dict[str, str]) -> str:
    """The path of the newest published story with a lead photo."""
    code = (
        "from articles.models import Story;"
        "print(Story.objects.published().filter(lead_photo__isnull=False)"
        ".exclude(lead_photo__rendition='').order_by('-published_at').first().get_absolute_url())"
    )
    return manage(env, "shell", "--no-imports", "-c", code).strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """The site under gunicorn on a free loopback port, stopped on leaving."""
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "newsroom.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped with status {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer at {url} within 30 s")


def audit(binary: Path, chrome: str, url: str, output: Path) -> dict[str, Any]:
    """Lighthouse's report on `url` (mobile profile, the default), as JSON."""
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    subprocess.run(command, env=os.environ | {"CHROME_PATH": chrome}, check=True)
    result: dict[str, Any] = json.loads(output.read_text())
    return result


def performance(result: dict[str, Any]) -> float:
    score: float | None = result["categories"]["performance"]["score"]
    return score or 0.0


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median performance score, as Lighthouse advises for noisy machines."""
    return sorted(runs, key=performance)[len(runs) // 2]


def figures(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Each target's (name, figure, met): the four scores, LCP and CLS."""
    categories, audits = result["categories"], result["audits"]
    rows = []
    for name in CATEGORIES:
        score = categories[name]["score"] or 0.0
        rows.append((categories[name]["title"], f"{round(score * 100)}", score >= TARGETS["score"]))
    for key in ("largest-contentful-paint", "cumulative-layout-shift"):
        value = audits[key]["numericValue"]
        rows.append((audits[key]["title"], audits[key]["displayValue"], value < TARGETS[key]))
    return rows


def lost_points(result: dict[str, Any]) -> list[str]:
    """The scored audits that did not pass in full, with what they found."""
    categories, audits = result["categories"], result["audits"]
    lost = []
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            item = audits[ref["id"]]
            if ref["weight"] and item["scoreDisplayMode"] in ("binary", "numeric", "metricSavings"):
                if (item["score"] or 0) < 1:
                    lost.append(
                        f"{item['id']}: {item['title']} {item.get('displayValue', '')}".rstrip()
                    )
    return lost


def report(path: str, runs: list[dict[str, Any]]) -> bool:
    """Prints the median run's figures against the targets; whether it met them all."""
    result = median_run(runs)
    every = " ".join(str(round(performance(run) * 100)) for run in sorted(runs, key=performance))
    lines = [
        f"{path} (Lighthouse {result['lighthouseVersion']}, mobile; median of {len(runs)} runs, "
        f"performance in each: {every})"
    ]
    rows = figures(result)
    lines += [
        f"  {name:<26} {figure:>6}  {'ok' if met else 'MISSES THE TARGET'}"
        for name, figure, met in rows
    ]
    lines += [f"  - {line}" for line in lost_points(result)]
    sys.stdout.write("\n".join(lines) + "\n")
    return all(met for _, _, met in rows)


def say(message: str) -> None:
    sys.stderr.write(message + "\n")


def main() -> None:
    args = parse_args()
    binary = lighthouse_binary(args.lighthouse_dir)
    with tempfile.TemporaryDirectory(prefix="newsroom-lighthouse-") as folder:
        scratch = Path(folder)
        env = site_environment(scratch)
        build_site(env)
        paths = args.path or [story_with_photo(env)]
        all_met = True
        with gunicorn(env) as site:
            for number, path in enumerate(paths):
                reports = args.json or scratch
                reports.mkdir(parents=True, exist_ok=True)
                runs = [
                    audit(
                        binary,
                        args.chrome,
                        site + path,
                        reports / f"lighthouse-{number}-{run}.json",
                    )
                    for run in range(args.runs)
                ]
                all_met = report(path, runs) and all_met

    sys.exit(0 if all_met else 1)


if __name__ == "__main__":
    main()

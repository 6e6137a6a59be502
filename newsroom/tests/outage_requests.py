"""GET a page COUNT times through the app, printing one JSON line per response.

Run by the outage tests in a subprocess, with the database (or cache) they
break in its environment: `python newsroom/tests/outage_requests.py PATH COUNT`.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def main(path: str, count: int) -> None:
    client = Client(raise_request_exception=False)
    for _ in range(count):
        started = time.monotonic()
        response = client.get(path)
        line = {
            "status": response.status_code,
            "retry_after": response.get("Retry-After"),
            "cache_control": response.get("Cache-Control"),
            "seconds": round(time.monotonic() - started, 3),
            "body": response.content.decode(errors="replace")[:2000],
        }
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

"""How much SQLite's queries read, counted in its virtual machine's steps:
the same on a fast machine and a slow one, so a test can say that a page
costs no more at depth 10,000 (or for a person quoted 1,000 times) than at
the start, without timing anything."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

# Skip a test of this where the database is not SQLite.
only_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="counts SQLite's own steps; PostgreSQL's plans are checked by make bench",
)


@contextmanager
def sqlite_work() -> Iterator[list[int]]:
    """Hundreds of SQLite virtual-machine steps run in the block (`[n]`)."""
    connection.ensure_connection()
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0  # go on

    connection.connection.set_progress_handler(step, 100)
    try:
        yield steps
    finally:
        connection.connection.set_progress_handler(None, 100)

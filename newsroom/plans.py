"""Query plans chosen by the application, on PostgreSQL, where the planner's
statistics cannot know better: how common a word is in stories' bodies, or
that a trigram index beats reading every name once a table is small.

`planned()` opens a transaction whose plan settings end with it; inside, a
`Scans` sets which ways of reading a table the planner may use.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def planned(using: str) -> Iterator["Scans"]:
    """A read-only block whose plan settings (set_config(..., true)) are
    undone when it ends: its transaction is rolled back, having written
    nothing. Elsewhere than on PostgreSQL, no transaction and no settings."""
    if connections[using].vendor != "postgresql":
        yield Scans(using)
        return
    with transaction.atomic(using=using):
        yield Scans(using)
        transaction.set_rollback(True, using=using)


class Scans:
    """Until the transaction ends, tables are read through bitmap scans of
    their indexes (`bitmap`) or along a btree index in its order, never by
    a sequential scan, whatever the planner's statistics say."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.bitmap: bool | None = None

    def __call__(self, *, bitmap: bool) -> None:
        if bitmap == self.bitmap or connections[self.using].vendor != "postgresql":
            return
        self.bitmap = bitmap
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true), "
                "set_config('enable_indexscan', %s, true), "
                "set_config('enable_bitmapscan', %s, true)",
                ["off" if bitmap else "on", "on" if bitmap else "off"],
            )

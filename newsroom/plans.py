"""Query plans chosen by the application, on PostgreSQL, where the planner's
statistics cannot know better: how common a word is in stories' bodies, or
that a trigram index beats reading every name once a table is small.

`planned()` opens a transaction whose plan settings end with it; inside, a
`Scans` sets which ways of reading a table the planner may use. On SQLite,
`Unindexed` keeps a term out of the planner's choice of an index range.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction
from django.db.models import Func


class Unindexed(Func):
    """An expression SQLite does not read an index range by (its unary "+"
    operator), unchanged elsewhere.

    Given two upper bounds on one indexed column, SQLite ranges the index by
    the first it meets and tests the other on every row: "published by now"
    before "older than the page's last story" made page 500 of a listing
    walk every story newer than it. With the general bound marked, the
    page's own is the range, and a page costs the same at any depth.
    """

    arity = 1
    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


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

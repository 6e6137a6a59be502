"""Whether a query reads the archive along an index, whatever the planner's statistics.

`problems(sql)` plans one query (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
PostgreSQL) and names what in the plan grows with the archive:

- a full scan of one of the archive's tables (`SCAN t` on SQLite, `Seq Scan on
  t` on PostgreSQL), a covering index walked whole included;
- on SQLite, a range of an index on one of them read to its end: a search
  by `<` or `>` in a query with no LIMIT, which reads every row of the range
  (every published story, say) to keep a few. An index walked in the order
  the query asks for, stopped by its LIMIT (a scan "USING INDEX" with no
  temporary B-tree sorting the rows), reads what such a range does, and
  passes as it does.

The tables are those whose rows grow with the stories; the topics (a few
hundred) and the site's own tables are left out. Run it with the statistics
dropped (bench/site_http.drop_statistics) to see the plans a database makes
before ANALYZE has ever run, as SQLite always runs here.
"""

from __future__ import annotations

import re

from django.db import connection

ARCHIVE_TABLES = frozenset(
    {
        "articles_story",
        "articles_photo",
        "articles_byline",
        "articles_quotedsource",
        "articles_taggedstory",
        "articles_crosslink",
        "articles_storyredirect",
        "articles_storyrevision",
        "people_person",
        "people_personalias",
    }
)
_ALIAS = re.compile(r'"(\w+)"\s+(?:AS\s+)?"?([A-Z]\d+)"?\b')
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)")
_SQLITE_RANGE = re.compile(r"^SEARCH (\w+) USING .*\((?:[^)]*[<>])[^)]*\)")
_PG_SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def plan(sql: str) -> list[str]:
    """The plan's lines, as the database prints them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN " + sql)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [str(row[-1]) for row in cursor.fetchall()]


def tables_by_alias(sql: str) -> dict[str, str]:
    """Each name the plan may use for a table: its own, and Django's U0, T3 aliases."""
    return {alias: table for table, alias in _ALIAS.findall(sql)}


def problems(sql: str) -> list[str]:
    """What in `sql`'s plan reads more of the archive the larger it is
    (nothing for what is not a query: a SAVEPOINT, a SET)."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return []
    aliases = tables_by_alias(sql)

    def table(name: str) -> str:
        return aliases.get(name, name)

    found = []
    lines = plan(sql)
    ordered_walk = _limited(sql) and "USE TEMP B-TREE FOR ORDER BY" not in lines
    for line in lines:
        if connection.vendor == "postgresql":
            scan = _PG_SEQ_SCAN.search(line)
            if scan and table(scan[1]) in ARCHIVE_TABLES:
                found.append(f"full scan of {table(scan[1])}: {line.strip()}")
            continue
        scan = _SQLITE_SCAN.match(line)
        if scan and ordered_walk and " USING " in line:
            continue
        if scan and table(scan[1]) in ARCHIVE_TABLES:
            found.append(f"full scan of {table(scan[1])}: {line}")
        ranged = _SQLITE_RANGE.match(line)
        if ranged and table(ranged[1]) in ARCHIVE_TABLES and not _limited(sql):
            found.append(f"whole range of {table(ranged[1])}, no LIMIT: {line}")
    return found


def _limited(sql: str) -> bool:
    """Whether the outermost query stops after some rows."""
    return re.search(r"\bLIMIT\s+\d+(?:\s+OFFSET\s+\d+)?\s*$", sql.strip()) is not None

"""manage.py: every command, with set-up problems told in one line.

A missing SECRET_KEY, a malformed DATABASE_URL, a database that cannot be
reached or one whose migrations have not run would otherwise end any command
in a traceback that hides what to do. `execute` turns them into one line on
stderr and exit status 1; `--traceback` still shows the traceback. A database
error that none of these explains is a bug, and keeps its traceback.

Commands but `runserver` run without the web requests' statement timeout
(a migration or an import may rightly take longer), unless
DATABASE_STATEMENT_TIMEOUT is set for them.
"""

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line
from django.db import DEFAULT_DB_ALIAS, OperationalError, ProgrammingError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

SETUP_HINT = "run `make setup` (in production: `python manage.py migrate`)"


def execute(argv: Sequence[str]) -> None:
    """Run the management command that `argv` names, as manage.py does."""
    if len(argv) < 2 or argv[1] != "runserver":
        os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    try:
        execute_from_command_line(list(argv))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`manage.py … | head`): stop quietly, and keep
        # Python from failing again on flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except (ImproperlyConfigured, OperationalError, ProgrammingError) as exc:
        if "--traceback" in argv:
            raise
        if isinstance(exc, ImproperlyConfigured):
            fail(str(exc))
        message = explain_database_error(exc, command=argv[1] if len(argv) > 1 else "")
        if message is None:
            raise
        fail(message)


def fail(message: str) -> NoReturn:
    """End the command with `message` as one line on stderr, exit status 1."""
    sys.exit(f"Error: {' '.join(message.split())}")


def explain_database_error(exc: Exception, *, command: str) -> str | None:
    """What to do about a database error: the database cannot be reached, or
    its migrations have not run. None when it is neither."""
    connection = connections[DEFAULT_DB_ALIAS]
    where = describe(connection)
    try:
        # A fresh connection, whatever state the failed command left behind.
        connection.close()
        connection.ensure_connection()
    except OperationalError as error:
        # The driver's first line says why (refused, unknown host, no such database).
        reason = next(iter(str(error).strip().splitlines()), type(error).__name__)
        check = (
            "that its folder exists and is writable"
            if connection.vendor == "sqlite"
            else "that the database server is running and has that database"
        )
        return (
            f"cannot connect to the database {where}: {reason.rstrip('.')}. "
            f"Check DATABASE_URL and {check}."
        )
    if command == "migrate":
        return None  # its own failure, not a missing migration
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not unapplied:
        return None
    count = f"{len(unapplied)} migration{'s' if len(unapplied) != 1 else ''}"
    return f"the database {where} is not set up ({count} not applied): {SETUP_HINT}."


def describe(connection: BaseDatabaseWrapper) -> str:
    """The database's name and server, for messages (never its password)."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return str(name)
    host = connection.settings_dict.get("HOST") or "localhost"
    port = connection.settings_dict.get("PORT")
    return f"{name} on {host}:{port}" if port else f"{name} on {host}"

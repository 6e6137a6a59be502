"""The settings module as an operator meets it: environment in, checks out."""

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "SECRET_KEY": "x7Gq2-production-like-secret-key-with-enough-entropy-0123456789abcdef",
    "ALLOWED_HOSTS": "news.example.org",
    "DEBUG": "",
}


@pytest.fixture(autouse=True)
def _files_in_tmp(monkeypatch, tmp_path):
    """The commands run here store files, and their migrations move originals,
    in tmp_path: never in the checkout's media/ or originals/."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setenv("ORIGINALS_ROOT", str(tmp_path / "originals"))


def manage(*args, env=None, timeout=120):
    """Run manage.py as an operator would, with `env` on top of the tests'
    environment. The checkout's .env.local is never read (ENV_FILE empty)
    unless `env` names a file: a developer's DEBUG=1 must not hide how
    production starts. The database is an in-memory one unless `env` names
    another: tests never touch the development database, db.sqlite3."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ENV_FILE": "",
        "DATABASE_URL": "sqlite://:memory:",
    } | (env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_deploy_check_passes_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_without_debug_is_a_clear_error():
    result = manage("check", env={"SECRET_KEY": "", "DEBUG": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def assert_one_line_error(result, *expected):
    """The command failed with one line on stderr that says each of `expected`."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]


@pytest.mark.parametrize(
    "command", [("import_legacy", "fixtures/legacy"), ("create_editor",), ("migrate",)]
)
def test_missing_secret_key_is_one_line_saying_run_make_setup(command):
    result = manage(*command, env={"SECRET_KEY": "", "DEBUG": ""})
    assert_one_line_error(result, "SECRET_KEY is not set", "make setup")


def test_traceback_option_still_shows_the_traceback():
    result = manage("create_editor", "--traceback", env={"SECRET_KEY": "", "DEBUG": ""})
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "url", ["nonsense://user:secret@host/db", "postgres://user:secret@host:notaport/db"]
)
def test_malformed_database_url_is_one_line(url):
    result = manage("create_editor", env={"DEBUG": "1", "DATABASE_URL": url})
    assert_one_line_error(result, "DATABASE_URL is not a database URL")
    assert "secret" not in result.stderr


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_postgresql_is_one_line():
    url = f"postgres://postgres@127.0.0.1:{free_port()}/newsroom"
    result = manage("import_legacy", "fixtures/legacy", env={"DEBUG": "1", "DATABASE_URL": url})
    assert_one_line_error(result, "cannot connect to the database newsroom on 127.0.0.1", "refused")


def test_unopenable_sqlite_file_is_one_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    result = manage("create_editor", env={"DEBUG": "1", "DATABASE_URL": url})
    assert_one_line_error(result, "cannot connect to the database", "folder exists")


@pytest.mark.parametrize(
    "command",
    [
        ("import_legacy", "fixtures/legacy"),
        ("import_legacy", "fixtures/legacy", "--dry-run", "--json"),
        ("create_editor",),
    ],
)
def test_unmigrated_database_is_one_line_saying_run_make_setup(tmp_path, command):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    result = manage(*command, env={"DEBUG": "1", "DATABASE_URL": f"sqlite:///{empty}"})
    assert_one_line_error(result, "is not set up", "migrations not applied", "run `make setup`")


def test_output_into_a_closed_pipe_ends_quietly():
    """`manage.py … | head`: the reader leaves early, and no traceback follows."""
    code = "import sys\nfor i in range(100_000): sys.stdout.write(f'line {i}\\n')"
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "newsroom.test_settings"}
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline() == "line 0\n"
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in stderr, stderr


def test_debug_gets_a_development_secret_key():
    result = manage("check", env={"SECRET_KEY": "", "DEBUG": "1"})
    assert result.returncode == 0, result.stderr


SHOW_SETTINGS = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"


def development_env_file(folder: Path) -> Path:
    """A .env.local as make setup writes it, with a key one can recognise."""
    env_file = folder / ".env.local"
    env_file.write_text("DEBUG=1\nSECRET_KEY=key-from-the-file\n")
    return env_file


def test_env_file_gives_a_development_site_without_exported_variables(tmp_path):
    env_file = development_env_file(tmp_path)
    result = manage("shell", "-v", "0", "-c", SHOW_SETTINGS, env={"ENV_FILE": str(env_file)})
    assert result.stdout.split() == ["True", "key-from-the-file"], result.stderr


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = development_env_file(tmp_path)
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        SHOW_SETTINGS,
        env={"ENV_FILE": str(env_file), "DEBUG": "", "SECRET_KEY": "key-from-the-environment"},
    )
    assert result.stdout.split() == ["False", "key-from-the-environment"], result.stderr


def test_the_test_settings_never_read_the_env_file(tmp_path):
    env_file = development_env_file(tmp_path)
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        SHOW_SETTINGS,
        env={"ENV_FILE": str(env_file), "DJANGO_SETTINGS_MODULE": "newsroom.test_settings"},
    )
    assert result.stdout.split() == ["False", "tests-only-not-a-secret"], result.stderr


def test_two_writers_on_sqlite_never_see_database_is_locked(tmp_path):
    """Two processes writing at once: WAL, IMMEDIATE transactions and a busy
    timeout make the second wait for the first instead of failing."""
    env = PRODUCTION_ENV | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert manage("migrate", "--noinput", env=env).returncode == 0
    writer = textwrap.dedent(
        """
        import sys
        from django.db import transaction
        from articles.models import Story
        for i in range(40):
            with transaction.atomic():
                Story.objects.create(headline=f"{sys.argv[1]} {i}", body="<p>x</p>")
                Story.objects.filter(headline__startswith=sys.argv[1]).count()
        """
    )
    script = tmp_path / "writer.py"
    script.write_text(writer)
    environment = os.environ | env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    code = f"import django; django.setup(); exec(open({str(script)!r}).read())"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, name],
            cwd=BASE_DIR,
            env=environment,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    errors = [proc.communicate(timeout=120)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    count = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from articles.models import Story; print(Story.objects.count())",
        env=env,
    )
    assert count.stdout.strip() == "80"
    mode = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0])",
        env=env,
    )
    assert mode.stdout.strip() == "wal"


def redis_is_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_cache_url_selects_redis():
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.core.cache import caches; cache = caches['default']; cache.set('probe', 'stored-in-redis'); "
        "print(type(cache).__name__, cache.get('probe'))",
        env=PRODUCTION_ENV | {"CACHE_URL": "redis://127.0.0.1:6379/15"},
    )
    assert result.stdout.split() == ["ResilientRedisCache", "stored-in-redis"], result.stderr

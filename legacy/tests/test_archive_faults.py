"""The import when things go wrong around it: killed mid-run, links to nothing."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from legacy.tests.test_import_command import CORPUS, DEMO, run_failing

pytestmark = pytest.mark.django_db


def many_files(folder: Path, count: int) -> Path:
    """`count` legacy files, copies of the demo archive under names of their own."""
    folder.mkdir()
    demo = sorted(DEMO.glob("*.txt"))
    for number in range(count):
        shutil.copy(demo[number % len(demo)], folder / f"story-{number:05}.txt")
    return folder


def subprocess_database_url() -> str:
    """The test database, for a command run in a subprocess."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        # pid (command) state ppid ...: the command may hold spaces, not ")".
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="parses in a process only on Linux"
)
def test_an_import_killed_with_sigkill_leaves_no_parse_worker_behind(tmp_path):
    archive = many_files(tmp_path / "archive", 3000)
    command = subprocess.Popen(
        [sys.executable, "manage.py", "import_legacy", str(archive), "--dry-run", "-v", "0"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.test_settings",
            "DATABASE_URL": subprocess_database_url(),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    for _ in range(600):  # the parse worker starts once the titles are read
        workers = children_of(command.pid)
        if workers or command.poll() is not None:
            break
        time.sleep(0.05)
    assert workers, f"no parse worker started: {command.communicate()[1]}"

    command.kill()
    assert command.wait() == -signal.SIGKILL  # killed mid-run, not finished
    for _ in range(100):
        if not any(map(alive, workers)):
            break
        time.sleep(0.05)
    assert not any(map(alive, workers)), f"parse workers {workers} outlived the import"


def test_links_to_nothing_in_an_archive_are_failures_naming_them(tmp_path):
    folder = tmp_path / "archive"
    shutil.copytree(CORPUS / "good", folder)
    (folder / "gone.txt").symlink_to(folder / "deleted-long-ago.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    good = len(list((CORPUS / "good").glob("*.txt")))

    out, err, failure = run_failing(folder)

    assert f"{folder / 'gone.txt'}: cannot be read: a symbolic link to " in err
    assert "deleted-long-ago.txt, which does not exist" in err
    for name, target in (("loop-a.txt", "loop-b.txt"), ("loop-b.txt", "loop-a.txt")):
        assert f"{folder / name}: cannot be read: a symbolic link loop (it points to " in err
        assert f"{target}, which leads back)" in err
    assert f"{good} created" in out
    assert "3 failed" in out
    assert str(failure) == f"3 of {good + 3} files could not be imported."

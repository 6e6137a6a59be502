"""Reading a batch of legacy files: finding them, the known titles, parsing.

Pure Python, no Django: the import command wires this to the models.
Large batches parse in a forked second process while the caller writes to
the database (parsing is about a sixth of an import's work). That process
dies with the import, even one killed with SIGKILL: the kernel signals it
when its parent goes (PR_SET_PDEATHSIG), and a watchdog thread checks for a
new parent should that be unavailable.

A `.txt` entry that is a symbolic link to nothing (dangling, or a loop) is
a failure naming it, never skipped in silence.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import itertools
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from legacy.parser import LegacyFormatError, decode, parse_bytes, read_title
from legacy.result import ParsedStory
from newsroom.text import normalise_title

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
# Below this many files a parsing process costs more than it saves.
PARALLEL_FROM = 200
CHUNK = 25  # files per parsing task
AHEAD = 8  # tasks in flight: bounds how many parsed stories wait in memory
_GLOB_MAGIC = re.compile(r"[*?[]")


class PathError(ValueError):
    """A command-line path that names no legacy file."""


class FileFailure(Exception):
    """Why one file was not imported; `line` is 1-based when known, `details`
    the traceback of an unexpected error."""

    def __init__(self, reason: str, line: int | None = None, details: str = ""):
        super().__init__(reason, line, details)
        self.reason = reason
        self.line = line
        self.details = details


# --- finding and reading files ----------------------------------------------------


def collect_files(arguments: list[str]) -> list[Path]:
    """The legacy files named by files, folders (searched for *.txt) and glob patterns.

    Sorted by folder, then name; a file named twice is imported once.
    """
    found: dict[Path, Path] = {}
    for argument in arguments:
        path = Path(argument)
        if path.is_file():
            matches = [path]
        elif path.is_dir():
            matches = _txt_files(path)
            if not matches:
                raise PathError(f"{argument}: this folder holds no .txt files.")
        elif _GLOB_MAGIC.search(argument):
            matches = []
            for hit in map(Path, glob.glob(argument, recursive=True)):
                if hit.is_dir():
                    matches += _txt_files(hit)
                elif hit.is_file():
                    matches.append(hit)
            if not matches:
                raise PathError(f"{argument}: no file matches this pattern.")
        else:
            raise PathError(f"{argument}: no such file or folder.")
        for match in matches:
            # A link to nothing is its own entry (resolve() fails on a loop).
            found.setdefault(match.resolve() if match.is_file() else match.absolute(), match)
    return sorted(found.values(), key=lambda p: (str(p.parent), p.name))


def _txt_files(folder: Path) -> list[Path]:
    """The .txt files under `folder`, and the .txt links to nothing, to be reported."""
    return [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() == ".txt" and (p.is_file() or p.is_symlink())
    ]


def image_index(folder: Path) -> dict[str, Path]:
    """Images in `folder` by file name stem (the first by name when several share one)."""
    index: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
            index.setdefault(path.stem, path)
    return index


def known_titles(files: Sequence[Path], *, in_database: Iterable[str]) -> set[str]:
    """Title keys of the stories in the database and of every file in the run."""
    keys = set(in_database)
    for path in files:
        try:
            title = read_title(decode(path.read_bytes()))
        except (OSError, LegacyFormatError):
            continue  # the import pass reports it
        if title:
            keys.add(normalise_title(title))
    return keys


def parse_file(path: Path, known: Collection[str]) -> ParsedStory:
    """Parse one file; every way it can fail becomes a FileFailure."""
    try:
        return parse_bytes(path.read_bytes(), known_titles=known)
    except LegacyFormatError as exc:
        raise FileFailure(exc.reason, exc.line) from exc
    except OSError as exc:
        raise FileFailure(_unreadable(path, exc)) from exc
    except Exception as exc:  # a parser bug must not stop a 10,000-file run
        raise FileFailure(f"unexpected error {type(exc).__name__}: {exc}") from exc


def _unreadable(path: Path, error: OSError) -> str:
    """Why `path` cannot be read, a symbolic link's target named."""
    if path.is_symlink():
        target = os.readlink(path)
        if error.errno == errno.ELOOP:
            return f"cannot be read: a symbolic link loop (it points to {target}, which leads back)"
        if error.errno == errno.ENOENT:
            return f"cannot be read: a symbolic link to {target}, which does not exist"
    return f"cannot be read: {error.strerror or error}"


_worker_known: Collection[str] = frozenset()
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCHDOG_SECONDS = 1.0


def _init_worker(known: Collection[str], parent: int) -> None:
    global _worker_known
    _worker_known = known
    _die_with(parent)


def _die_with(parent: int) -> None:
    """End this process when `parent` goes, even killed with SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux's libc: the watchdog alone
    if os.getppid() != parent:  # gone before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watchdog, args=(parent,), daemon=True).start()


def _watchdog(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


def _parse_chunk(paths: list[Path]) -> list[ParsedStory | FileFailure]:
    results: list[ParsedStory | FileFailure] = []
    for path in paths:
        try:
            results.append(parse_file(path, _worker_known))
        except FileFailure as failure:
            failure.__cause__ = failure.__context__ = None  # tracebacks do not pickle
            results.append(failure)
    return results


def parse_files(
    files: Sequence[Path], known: Collection[str]
) -> Iterator[tuple[Path, ParsedStory | FileFailure]]:
    """Each file with its parse result, in order.

    Many files are parsed in a forked process, a few chunks ahead of the
    caller, which meanwhile writes to the database: parsing is a sixth of the
    work. Where fork is unavailable, everything runs here.
    """
    if len(files) < PARALLEL_FROM or not sys.platform.startswith("linux"):
        for path in files:
            try:
                yield path, parse_file(path, known)
            except FileFailure as failure:
                yield path, failure
        return
    chunks = iter([list(files[i : i + CHUNK]) for i in range(0, len(files), CHUNK)])
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(known, os.getpid()),
    )
    try:
        queued = deque((chunk, pool.submit(_parse_chunk, chunk)) for chunk in _take(chunks, AHEAD))
        while queued:
            chunk, future = queued.popleft()
            for following in _take(chunks, 1):
                queued.append((following, pool.submit(_parse_chunk, following)))
            yield from zip(chunk, future.result(), strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _take(iterator: Iterator[list[Path]], count: int) -> list[list[Path]]:
    return list(itertools.islice(iterator, count))

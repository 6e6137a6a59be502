"""Backing up the site to one tar file, and restoring it on an empty machine.

An archive holds `database.xml` (dumpdata with natural foreign keys, in XML,
which keeps times to the microsecond: what `migrate` makes, content types
and permissions, is left out and matched by name on the way back, so it
loads into any empty migrated database, SQLite or PostgreSQL; the search
index is rebuilt rather than copied), every file of the media and originals storages under
`media/` and `originals/`, and `manifest.json`: the archive's format, the
migrations the data was dumped at, and the size and SHA-256 of every other
member.

`restore` checks every member against the manifest before it writes
anything, refuses a database that holds content (unless `force`), writes the
files, then loads the database in one transaction; if that fails, the files
it wrote are removed again. The `restored` signal lets the apps rebuild what
is derived from the data (the search index, the page cache).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.dispatch import Signal
from django.utils import timezone

from newsroom import caching

FORMAT = "newsroom-backup"
VERSION = 1
DATABASE = "database.xml"
MANIFEST = "manifest.json"
# What `migrate` makes (matched by natural key instead), and what belongs to
# the running site alone (sign-ins).
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
STORAGES = {"media": "default", "originals": "originals"}
CHUNK = 1 << 20

# Sent inside the restore's transaction, once the data is loaded.
restored = Signal()


class BackupError(Exception):
    """Why an archive cannot be restored (or made), for the person running the command."""


@dataclass
class Manifest:
    created: str
    database: str
    migrations: list[tuple[str, str]]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "created": self.created,
                "database": self.database,
                "migrations": self.migrations,
                "files": self.files,
            },
            indent=1,
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            found = json.loads(data)
            if found.get("format") != FORMAT or found.get("version") != VERSION:
                raise BackupError(f"{MANIFEST} is not a newsroom backup of version {VERSION}")
            return cls(
                created=found["created"],
                database=found["database"],
                migrations=[(app, name) for app, name in found["migrations"]],
                files=found["files"],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"{MANIFEST} cannot be read: {error}") from None


def applied_migrations() -> list[tuple[str, str]]:
    return sorted(MigrationRecorder(connection).applied_migrations())


# --- backing up ---------------------------------------------------------------------


def backup(output: Path) -> Manifest:
    """Write the archive to `output` (through a temporary name: never half a file)."""
    manifest = Manifest(
        created=timezone.now().isoformat(),
        database=connection.vendor,
        migrations=applied_migrations(),
    )
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as folder, tarfile.open(partial, _write_mode(output)) as tar:
        dump = Path(folder) / DATABASE
        _dump_database(dump)
        with dump.open("rb") as data:
            _add(tar, manifest, DATABASE, data, dump.stat().st_size)
        for prefix, name in STORAGES.items():
            storage = storages[name]
            for path in _walk(storage):
                with storage.open(path, "rb") as data:
                    _add(tar, manifest, f"{prefix}/{path}", data, storage.size(path))
        info = tarfile.TarInfo(MANIFEST)
        body = manifest.as_json()
        info.size, info.mtime = len(body), int(timezone.now().timestamp())
        tar.addfile(info, io.BytesIO(body))
    partial.replace(output)
    return manifest


def _write_mode(output: Path) -> Any:
    return "w:gz" if output.suffix in (".gz", ".tgz") else "w"


def _dump_database(path: Path) -> None:
    """dumpdata, on PostgreSQL in one snapshot of the database."""
    options = {"natural_foreign": True, "use_base_manager": True, "verbosity": 0}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # Unmanaged models are the database's own derived tables (SQLite's search index).
        unmanaged = [m._meta.label for m in apps.get_models() if not m._meta.managed]
        exclude = EXCLUDED + unmanaged
        call_command("dumpdata", exclude=exclude, format="xml", output=str(path), **options)


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in `storage`, by name, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}{name}/")


def _add(tar: tarfile.TarFile, manifest: Manifest, name: str, data: IO[bytes], size: int) -> None:
    digest = hashlib.sha256()
    for chunk in iter(lambda: data.read(CHUNK), b""):
        digest.update(chunk)
    data.seek(0)
    info = tarfile.TarInfo(name)
    info.size, info.mtime = size, int(timezone.now().timestamp())
    tar.addfile(info, data)
    manifest.files[name] = {"sha256": digest.hexdigest(), "size": size}


# --- restoring ----------------------------------------------------------------------


def restore(archive: Path, *, force: bool, say: Callable[[str], object]) -> Manifest:
    """Restore `archive` into this database and its storages (see the module docstring)."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            manifest = verify(tar)
            _check_database(manifest, force=force)
            say(f"{archive}: {len(manifest.files)} members, all matching their checksums.")
            return _restore(tar, manifest, force=force, say=say)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{archive} cannot be read as a backup archive: {error}") from None


def verify(tar: tarfile.TarFile) -> Manifest:
    """The archive's manifest, once every member matches it; else a BackupError naming
    the first member that does not."""
    try:
        manifest = Manifest.from_json(_read(tar, tar.getmember(MANIFEST)))
    except KeyError:
        raise BackupError(f"the archive has no {MANIFEST}: not a newsroom backup") from None
    seen = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        expected = manifest.files.get(member.name)
        if expected is None or not member.isfile():
            raise BackupError(f"{member.name}: in the archive but not in its manifest")
        digest = hashlib.sha256()
        for chunk in _chunks(tar, member):
            digest.update(chunk)
        if member.size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            raise BackupError(f"{member.name}: corrupted (does not match its checksum)")
        seen.add(member.name)
    for name in manifest.files:
        if name not in seen:
            raise BackupError(f"{name}: in the manifest but missing from the archive")
        if name != DATABASE:
            _storage_path(name)  # refuses an unsafe name before anything is written
    return manifest


def _check_database(manifest: Manifest, *, force: bool) -> None:
    missing = sorted(set(manifest.migrations) - set(applied_migrations()))
    if missing:
        names = ", ".join(f"{app}.{name}" for app, name in missing[:5])
        raise BackupError(
            f"this database lacks {len(missing)} migration(s) the archive was made at "
            f"({names}): run `manage.py migrate` with the code the archive came from"
        )
    if force:
        return
    held = [model._meta.label for model in _restored_models() if _has_rows(model)]
    if held:
        raise BackupError(
            f"the database is not empty (it holds {', '.join(held[:5])}): restore into an "
            "empty migrated database, or give --force to replace everything in it"
        )


def _restore(
    tar: tarfile.TarFile, manifest: Manifest, *, force: bool, say: Callable[[str], object]
) -> Manifest:
    written: list[tuple[Storage, str]] = []
    try:
        for member in tar.getmembers():
            if member.name in (MANIFEST, DATABASE):
                continue
            storage, path = _storage_path(member.name)
            if storage.exists(path):
                storage.delete(path)
            source = tar.extractfile(member)
            assert source is not None
            saved = storage.save(path, File(source, name=path))
            written.append((storage, saved))
            if saved != path:
                raise BackupError(f"{member.name}: the storage saved it as {saved}")
        say(f"Wrote {len(written)} files.")
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / DATABASE
            with dump.open("wb") as copy:
                for chunk in _chunks(tar, tar.getmember(DATABASE)):
                    copy.write(chunk)
            try:
                _load_database(dump, force=force)
            except (DatabaseError, DeserializationError, CommandError) as error:
                raise BackupError(f"{DATABASE} could not be loaded: {error}") from None
    except BaseException:
        for storage, path in written:
            storage.delete(path)
        raise
    return manifest


def _load_database(dump: Path, *, force: bool) -> None:
    """The whole database in one transaction: all of it, or nothing."""
    with transaction.atomic():
        if force:
            call_command("flush", interactive=False, verbosity=0)
        # The roles' groups that `migrate` made come back from the archive as they were.
        Group.objects.all().delete()
        call_command("loaddata", str(dump), verbosity=0)
        restored.send(sender=None, using=DEFAULT_DB_ALIAS)
        # Pages cached from what the database held before are not served again.
        transaction.on_commit(lambda: caching.bump([caching.SITE]))


def _storage_path(name: str) -> tuple[Storage, str]:
    """The storage and name a member is restored to; a BackupError for an unsafe one."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        raise BackupError(f"{name}: not a name a backup holds")
    if path.parts[0] not in STORAGES:
        raise BackupError(f"{name}: not a name a backup holds")
    return storages[STORAGES[path.parts[0]]], str(PurePosixPath(*path.parts[1:]))


def _restored_models() -> list[Any]:
    excluded = {label for label in EXCLUDED if "." in label}
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded
        and model is not Group
    ]


def _has_rows(model: Any) -> bool:
    return bool(model._base_manager.exists())


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    return b"".join(_chunks(tar, member))


def _chunks(tar: tarfile.TarFile, member: tarfile.TarInfo) -> Iterator[bytes]:
    source = tar.extractfile(member)
    if source is None:
        return
    yield from iter(lambda: source.read(CHUNK), b"")

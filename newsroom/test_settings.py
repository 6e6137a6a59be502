"""Settings for the test suite: production settings plus fast, isolated overrides."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# The same settings whatever the checkout's .env.local says.
os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from newsroom.settings import *  # noqa: E402,F403
from newsroom.settings import CACHE_URL, CACHES, DATABASE_REPLICAS, DATABASES  # noqa: E402

# Files a test run writes, or moves (the migrations move originals out of
# MEDIA_ROOT), are never the checkout's: each test has its own folders
# (conftest.py), and the test database's migrations run on these.
_FILES = Path(tempfile.mkdtemp(prefix="newsroom-tests-"))
atexit.register(shutil.rmtree, _FILES, ignore_errors=True)
MEDIA_ROOT = _FILES / "media"
ORIGINALS_ROOT = _FILES / "originals"

# Hundreds of tests save a photo: two widths keep that quick. The tests of
# the renditions themselves (articles/tests/test_responsive.py) use all of them.
RESPONSIVE_WIDTHS = (320, 640)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The cache holds who has a story open (articles.presence): with CACHE_URL set
# (Redis, as in CI and production) the tests use it, under their own prefix.
if CACHE_URL:
    CACHES["default"]["KEY_PREFIX"] = "newsroom-tests"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Scale: sessions in the database on both test databases, with or without
# CACHE_URL, so every pinned query count includes the session's one read.
# The cached_db engine production picks with Redis is tested on its own
# (newsroom/tests/test_sessions.py, articles/tests/test_two_processes.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# No server-side page cache: tests run inside a transaction that never
# commits, so nothing would invalidate it. The caching tests turn it on.
PAGE_CACHE_SECONDS = 0
COUNT_CACHE_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, as in production, rather than Django's shared in-memory test
    # database: that one locks table by table and fails a second writer at
    # once ("database table is locked") where the file, in WAL mode with a
    # busy timeout, makes it wait its turn (see settings). One per process.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"newsroom-tests-{os.getpid()}.sqlite3")
    }
    # Test data need not survive a power cut: no waiting for the disk.
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA busy_timeout=20000;"
    )
# --- Scale: a stand-in for a read replica --------------------------------------
# No replica is used unless a test routes to this one (override_settings
# DATABASE_REPLICAS=[REPLICA_STANDIN]): a database of its own, NOT a test
# mirror of the primary, so a test sees which one a read went to. Nothing
# replicates into it; its test database is made only for the tests naming it.
for _alias in DATABASE_REPLICAS:
    del DATABASES[_alias]
DATABASE_REPLICAS = []
REPLICA_STANDIN = "replica_standin"
DATABASES[REPLICA_STANDIN] = {**DATABASES["default"], "TEST": {}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES[REPLICA_STANDIN]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"newsroom-tests-replica-{os.getpid()}.sqlite3")
    }
else:
    DATABASES[REPLICA_STANDIN]["NAME"] = f"{DATABASES['default']['NAME']}_replica"
# --- end Scale: replica stand-in -------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "originals": {"BACKEND": "newsroom.originals.OriginalsStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
# Serve static files from the app folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

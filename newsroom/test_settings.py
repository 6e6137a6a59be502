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

# Files a test run writes, or moves (the migrations move originals out of
# MEDIA_ROOT), are never the checkout's: each test has its own folders
# (conftest.py), and the test database's migrations run on these.
_FILES = Path(tempfile.mkdtemp(prefix="newsroom-tests-"))
atexit.register(shutil.rmtree, _FILES, ignore_errors=True)
MEDIA_ROOT = _FILES / "media"
ORIGINALS_ROOT = _FILES / "originals"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "originals": {"BACKEND": "newsroom.originals.OriginalsStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
# Serve static files from the app folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

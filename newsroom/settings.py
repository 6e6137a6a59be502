"""Settings for the newsroom CMS, configured from the environment.

Every value a deployment changes comes from an environment variable; the
defaults give a development site on SQLite. A checkout's `.env.local`, which
`make setup` writes, adds DEBUG and a SECRET_KEY of its own. See README.md,
"Configuration".
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from dotenv import load_dotenv
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

# Development settings from a git- and docker-ignored file: variables already
# in the environment win over it. Not `.env`, which docker compose reads for
# its own substitutions and would carry a development key into production.
# ENV_FILE names another file; set empty, none is read (the test settings,
# and tests of how production starts, must not depend on a checkout's file).
env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env.local"))
if env_file:
    load_dotenv(env_file, override=False)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production, set it in the environment (any "
            "long random string); for development, run `make setup`, which writes "
            "DEBUG=1 and a key to .env.local."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Full-text and trigram search lookups on PostgreSQL (articles.search).
    "django.contrib.postgres",
    "csp",
    "taggit",
    "django_prose_editor",
    "reversion",
    # The project's own apps, each depending only on those above it.
    "newsroom",
    "people",
    "articles",
    "legacy",
]

MIDDLEWARE = [
    # Scale: first, so that even the session's reads go where this says (newsroom/routers.py).
    "newsroom.routers.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The admin in the editor's language (Accept-Language); readers' pages unchanged.
    "newsroom.admin_language.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers a 404 at a story's old address (a legacy URL) with a 301 to it.
    "articles.redirects.RedirectFallbackMiddleware",
    # Last: turns a refused login into the lockout page (newsroom/security.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
    {
        # What a page repeats (cards, bylines, pictures): see newsroom/fragments.py.
        "NAME": "fragments",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "fragments"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "articles.fragments.environment",
        },
    },
]

# --- Database -------------------------------------------------------------
conn_max_age = int(os.environ.get("CONN_MAX_AGE", "60"))
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=conn_max_age,
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    # The parser's first sentence says what is wrong; the URL itself is not
    # repeated, since it may hold a password.
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL ({str(exc).split('. ')[0].rstrip('.')}). Set it like "
        "postgres://user:password@host:5432/newsroom, or unset it for SQLite (db.sqlite3)."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE transactions and
    # a busy timeout make a second writer wait instead of failing with
    # "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }


# --- Scale: PostgreSQL read replicas (newsroom/routers.py) -------------------
# DATABASE_REPLICA_URLS: comma-separated postgres:// URLs of streaming
# replicas of DATABASE_URL. Readers' pages read one of them; the admin,
# writes, and a browser's requests for DATABASE_REPLICA_LAG_SECONDS after it
# wrote read the primary. In Django's test runner each replica mirrors the
# primary's test database (the project's tests route to a stand-in instead).
DATABASE_REPLICAS: list[str] = []
for number, replica_url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    try:
        replica = dj_database_url.parse(
            replica_url, conn_max_age=conn_max_age, conn_health_checks=True
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: replica {number} is not a database URL "
            f"({str(exc).split('. ')[0].rstrip('.')}). Give comma-separated "
            "postgres://user:password@host:5432/newsroom URLs."
        ) from None
    if replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: replica {number} is not a postgres:// URL; "
            "read replicas are PostgreSQL streaming replicas of DATABASE_URL."
        )
    DATABASES[f"replica{number}"] = replica | {"TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["newsroom.routers.PrimaryReplicaRouter"]
DATABASE_REPLICA_LAG_SECONDS = int(os.environ.get("DATABASE_REPLICA_LAG_SECONDS", 10))
# --- end Scale: replicas ----------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Scale: sessions every app instance shares (newsroom/sessions.py) --------
# In the shared cache, backed by the database, with CACHE_URL; in the database
# otherwise. Never in one process's memory: `manage.py check` refuses that.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)
# --- end Scale: sessions ----------------------------------------------------

# --- Faults survived (newsroom/outages.py, newsroom/resilient_cache.py) ----
# A database that cannot be reached answers readers with a 503 page and one
# log line per interval, never a traceback per request; the timeouts bound
# how long a request waits for a database that accepts and never answers.
MIDDLEWARE.insert(0, "newsroom.outages.DatabaseOutageMiddleware")
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 3))
# Per statement, not per request. manage.py commands (migrate, import_legacy)
# run without one unless it is set for them (newsroom/cli.py).
DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", 10))
for _database in DATABASES.values():  # the primary and its replicas alike
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
        if DATABASE_STATEMENT_TIMEOUT > 0:
            _database["OPTIONS"]["options"] = (
                f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}"
            )
# Redis down: pages served uncached, logged once per interval; caching
# resumes by itself when Redis is back (newsroom/resilient_cache.py).
if CACHE_URL:
    CACHES["default"]["BACKEND"] = "newsroom.resilient_cache.ResilientRedisCache"

# Public pages (newsroom/caching.py): how long browsers and proxies may keep
# one (seconds), serve it stale while they fetch it again, and serve it stale
# while the site fails; and how long the server keeps a rendered page in
# CACHES (0: never). Every page is invalidated when what it shows changes.
HTTP_CACHE_MAX_AGE = int(os.environ.get("HTTP_CACHE_MAX_AGE", 60))
HTTP_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("HTTP_CACHE_STALE_WHILE_REVALIDATE", 300))
HTTP_CACHE_STALE_IF_ERROR = int(os.environ.get("HTTP_CACHE_STALE_IF_ERROR", 86400))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
# Counts over many stories (the topic index's) are kept this long at most,
# and recomputed after any change of what they count (newsroom.memo).
COUNT_CACHE_SECONDS = int(os.environ.get("COUNT_CACHE_SECONDS", 3600))

# --- Scale: a CDN in front (newsroom/cdn.py) --------------------------------
# Public pages carry Surrogate-Key and Cache-Tag headers; with CDN_PURGE_URL
# set, every change that renews pages here also purges them there, by key,
# after commit ("json": POST {"keys": [...]}; "fastly": keys in a header).
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_STYLE = os.environ.get("CDN_PURGE_STYLE", "json")
if CDN_PURGE_STYLE not in ("json", "fastly"):
    raise ImproperlyConfigured(
        f"CDN_PURGE_STYLE is {CDN_PURGE_STYLE!r}; set it to json or fastly (or leave it unset)."
    )
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")
CDN_PURGE_TOKEN_HEADER = os.environ.get("CDN_PURGE_TOKEN_HEADER", "Authorization")
CDN_PURGE_TIMEOUT = float(os.environ.get("CDN_PURGE_TIMEOUT", 2))
# --- end Scale: CDN ---------------------------------------------------------

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, see newsroom/security.py): five failures for
# one username from one address pause its logins for 15 minutes after the
# last try. Failures are counted in the database, which every worker shares.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
# Successful logins are not logged again: Django keeps each user's last login.
AXES_DISABLE_ACCESS_LOG = True
if env_bool("BEHIND_TLS_PROXY"):
    AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip_behind_proxy"

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en-gb"
# The languages stories are written in; each named in the admin's language.
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("uz", _("Uzbek")),
    ("tk", _("Turkmen")),
    ("hy", _("Armenian")),
    ("az", _("Azerbaijani")),
    ("ka", _("Georgian")),
    ("fa", _("Persian")),
    ("ps", _("Pashto")),
]
# The languages the admin speaks, chosen by the editor's browser
# (newsroom/admin_language.py): those the project's strings are translated into.
ADMIN_LANGUAGES = [LANGUAGE_CODE, "ru"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# The interface strings' translations (locale/ru/LC_MESSAGES/django.po and its
# compiled .mo, committed). Story pages speak their story's language.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static and media files -----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded originals of photos and headshots: never served, so outside
# MEDIA_ROOT (`manage.py check` refuses an overlap). Readers get renditions.
ORIGINALS_ROOT = Path(os.environ.get("ORIGINALS_ROOT", BASE_DIR / "originals"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "originals": {"BACKEND": "newsroom.originals.OriginalsStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}


# --- Scale: media on S3-compatible object storage (newsroom/object_storage.py)
# With AWS_STORAGE_BUCKET_NAME, renditions go to the bucket under media/ at
# public unsigned URLs (the bucket's, or AWS_S3_CUSTOM_DOMAIN's), originals to
# AWS_ORIGINALS_BUCKET_NAME (or the same bucket) under originals/, private.
# AWS_S3_ENDPOINT_URL names a store other than AWS (MinIO); credentials come
# from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them.
def object_storages(
    bucket: str, *, originals_bucket: str = "", endpoint_url: str = "", **options: str
) -> dict[str, dict[str, Any]]:
    """The STORAGES entries "default" and "originals" on object storage."""
    common = {"endpoint_url": endpoint_url or None} | options
    return {
        "default": {
            "BACKEND": "newsroom.object_storage.MediaStorage",
            "OPTIONS": common | {"bucket_name": bucket},
        },
        "originals": {
            "BACKEND": "newsroom.object_storage.OriginalsObjectStorage",
            "OPTIONS": common | {"bucket_name": originals_bucket or bucket},
        },
    }


AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
AWS_S3_URL_PROTOCOL = os.environ.get("AWS_S3_URL_PROTOCOL", "https:")
AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None
if AWS_STORAGE_BUCKET_NAME:
    STORAGES |= object_storages(
        AWS_STORAGE_BUCKET_NAME,
        originals_bucket=os.environ.get("AWS_ORIGINALS_BUCKET_NAME", ""),
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL", ""),
    )


def media_origins() -> list[str]:
    """Where pages' pictures come from when media is in object storage (for CSP)."""
    if not AWS_STORAGE_BUCKET_NAME:
        return []
    if AWS_S3_CUSTOM_DOMAIN:
        return [f"{AWS_S3_URL_PROTOCOL}//{AWS_S3_CUSTOM_DOMAIN.split('/')[0]}"]
    if endpoint := os.environ.get("AWS_S3_ENDPOINT_URL"):
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]
    region = f".{AWS_S3_REGION_NAME}" if AWS_S3_REGION_NAME else ""
    return [f"https://{AWS_STORAGE_BUCKET_NAME}.s3{region}.amazonaws.com"]


# --- end Scale: object storage ----------------------------------------------

# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Photo uploads: formats opened, largest file and largest pixel count accepted.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 15 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 40_000_000))
# The widths of each photo's responsive renditions (newsroom.responsive).
RESPONSIVE_WIDTHS: tuple[int, ...] = (320, 640, 960, 1280, 1600)

# --- Security -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media_origins()],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Newsroom -------------------------------------------------------------
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
# The publisher's logo, named in every story's structured data and shared
# page (newsroom.publisher): a static file's path or an absolute URL, and its
# size in pixels (a wordmark of at most 600 × 60 suits search engines).
PUBLISHER_LOGO = os.environ.get("PUBLISHER_LOGO", "img/publisher-logo.png")
PUBLISHER_LOGO_WIDTH = int(os.environ.get("PUBLISHER_LOGO_WIDTH", 600))
PUBLISHER_LOGO_HEIGHT = int(os.environ.get("PUBLISHER_LOGO_HEIGHT", 60))
SUPPORT_CTA = {
    "text": os.environ.get(
        "SUPPORT_CTA_TEXT",
        "Support local journalists: independent reporting from Central Asia depends on readers like you.",
    ),
    "label": os.environ.get("SUPPORT_CTA_LABEL", "Support local journalists"),
    "url": os.environ.get("SUPPORT_CTA_URL", ""),
}
STORIES_PER_PAGE = 20
CORRECTIONS_PER_PAGE = 30

# The story body editor's own tools (articles/editor.py, static/admin-extra/
# story-editor.js). The server-side allowlist is newsroom.sanitize's, not one
# derived from these, so they add no markup to it.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin-extra/story-editor.js")],
        "extensions": {
            "StoryLink": html_tags([]),
            "WordCount": html_tags([]),
            "SpellCheck": html_tags([]),
        },
    }
]

# Everything to the console, once: Django's own loggers do not also
# propagate to the root handler (which would print each line twice).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Let Django serve MEDIA_ROOT itself: for a single-machine deployment without
# a web server or object storage in front (docker-compose.yml does this).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

"""Sessions are shared by every app instance: in the database, or in the
shared cache backed by it, never in one process's memory (newsroom/sessions.py)."""

import pytest

from newsroom.sessions import check_sessions_shared
from newsroom.tests.test_deployment import PRODUCTION_ENV, manage

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/4",
    }
}


@pytest.mark.parametrize("engine", ["cache", "cached_db"])
def test_sessions_in_a_process_local_cache_are_refused_in_production(settings, engine):
    settings.DEBUG = False
    settings.CACHES = LOCMEM
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    errors = check_sessions_shared()
    assert [error.id for error in errors] == ["newsroom.E011"]
    assert "LocMemCache" in errors[0].msg and "another app instance" in errors[0].msg
    assert "CACHE_URL" in str(errors[0].hint)


@pytest.mark.parametrize(
    ("debug", "engine", "caches"),
    [
        (True, "cached_db", LOCMEM),  # development: one process
        (False, "db", LOCMEM),
        (False, "cached_db", REDIS),
    ],
)
def test_shared_sessions_pass_the_check(settings, debug, engine, caches):
    settings.DEBUG, settings.CACHES = debug, caches
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    assert check_sessions_shared() == []


def session_engine(env):
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    result = manage("shell", "-c", code, env=PRODUCTION_ENV | env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_keeps_sessions_in_redis_and_the_database_or_the_database_alone():
    redis = {"CACHE_URL": "redis://127.0.0.1:6379/4"}
    assert session_engine(redis) == "django.contrib.sessions.backends.cached_db"
    assert session_engine({"CACHE_URL": ""}) == "django.contrib.sessions.backends.db"

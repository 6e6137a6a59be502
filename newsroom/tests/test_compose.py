"""docker-compose.yml and deploy/nginx.conf agree with the settings: Docker is
not needed to see that the replicas' environment configures a deployable
app, that replicas can scale, and that nginx routes to what compose names."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from newsroom.tests.test_deployment import manage

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
NGINX = (BASE_DIR / "deploy" / "nginx.conf").read_text()
SERVICES = COMPOSE["services"]
# Read by boto3 or gunicorn's command line rather than by the settings.
NOT_SETTINGS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GUNICORN_WORKERS"}


def substituted(value: str) -> str:
    """`${NAME:-default}` as compose fills it in with NAME unset."""
    value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{SECRET_KEY:\?[^}]*\}", "compose-test-secret-key-" + "x" * 40, value)


def app_environment() -> dict[str, str]:
    return {name: substituted(str(value)) for name, value in SERVICES["app"]["environment"].items()}


def test_the_app_scales_no_host_port_no_name_and_migrations_run_once_before_it():
    app = SERVICES["app"]
    assert "ports" not in app and "container_name" not in app
    assert "migrate" not in " ".join(app["command"])
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["migrate"]["environment"] == app["environment"]
    assert SERVICES["web"]["build"]["target"] == "web"


def test_nginx_routes_to_the_app_service_and_the_media_prefix_of_its_bucket():
    env = app_environment()
    assert re.search(r"server app:8000 resolve;", NGINX)
    bucket = env["AWS_STORAGE_BUCKET_NAME"]
    assert f"proxy_pass http://minio:9000/{bucket}/media/;" in NGINX
    assert "originals" not in re.sub(r"#.*", "", NGINX)
    assert f"store/{bucket}/media" in " ".join(SERVICES["minio-init"]["command"])


@pytest.mark.parametrize("name", sorted(set(app_environment()) - NOT_SETTINGS))
def test_every_variable_given_to_the_app_is_one_it_reads(name):
    assert f'"{name}"' in (BASE_DIR / "newsroom" / "settings.py").read_text(), name


def test_the_replicas_environment_passes_the_deployment_check_on_the_bucket():
    env = app_environment() | {"DATABASE_URL": "sqlite://:memory:", "DATABASE_REPLICA_URLS": ""}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    code = (
        "from django.core.files.storage import storages; from django.conf import settings; "
        "print(storages['default'].url('photos/a.webp'), settings.SESSION_ENGINE)"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.stdout.split()[-2:] == [
        "https://localhost:8000/media/photos/a.webp",
        "django.contrib.sessions.backends.cached_db",
    ]

"""Logins are throttled after repeated failures; common passwords are refused."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from newsroom.security import client_ip_behind_proxy

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "Quiet-river-5528"
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("dana", password=PASSWORD, is_staff=True)


def log_in(client, username, password, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def fail(client, times, username="dana", **extra):
    return [log_in(client, username, "wrong-guess", **extra) for _ in range(times)]


def test_five_failures_pause_that_account_from_that_address(client, editor):
    with time_machine.travel(NOON, tick=False):
        attempts = fail(client, 5)
        assert [r.status_code for r in attempts[:4]] == [200] * 4
        assert "Please enter the correct username and password" in attempts[0].content.decode()
        locked = attempts[4]
        assert locked.status_code == 429
        page = locked.content.decode()
        assert "Too many failed logins for this account from your address" in page
        assert "paused for 15 minutes" in page
        assert 'id="login-form"' in page  # the admin's login page, not a bare message
        # Even the right password is refused now.
        assert log_in(client, "dana", PASSWORD).status_code == 429
    with time_machine.travel(NOON + timedelta(minutes=14), tick=False):
        assert log_in(client, "dana", PASSWORD).status_code == 429
    # 15 minutes after the last try the pause is over.
    with time_machine.travel(NOON + timedelta(minutes=29, seconds=1), tick=False):
        response = log_in(client, "dana", PASSWORD)
        assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_pause_is_for_that_username_from_that_address_only(client, editor):
    get_user_model().objects.create_user("aliya", password=PASSWORD, is_staff=True)
    fail(client, 5)
    assert log_in(Client(), "aliya", PASSWORD).status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert log_in(elsewhere, "dana", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(client, editor):
    fail(client, 4)
    assert log_in(client, "dana", PASSWORD).status_code == 302
    client.logout()
    fail(client, 4)
    assert log_in(client, "dana", PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_it_forwarded(rf):
    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip_behind_proxy(request) == "198.51.100.7"
    assert client_ip_behind_proxy(rf.post(LOGIN, REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


@pytest.mark.parametrize("command", ["create_editor", "create_reporter"])
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "This password is too common."),
        ("Xy7!", "This password is too short. It must contain at least 8 characters."),
        ("83749283", "This password is entirely numeric."),
    ],
)
def test_account_commands_refuse_weak_passwords(command, password, message):
    with pytest.raises(CommandError, match=f"That password is refused: .*{message}"):
        call_command(command, "--username", "desk", "--password", password, stdout=StringIO())
    assert not get_user_model().objects.filter(username="desk").exists()


def test_a_weak_password_leaves_an_existing_account_alone():
    call_command("create_editor", "--password", PASSWORD, stdout=StringIO())
    with pytest.raises(CommandError, match="too common"):
        call_command(
            "create_editor", "--reset-password", "--password", "password123", stdout=StringIO()
        )
    assert get_user_model().objects.get(username="editor").check_password(PASSWORD)

"""`manage.py create_editor`: an account once, a new password only when asked."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def create_editor(*args):
    out = StringIO()
    call_command("create_editor", *args, stdout=out)
    return out.getvalue()


def test_creates_the_account_and_prints_its_password():
    output = create_editor()
    password = output.split("password: ")[1].split()[0]
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password)
    assert editor.is_staff and not editor.is_superuser
    assert editor.groups.filter(name="Editors").exists()
    assert editor.has_perm("articles.change_story")
    assert not editor.has_perm("auth.change_user")


def test_running_again_keeps_the_password_and_says_how_to_reset_it():
    create_editor("--password", "first-password-9371")
    output = create_editor()
    assert "already exists; its password is unchanged" in output
    assert "make editor-password" in output
    assert "--reset-password" in output
    assert "password:" not in output
    assert get_user_model().objects.get(username="editor").check_password("first-password-9371")


def test_running_again_leaves_a_signed_in_editor_signed_in(client):
    create_editor()
    client.force_login(get_user_model().objects.get(username="editor"))
    create_editor()
    assert client.get("/admin/").status_code == 200


def test_reset_password_sets_and_prints_a_new_one(client):
    create_editor("--password", "first-password-9371")
    client.force_login(get_user_model().objects.get(username="editor"))
    output = create_editor("--reset-password")
    password = output.split("password: ")[1].split()[0]
    editor = get_user_model().objects.get(username="editor")
    assert password != "first-password-9371"
    assert editor.check_password(password)
    # A new password ends the sessions made with the old one.
    assert client.get("/admin/").status_code == 302


def test_reset_password_of_another_account_names_it():
    create_editor("--username", "desk")
    output = create_editor("--username", "desk")
    assert "create_editor --username desk --reset-password" in output
    assert "make editor-password" not in output


def test_create_reporter_makes_a_reporter_who_cannot_publish():
    out = StringIO()
    call_command("create_reporter", "--username", "aliya", stdout=out)
    assert "Created reporter account “aliya”; password:" in out.getvalue()
    reporter = get_user_model().objects.get(username="aliya")
    assert reporter.is_staff and reporter.groups.filter(name="Reporters").exists()
    assert reporter.has_perm("articles.add_story")
    assert not reporter.has_perm("articles.publish_story")
    again = StringIO()
    call_command("create_reporter", "--username", "aliya", stdout=again)
    assert "manage.py create_reporter --username aliya --reset-password" in again.getvalue()


def test_editors_may_publish_and_setup_roles_is_idempotent():
    create_editor()
    editor = get_user_model().objects.get(username="editor")
    assert editor.has_perm("articles.publish_story")
    first, second = StringIO(), StringIO()
    call_command("setup_roles", stdout=first)
    call_command("setup_roles", stdout=second)
    assert first.getvalue() == second.getvalue()
    assert "Editors:" in first.getvalue() and "Reporters:" in first.getvalue()

"""Accounts in the admin: nobody but a superuser grants staff, superuser or
Editor rights, whatever a hand-made request says."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from newsroom.roles import EDITORS, REPORTERS, ensure_roles

pytestmark = pytest.mark.django_db

USERS = "/admin/auth/user/"
GROUPS = "/admin/auth/group/"
User = get_user_model()


def account(username, *, role=None, perms=(), **fields):
    user = User.objects.create_user(username, password="not-a-real-password-3841", **fields)
    if role:
        user.groups.add(ensure_roles()[role])
    for name in perms:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def manager(client):
    """Staff who manage accounts (every user permission) but are no superuser."""
    user = account(
        "office",
        is_staff=True,
        perms=["auth.add_user", "auth.change_user", "auth.delete_user", "auth.view_user"],
    )
    client.force_login(user)
    return user


def change_post(user, **fields):
    """The user change form's fields as a browser sends them, with `fields` changed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-12-01",
        "date_joined_1": "09:00:00",
    }
    return {key: value for key, value in (data | fields).items() if value is not None}


def test_a_manager_sees_rights_read_only(client, manager):
    newcomer = account("newcomer")
    html = client.get(f"{USERS}{newcomer.pk}/change/").content.decode()
    assert 'name="email"' in html
    for right in ("is_staff", "is_superuser", "groups", "user_permissions"):
        assert not re.search(rf'name="{right}"', html), right


@pytest.mark.parametrize("whose", ["own", "another's"])
def test_a_hand_made_post_granting_rights_is_refused(client, manager, whose):
    target = manager if whose == "own" else account("newcomer")
    editors = ensure_roles()[EDITORS]
    publish = Permission.objects.get(codename="publish_story")

    response = client.post(
        f"{USERS}{target.pk}/change/",
        change_post(
            target,
            first_name="Renamed",
            is_staff="on",
            is_superuser="on",
            groups=[editors.pk],
            user_permissions=[publish.pk],
        ),
    )

    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.first_name == "Renamed"  # what a manager may change is changed
    assert not target.is_superuser
    assert target.is_staff is (whose == "own")
    assert not target.groups.exists()
    assert not target.has_perm("articles.publish_story")


def test_a_manager_cannot_take_over_an_account_with_rights_they_lack(client, manager):
    superuser = account("root", is_staff=True, is_superuser=True)
    editor = account("dana", role=EDITORS, is_staff=True)
    reporter = account("aliya", role=REPORTERS, is_staff=True)
    for target in (superuser, editor, reporter):
        assert client.get(f"{USERS}{target.pk}/change/").status_code == 200  # read-only view
        post = change_post(target, email="attacker@example.org")
        assert client.post(f"{USERS}{target.pk}/change/", post).status_code == 403
        password = {"password1": "Taken-over-7731", "password2": "Taken-over-7731"}
        assert client.post(f"{USERS}{target.pk}/password/", password).status_code == 403
        assert client.post(f"{USERS}{target.pk}/delete/", {"post": "yes"}).status_code == 403
        target = User.objects.get(pk=target.pk)
        assert target.email != "attacker@example.org"
        assert target.check_password("not-a-real-password-3841")


def test_new_accounts_made_by_a_manager_have_no_rights(client, manager):
    response = client.post(
        f"{USERS}add/",
        {
            "username": "newhire",
            "usable_password": "true",
            "password1": "Quiet-river-5528",
            "password2": "Quiet-river-5528",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    newhire = User.objects.get(username="newhire")
    assert not newhire.is_staff and not newhire.is_superuser


def test_common_passwords_are_refused_in_the_admin(client, manager):
    response = client.post(
        f"{USERS}add/",
        {
            "username": "newhire",
            "usable_password": "true",
            "password1": "password123",
            "password2": "password123",
        },
    )
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="newhire").exists()


def test_only_a_superuser_changes_groups(client, manager):
    manager.user_permissions.add(*Permission.objects.filter(content_type__model="group"))
    reporters = ensure_roles()[REPORTERS]
    publish = Permission.objects.get(codename="publish_story")
    client.force_login(User.objects.get(pk=manager.pk))

    post = {"name": REPORTERS, "permissions": [publish.pk]}
    assert client.post(f"{GROUPS}{reporters.pk}/change/", post).status_code == 403
    assert client.post(f"{GROUPS}add/", {"name": "Chiefs"}).status_code == 403
    assert not reporters.permissions.filter(pk=publish.pk).exists()
    assert not Group.objects.filter(name="Chiefs").exists()


def test_a_superuser_grants_editor_rights(admin_client):
    reporter = account("aliya", role=REPORTERS)
    editors = ensure_roles()[EDITORS]
    response = admin_client.post(
        f"{USERS}{reporter.pk}/change/",
        change_post(reporter, is_staff="on", groups=[editors.pk]),
    )
    assert response.status_code == 302
    reporter = User.objects.get(pk=reporter.pk)
    assert reporter.is_staff and reporter.has_perm("articles.publish_story")

"""Newsroom accounts for tests: reporters, editors and staff without a role."""

from django.contrib.auth import get_user_model
from django.test import Client

from newsroom.roles import EDITORS, REPORTERS, ensure_roles


def make_user(username, role=None, **fields):
    """A staff account in `role` ("reporter", "editor" or None), read back
    fresh so that its permission cache is empty."""
    groups = ensure_roles()
    user = get_user_model().objects.create_user(
        username, password="not-a-real-password-3841", is_staff=True, **fields
    )
    if role is not None:
        user.groups.add(groups[{"reporter": REPORTERS, "editor": EDITORS}[role]])
    return get_user_model().objects.get(pk=user.pk)


def newsroom():
    """Two reporters, an editor and a staff account with no role."""
    return {
        "reporter": make_user("aliya", "reporter", first_name="Aliya", last_name="Serik"),
        "other reporter": make_user("timur", "reporter"),
        "editor": make_user("dana", "editor", first_name="Dana", last_name="Bek"),
        "staff": make_user("nobody"),
    }


def signed_in(user) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client

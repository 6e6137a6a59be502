"""Signed-in newsroom roles for the stories app's tests."""

import pytest
from django.test import Client

from newsroom.roles import EDITORS, REPORTERS, ensure_roles


@pytest.fixture
def make_user(django_user_model):
    def make(name, group=None):
        user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
        if group is not None:
            user.groups.add(ensure_roles()[group])
        return user

    return make


@pytest.fixture
def editor(make_user):
    return make_user("ed", EDITORS)


@pytest.fixture
def reporter(make_user):
    return make_user("rita", REPORTERS)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


@pytest.fixture
def reporter_client(reporter):
    return signed_in(reporter)

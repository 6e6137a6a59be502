"""Signed-in newsroom roles for the stories app's tests (built on accounts.py)."""

import pytest

from articles.tests.accounts import make_user as make_account
from articles.tests.accounts import signed_in


@pytest.fixture
def make_user():
    """make_user(name, role=None): a staff account, "reporter", "editor" or neither."""
    return make_account


@pytest.fixture
def editor():
    return make_account("ed", "editor")


@pytest.fixture
def reporter():
    return make_account("rita", "reporter")


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


@pytest.fixture
def reporter_client(reporter):
    return signed_in(reporter)


@pytest.fixture
def dana(account):
    return account("dana", "Dana Kim")

"""Helpers for the tests of editing a story together: editors with names,
their own logged-in browsers, and the edit page's form as they would post it."""

from django.test import Client

from articles.tests.pages import form_data
from newsroom.roles import EDITORS, REPORTERS

STORIES = "/admin/articles/story/"
ADD_STORY = "/admin/articles/story/add/"


def change_url(story) -> str:
    return f"{STORIES}{story.pk}/change/"


def history_url(story) -> str:
    return f"{STORIES}{story.pk}/history/"


def autosave_url(story=None) -> str:
    return f"{STORIES}{story.pk}/autosave/" if story else f"{STORIES}autosave/"


def presence_url(story) -> str:
    return f"{STORIES}{story.pk}/presence/"


def browser(user, **kwargs) -> Client:
    """A test client signed in as `user` (a browser of their own)."""
    client = Client(**kwargs)
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def opened(client, story) -> dict[str, list[str]]:
    """The edit form of `story` as `client` just loaded it."""
    response = client.get(change_url(story))
    assert response.status_code == 200
    return form_data(page(response))


__all__ = ["EDITORS", "REPORTERS"]

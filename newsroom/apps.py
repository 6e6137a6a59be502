"""The project package as an app, at the bottom of the dependencies."""

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project package as an app: shared infrastructure and site-wide commands."""

    name = "newsroom"
    verbose_name = "Newsroom"

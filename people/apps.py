"""The people app: everyone who writes for the newsroom or is quoted in its stories."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

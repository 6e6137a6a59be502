"""The importer of the legacy plain-text archive, on top of every other app."""

from django.apps import AppConfig


class LegacyConfig(AppConfig):
    """The importer of the legacy plain-text archive (`manage.py import_legacy`)."""

    name = "legacy"
    verbose_name = "Legacy archive import"

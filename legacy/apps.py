"""The importer of the legacy plain-text archive, on top of every other app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegacyConfig(AppConfig):
    """The importer of the legacy plain-text archive (`manage.py import_legacy`)."""

    name = "legacy"
    verbose_name = _("Legacy archive import")

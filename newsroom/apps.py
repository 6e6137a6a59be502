"""The project package as an app, at the bottom of the dependencies."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _roles_after_migrate(**kwargs: Any) -> None:
    from newsroom.roles import ensure_roles  # the auth models exist only once apps are ready

    ensure_roles()


class NewsroomConfig(AppConfig):
    """The project package as an app: shared infrastructure and site-wide commands."""

    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        # After every app's migrations, when their permissions exist.
        post_migrate.connect(_roles_after_migrate, dispatch_uid="newsroom-roles")
        # Register the checks that originals are never served, that the
        # publisher's logo is there at its stated size, and that sessions are
        # shared by every app instance, and that originals in object storage
        # are private.
        from newsroom import object_storage, originals, publisher, sessions  # noqa: F401

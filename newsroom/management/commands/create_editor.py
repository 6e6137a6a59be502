"""Create an editor account for the admin once, and print its password.

`make run` calls this on every start so a new user can log in straight away;
once the account exists it is left alone (resetting the password would also
sign out whoever is logged in with it). `--reset-password` (`make
editor-password`) sets and prints a new one. The account belongs to the
"Editors" group, which may add, change and delete stories, photos, topics and
people, and nothing else.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

EDITOR_APPS = ("articles", "people", "taggit")
# The account `make run` creates and `make editor-password` resets.
DEFAULT_USERNAME = "editor"


def editors_group() -> Group:
    """The Editors group with every permission on the newsroom's content."""
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    return group


class Command(BaseCommand):
    help = "Create an editor account and print its password; with --reset-password, set a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default=DEFAULT_USERNAME)
        parser.add_argument(
            "--password",
            help="Use this password instead of generating one (for scripted set-ups).",
        )
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give an existing account a new password (this signs out its sessions).",
        )

    @transaction.atomic
    def handle(
        self,
        *args: object,
        username: str,
        password: str | None,
        reset_password: bool,
        **options: object,
    ) -> None:
        # Kept current on every run: new content models bring new permissions.
        group = editors_group()
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if not created and not reset_password:
            self.stdout.write(
                f"Editor account “{username}” already exists; its password is unchanged. "
                f"For a new one: {self.reset_command(username)}."
            )
            return
        password = password or secrets.token_urlsafe(12)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Reset the password of"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} editor account “{username}”; password: {password}")
        )
        self.stdout.write("Log in at /admin/ with it.")

    @staticmethod
    def reset_command(username: str) -> str:
        """How to give `username` a new password."""
        if username == DEFAULT_USERNAME:
            return "make editor-password (or manage.py create_editor --reset-password)"
        return f"manage.py create_editor --username {username} --reset-password"

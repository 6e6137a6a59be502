"""The shape of the commands that make newsroom accounts (create_editor, create_reporter).

An account is created once and its password printed then; running the
command again leaves it alone (a new password would sign out whoever uses
it), unless `--reset-password` asks for a new one. The account is staff and
belongs to its role's group (newsroom/roles.py), and to nothing else.
"""

import secrets
from typing import Any, ClassVar

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from newsroom.roles import ensure_roles


class AccountCommand(BaseCommand):
    role: ClassVar[str]  # the group: roles.EDITORS or roles.REPORTERS
    noun: ClassVar[str]  # "editor", "reporter"
    default_username: ClassVar[str]
    reset_target: ClassVar[str]  # the make target that resets the default account

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default=self.default_username)
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
        self, *args: Any, username: str, password: str | None, reset_password: bool, **_: Any
    ) -> None:
        group = ensure_roles()[self.role]
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if not created and not reset_password:
            self.stdout.write(
                f"{self.noun.capitalize()} account “{username}” already exists; its password "
                f"is unchanged. For a new one: {self.reset_command(username)}."
            )
            return
        if password is None:
            password = secrets.token_urlsafe(12)
        else:
            check_password(password, user)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Reset the password of"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {self.noun} account “{username}”; password: {password}")
        )
        self.stdout.write("Log in at /admin/ with it.")

    def reset_command(self, username: str) -> str:
        """How to give `username` a new password."""
        command = f"manage.py create_{self.noun}"
        if username == self.default_username and self.reset_target:
            return f"make {self.reset_target} (or {command} --reset-password)"
        return f"{command} --username {username} --reset-password"


def check_password(password: str, user: Any) -> None:
    """Refuse a password that Django's validators refuse (AUTH_PASSWORD_VALIDATORS),
    saying why; the transaction then leaves no account behind."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as refusal:
        raise CommandError(f"That password is refused: {' '.join(refusal.messages)}") from None

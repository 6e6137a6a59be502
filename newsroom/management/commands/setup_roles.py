"""Create or bring up to date the Reporters and Editors groups (newsroom/roles.py).

`migrate` does this by itself after every run; the command is for a database
whose groups someone changed by hand.
"""

from typing import Any

from django.core.management.base import BaseCommand

from newsroom.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or update the Reporters and Editors groups and their permissions."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, group in ensure_roles().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")

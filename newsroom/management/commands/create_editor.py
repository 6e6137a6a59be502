"""Create (or reset) an editor account for the admin and print its password.

`make run` calls this so a new user can log in straight away. The account
belongs to the "Editors" group, which may add, change and delete stories,
photos, topics and people, and nothing else.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

EDITOR_APPS = ("articles", "people", "taggit")


def editors_group() -> Group:
    """The Editors group with every permission on the newsroom's content."""
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    return group


class Command(BaseCommand):
    help = "Create or reset an editor account and print its password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument(
            "--password",
            help="Use this password instead of generating one (for scripted set-ups).",
        )

    @transaction.atomic
    def handle(self, *args, username, password, **options):
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(editors_group())
        verb = "Created" if created else "Reset"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} editor account “{username}” with password: {password}")
        )
        self.stdout.write("Log in at /admin/ with it.")

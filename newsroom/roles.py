"""The newsroom's roles, as groups of permissions, kept current on every migrate.

- Reporters add stories, edit their own drafts and submit them for review
  (articles.workflow holds the rules that go beyond permissions); they add
  the people they quote and the photos they bring, and read the rest.
- Editors hold every permission on the newsroom's content, among them
  `articles.publish_story`: they edit any story, publish, schedule,
  unpublish and correct.

Neither role holds a permission on accounts: only a superuser makes staff,
superusers or editors. The permissions are named as strings, so this package
depends on none of the apps that define them.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

REPORTERS = "Reporters"
EDITORS = "Editors"

# Apps whose every permission an editor holds.
EDITOR_APPS = ("articles", "people", "taggit")

REPORTER_PERMISSIONS = (
    "articles.add_story",
    "articles.change_story",
    "articles.view_story",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "articles.view_byline",
    "articles.add_quotedsource",
    "articles.change_quotedsource",
    "articles.delete_quotedsource",
    "articles.view_quotedsource",
    "articles.add_crosslink",
    "articles.change_crosslink",
    "articles.delete_crosslink",
    "articles.view_crosslink",
    "articles.add_photo",
    "articles.view_photo",
    "articles.view_topic",
    "people.add_person",
    "people.view_person",
    "people.add_personalias",
    "people.view_personalias",
)


def _named(permissions: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for name in permissions:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return condition


def ensure_roles() -> dict[str, Group]:
    """Create the groups if need be and give them exactly their permissions.

    Idempotent; permissions that do not exist yet (an app not migrated) are
    left out and added by a later run.
    """
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    reporters, _ = Group.objects.get_or_create(name=REPORTERS)
    reporters.permissions.set(Permission.objects.filter(_named(REPORTER_PERMISSIONS)))
    return {EDITORS: editors, REPORTERS: reporters}

"""Autosave: a user's work in progress on a story, kept between saves.

The edit page posts its whole form in the background every few seconds
(static/admin-extra/story-editing.js). What it posts is kept as the user's
working copy of that story, or of the new story they are writing: one per
user and story, replaced by each autosave, removed by an explicit save or a
discard. A working copy is never a revision: the history holds only what
someone chose to save, so autosaves cannot flood it.

Restoring a working copy renders the edit form bound to it, inlines and all,
exactly as a refused save would be: nothing is saved until the user saves.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.http import QueryDict
from django.utils import timezone

from articles.models import Story, WorkingCopy

# The token is the page's, not the work; an inline's blank template row is
# no row at all.
_NOT_KEPT = re.compile(r"^csrfmiddlewaretoken$|__prefix__")
_INLINE_FIELD = re.compile(
    r"^(?P<prefix>[\w]+)-(?:\d+-\w+|TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$"
)


# A field drawn by several widgets posts one name each: "published_at_0" (the
# date) and "published_at_1" (the time) for the field "published_at".
_SUBWIDGET_FIELD = re.compile(r"^(?P<field>\w+)_\d+$")


@dataclass(frozen=True)
class FormShape:
    """The names an edit form posts: its own fields and its inlines' prefixes."""

    fields: Collection[str]
    inline_prefixes: Collection[str]

    def posts(self, name: str) -> bool:
        if _NOT_KEPT.search(name):
            return False
        if name in self.fields:
            return True
        part = _SUBWIDGET_FIELD.match(name)
        if part is not None and part["field"] in self.fields:
            return True
        match = _INLINE_FIELD.match(name)
        return match is not None and match["prefix"] in self.inline_prefixes


def kept_fields(post: QueryDict, shape: FormShape) -> list[list[str]]:
    """The posted fields that belong to the form, as [name, value] pairs in order."""
    return [[name, value] for name, values in post.lists() if shape.posts(name) for value in values]


def save(
    *, user: AbstractUser, story: Story | None, fields: list[list[str]], base_version: int | None
) -> WorkingCopy:
    """Keep `fields` as the user's working copy of `story` (None: a new story)."""
    copy, _ = WorkingCopy.objects.update_or_create(
        user_id=user.pk,
        story=story,
        defaults={"data": fields, "base_version": base_version, "saved_at": timezone.now()},
    )
    return copy


def working_copy(user: AbstractUser, story: Story | None) -> WorkingCopy | None:
    return WorkingCopy.objects.filter(user_id=user.pk, story=story).first()


def discard(user: AbstractUser, story: Story | None) -> None:
    WorkingCopy.objects.filter(user_id=user.pk, story=story).delete()


def as_form_data(copy: WorkingCopy) -> QueryDict:
    """The working copy as the form data it was posted as."""
    data = QueryDict(mutable=True)
    for pair in copy.data:
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair):
            data.appendlist(pair[0], pair[1])
    data._mutable = False
    return data


def version_posted(post: Mapping[str, Any]) -> int | None:
    """The story version a form says it was loaded at, or None if it says nothing usable."""
    value = str(post.get("version", ""))
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

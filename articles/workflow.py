"""The editorial workflow: who may do what to a story, in which state.

A story is in one of five states (`Story.state`): draft, in review,
scheduled, published or unpublished. "Scheduled" is not stored: it is a
published story whose publication time has not come, so it appears on the
site at that time with nobody acting (`published_condition` decides when a
query runs). Actions move a story between states; each is allowed from some
states, to some users, and `apply` records each as a StoryTransition.

Roles (newsroom/roles.py): a Reporter adds stories, edits their own drafts
and submits them for review. An Editor holds `articles.publish_story`: they
edit any story and take every action. Every rule is checked here, on the
server: a button the page does not show is refused just the same.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.concurrency import bump_version
from articles.models import SCHEDULED, Photo, Story, StoryTransition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = AbstractUser | AnonymousUser

PUBLISH_PERMISSION = "articles.publish_story"

DRAFT = Story.Status.DRAFT.value
IN_REVIEW = Story.Status.IN_REVIEW.value
PUBLISHED = Story.Status.PUBLISHED.value
UNPUBLISHED = Story.Status.UNPUBLISHED.value
STATE_LABELS: dict[str, StrOrPromise] = {
    DRAFT: _("Draft"),
    IN_REVIEW: _("In review"),
    SCHEDULED: _("Scheduled"),
    PUBLISHED: _("Published"),
    UNPUBLISHED: _("Unpublished"),
}


class Action(enum.StrEnum):
    SAVE = "save"  # keep the story in its state
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNPUBLISH = "unpublish"


@dataclass(frozen=True)
class Rule:
    """The button's words; where an action may start, where it leads (None:
    nowhere new), and whether only editors may take it; and the refusals of
    a story in another state (`%(state)s` its state) and of a non-editor."""

    label: StrOrPromise
    sources: frozenset[str]
    target: str | None
    editors_only: bool
    wrong_state: StrOrPromise
    not_editor: StrOrPromise = ""


_UNPUBLISHED_STATES = frozenset({DRAFT, IN_REVIEW, SCHEDULED, UNPUBLISHED})
RULES: dict[Action, Rule] = {
    Action.SAVE: Rule(
        _("Save"),
        frozenset(STATE_LABELS),
        None,
        editors_only=False,
        wrong_state=_("a story that is %(state)s cannot be saved"),
    ),
    Action.SUBMIT: Rule(
        _("Submit for review"),
        frozenset({DRAFT}),
        IN_REVIEW,
        editors_only=False,
        wrong_state=_("a story that is %(state)s cannot be submitted for review"),
    ),
    Action.RETURN: Rule(
        _("Return to draft"),
        frozenset({IN_REVIEW}),
        DRAFT,
        editors_only=True,
        wrong_state=_("a story that is %(state)s cannot be returned to draft"),
        not_editor=_("only an editor may return a story"),
    ),
    Action.PUBLISH: Rule(
        _("Publish now"),
        _UNPUBLISHED_STATES,
        PUBLISHED,
        editors_only=True,
        wrong_state=_("a story that is %(state)s cannot be published"),
        not_editor=_("only an editor may publish a story"),
    ),
    Action.SCHEDULE: Rule(
        _("Schedule…"),
        _UNPUBLISHED_STATES,
        SCHEDULED,
        editors_only=True,
        wrong_state=_("a story that is %(state)s cannot be scheduled"),
        not_editor=_("only an editor may schedule a story"),
    ),
    Action.UNPUBLISH: Rule(
        _("Unpublish"),
        frozenset({PUBLISHED, SCHEDULED}),
        UNPUBLISHED,
        editors_only=True,
        wrong_state=_("a story that is %(state)s cannot be unpublished"),
        not_editor=_("only an editor may unpublish a story"),
    ),
}


class TransitionRefused(Exception):
    """An action the user may not take on the story now; `reasons` says why, all at once."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def is_editor(user: User) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def can_edit(user: User, story: Story) -> bool:
    """Editors edit any story; a reporter their own stories while they are drafts."""
    if is_editor(user):
        return True
    if story.pk is None:
        return user.has_perm("articles.add_story")
    return (
        user.has_perm("articles.change_story")
        and story.created_by_id is not None
        and story.created_by_id == user.pk
        and story.state == DRAFT
    )


def allowed_actions(user: User, story: Story) -> list[Action]:
    """The actions `user` may take on `story` in its state, in the order the edit page offers them."""
    return [action for action in Action if not _refusals(user, story, action)]


def label(action: Action, story: Story) -> str:
    """The button's words: "Save draft" while it is one, "Save" afterwards."""
    if action is Action.SAVE and story.state == DRAFT:
        return gettext("Save draft")
    return str(RULES[action].label)


def state_label(state: str) -> str:
    """A state's name in the active language ("In review"); an unknown one as stored."""
    return str(STATE_LABELS.get(state, state))


def _refusals(user: User, story: Story, action: Action) -> list[str]:
    rule = RULES[action]
    state = story.state if story.pk is not None else DRAFT
    if state not in rule.sources:
        return [rule.wrong_state % {"state": state_label(state).lower()}]
    if rule.editors_only and not is_editor(user):
        return [str(rule.not_editor)]
    if not can_edit(user, story):
        return [gettext("you may not change this story (a reporter edits only their own drafts)")]
    return []


_TAG = re.compile(r"<[^>]*>")


def missing_for_publication(story: Story) -> list[str]:
    """What readers need that the saved story lacks, every item at once,
    each a reason publishing is refused."""
    missing = []
    if not story.headline.strip():
        missing.append(gettext("publishing needs a headline"))
    if not story.standfirst.strip():
        missing.append(gettext("publishing needs a standfirst"))
    if not _TAG.sub("", story.body or "").strip():
        missing.append(gettext("publishing needs a body"))
    if not story.bylines.exists():
        missing.append(gettext("publishing needs at least one byline"))
    photo: Photo | None = story.lead_photo
    if photo is not None and photo.image and not photo.alt_text.strip():
        missing.append(gettext("publishing needs alt text for the lead photo"))
    return missing


@transaction.atomic
def apply(
    *,
    story: Story,
    action: Action,
    user: User,
    publish_at: datetime | None = None,
    note: str = "",
) -> StoryTransition | None:
    """Take `action` on the saved `story` as `user`; record and return the
    transition (None for a plain save). Raises TransitionRefused, with every
    reason, when the user may not take it now or the story is not ready."""
    reasons = _refusals(user, story, action)
    if not reasons and action in (Action.PUBLISH, Action.SCHEDULE):
        reasons = _publication_refusals(story, action, publish_at)
    if reasons:
        raise TransitionRefused(reasons)
    if action is Action.SAVE:
        return None
    from_state = story.state
    _move(story, action, publish_at)
    story.save(update_fields=["status", "published_at", "updated_at"])
    # An edit form opened before the transition would write the old state back.
    bump_version(story)
    return StoryTransition.objects.create(
        story=story,
        action=action.value,
        from_state=from_state,
        to_state=story.state,
        user_id=user.pk if user.is_authenticated else None,
        publish_at=story.published_at if action is Action.SCHEDULE else None,
        note=note,
    )


def _publication_refusals(story: Story, action: Action, publish_at: datetime | None) -> list[str]:
    reasons = missing_for_publication(story)
    if action is Action.SCHEDULE and (publish_at is None or publish_at <= timezone.now()):
        reasons.append(gettext("a schedule needs a publication time in the future"))
    return reasons


def _move(story: Story, action: Action, publish_at: datetime | None) -> None:
    if action is Action.PUBLISH:
        story.status = Story.Status.PUBLISHED
        # A story published before keeps its dateline; a new one, or one
        # that was scheduled for later, is dated now.
        if story.published_at is None or story.published_at > timezone.now():
            story.published_at = timezone.now()
    elif action is Action.SCHEDULE:
        story.status = Story.Status.PUBLISHED
        story.published_at = publish_at
    else:
        target = RULES[action].target
        assert target is not None and target != SCHEDULED
        story.status = target

"""Revisions of stories: every explicit save kept, compared and restorable.

django-reversion stores each revision: who saved, when, and the story with
its bylines, quoted sources, topics (TaggedStory rows) and cross-links,
serialised together. `StoryRevision` ties it to the story and the version
number it records, which is how an edit refused for being stale finds what
changed since the form was loaded (`changes_since`).

Only explicit saves make revisions (the admin's save, a restore); autosaves
never do (articles.autosave), nor do the importer or workflow transitions.
So that a story changed outside the editor still has a sensible history,
the first revisioned save after such a change first records the stored
state as it was (`record_baseline`): "As imported from the legacy archive".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import reversion
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from articles import services
from articles.concurrency import bump_version
from articles.models import (
    SEARCH_COLUMNS,
    Byline,
    CrossLink,
    Photo,
    QuotedSource,
    Story,
    StoryRevision,
    StoryTransition,
    TaggedStory,
    Topic,
)
from articles.presence import clock_label
from articles.snapshots import Comparison, Snapshot, compare
from people.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = AbstractUser | AnonymousUser

# The relations a story's revision follows; each row is serialised with it.
FOLLOWED = ("bylines", "sources", "outgoing_links", "taggedstory_set")


def register_models() -> None:
    """Tell django-reversion what a story's revision holds (once, at start-up)."""
    if reversion.is_registered(Story):
        return
    # Topics are serialised as their TaggedStory rows: taggit's manager is
    # not a field Django's serialisers write.
    reversion.register(Story, exclude=("topics", *SEARCH_COLUMNS), follow=FOLLOWED)
    for model in (Byline, QuotedSource, CrossLink, TaggedStory):
        reversion.register(model)


def record(
    *,
    story: Story,
    user: User | None,
    comment: str,
    version: int | None = None,
    at: datetime | None = None,
) -> None:
    """Keep the stored `story` and its related rows as a new revision."""
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(story)
        reversion.set_user(user if user is not None and user.is_authenticated else None)
        reversion.set_comment(comment)
        if at is not None:
            reversion.set_date_created(at)
        reversion.add_meta(
            StoryRevision, story=story, version=story.version if version is None else version
        )


def record_baseline(*, story_id: int, version: int) -> None:
    """Before a save changes the story stored at `version`, record that state
    if no revision holds it: the story was imported, written before revisions
    were kept, or changed by the importer since its last revision."""
    latest = latest_revision(story_id)
    if latest is not None and latest.version >= version:
        return
    stored = Story.objects.get(pk=story_id)
    snapshot = Snapshot.from_story(stored)
    if latest is not None and snapshot == snapshot_of(latest):
        return  # only the editorial state changed (a transition)
    if stored.imported_at is not None and (
        latest is None or stored.imported_at > latest.revision.date_created
    ):
        comment = gettext("As imported from the legacy archive")
    elif latest is None:
        comment = gettext("As it was before revisions were kept")
    else:
        comment = gettext("As changed outside the editor")
    record(story=stored, user=None, comment=comment, version=version, at=stored.updated_at)


def latest_revision(story_id: int) -> StoryRevision | None:
    return StoryRevision.objects.filter(story=story_id).select_related("revision").first()


def history(story: Story) -> list[StoryRevision]:
    """The story's revisions, newest first, with who saved each."""
    return list(
        StoryRevision.objects.filter(story=story)
        .select_related("revision__user")
        .order_by("-version")
    )


def snapshot_of(story_revision: StoryRevision) -> Snapshot:
    versions = Version.objects.filter(revision=story_revision.revision_id)
    return Snapshot.from_versions(story_revision.story_id, versions)


def display_name(user: AbstractUser | None) -> str:
    """Who did something, as the pages name them."""
    if user is None:
        return gettext("someone")
    return user.get_full_name() or user.get_username()


# --- What changed since an edit form was loaded --------------------------------


@dataclass(frozen=True)
class Change:
    """One change made to a story after a form was loaded: who, when, and
    what, as a sentence naming %(who)s and %(time)s."""

    who: str
    what: StrOrPromise
    at: datetime

    @property
    def text(self) -> str:
        """The change in words: "Dana Kim saved it at 14:02"."""
        return self.what % {"who": self.who, "time": clock_label(self.at)}


@dataclass(frozen=True)
class Conflict:
    """Why a save from `started_from` was refused: the story is at `now`."""

    started_from: int
    now: int
    changes: list[Change] = field(default_factory=list)
    # Their changes as a diff, when a revision records the form's starting point.
    comparison: Comparison | None = None


def changes_since(story: Story, version: int) -> Conflict:
    """What was done to the stored `story` after its version `version`, with
    a diff of it when a revision records that version's content."""
    base = _base(story, version)
    comparison = (
        compare(snapshot_of(base), Snapshot.from_story(story)) if base is not None else None
    )
    return Conflict(
        started_from=version,
        now=story.version,
        changes=changes_after(story, version, base=base),
        comparison=comparison,
    )


def _base(story: Story, version: int) -> StoryRevision | None:
    """The newest revision at or before `version`: the content a form loaded at it showed."""
    return (
        StoryRevision.objects.filter(story=story, version__lte=version)
        .select_related("revision")
        .first()
    )


def changes_after(story: Story, version: int, *, base: StoryRevision | None = None) -> list[Change]:
    """Who saved or moved the story after its version `version`, oldest first.

    Saves are the revisions after it; transitions record no version, so
    those after the revision that holds `version` are named (the last five
    when no revision does)."""
    base = base or _base(story, version)
    later = StoryRevision.objects.filter(story=story, version__gt=version).select_related(
        "revision__user"
    )
    changes = [
        Change(display_name(r.revision.user), SAVED, r.revision.date_created)
        for r in later.order_by("version")
    ]
    transitions = StoryTransition.objects.filter(story=story).select_related("user")
    if base is not None:
        transitions = transitions.filter(at__gt=base.revision.date_created)
    changes += [
        Change(display_name(t.user), _transition_words(t), t.at)
        for t in transitions.order_by("-at")[:5]
    ]
    return sorted(changes, key=lambda change: change.at)


SAVED = _("%(who)s saved it at %(time)s")
TRANSITION_WORDS = {
    "submit": _("%(who)s submitted it for review at %(time)s"),
    "return": _("%(who)s returned it to draft at %(time)s"),
    "publish": _("%(who)s published it at %(time)s"),
    "schedule": _("%(who)s scheduled it at %(time)s"),
    "unpublish": _("%(who)s unpublished it at %(time)s"),
}


def _transition_words(transition: StoryTransition) -> StrOrPromise:
    return TRANSITION_WORDS.get(transition.action, _("%(who)s changed its state at %(time)s"))


# --- Restoring ------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    """What a restore brought back, and what it could not (rows since deleted)."""

    version: int
    left_out: list[str]


@transaction.atomic
def restore(*, story: Story, revision: StoryRevision, user: User) -> Restored:
    """Bring back `revision`'s content and related rows as a new revision.

    The editorial state (status, dates, embargo) stays as it is. Open edit
    forms are refused afterwards, as after any save. People, topics or a
    photo deleted since are left out and named; a slug another story has
    taken since is not brought back.
    """
    snapshot = snapshot_of(revision)
    before = story.version
    bump_version(story)
    record_baseline(story_id=story.pk, version=before)
    story.refresh_from_db()
    old_slug = story.slug
    left_out = _apply(story, snapshot)
    services.story_saved(story=story, old_slug=old_slug)
    record(
        story=story, user=user, comment=gettext("Restored %(what)s") % {"what": describe(revision)}
    )
    return Restored(version=revision.version, left_out=left_out)


def describe(story_revision: StoryRevision) -> str:
    """“version 3, saved by Dana Kim on 2 Dec 2026 at 14:02”."""
    saved = story_revision.revision
    local = timezone.localtime(saved.date_created)
    params = {
        "version": story_revision.version,
        "date": dateformat.format(local, "j M Y"),
        "time": dateformat.format(local, "H:i"),
        "comment": saved.comment.lower(),
        "who": display_name(saved.user),
    }
    if saved.user is None:
        return gettext("version %(version)s (%(comment)s, %(date)s at %(time)s)") % params
    return gettext("version %(version)s, saved by %(who)s on %(date)s at %(time)s") % params


def _apply(story: Story, snapshot: Snapshot) -> list[str]:
    left_out: list[str] = []
    story.headline = snapshot.headline
    story.standfirst = snapshot.standfirst
    story.body = snapshot.body
    story.language = snapshot.language
    if Story.objects.filter(slug=snapshot.slug).exclude(pk=story.pk).exists():
        left_out.append(
            gettext("the address “%(slug)s”, which another story has now") % {"slug": snapshot.slug}
        )
    else:
        story.slug = snapshot.slug
    photo = snapshot.lead_photo_id
    if photo is not None and not Photo.objects.filter(pk=photo).exists():
        left_out.append(gettext("the lead photo, since deleted"))
        photo = None
    story.lead_photo_id = photo
    story.save()
    people = set(
        Person.objects.filter(
            pk__in={c.person_id for c in (*snapshot.bylines, *snapshot.sources)}
        ).values_list("pk", flat=True)
    )
    missing = {c.person_id for c in (*snapshot.bylines, *snapshot.sources)} - people
    if missing:
        left_out.append(
            ngettext(
                "%(count)d author or source whose person was deleted",
                "%(count)d authors or sources whose people were deleted",
                len(missing),
            )
            % {"count": len(missing)}
        )
    Byline.objects.filter(story=story).delete()
    Byline.objects.bulk_create(
        Byline(story=story, person_id=c.person_id, role=c.text, position=i)
        for i, c in enumerate(c for c in snapshot.bylines if c.person_id in people)
    )
    QuotedSource.objects.filter(story=story).delete()
    QuotedSource.objects.bulk_create(
        QuotedSource(story=story, person_id=c.person_id, description=c.text, position=i)
        for i, c in enumerate(c for c in snapshot.sources if c.person_id in people)
    )
    left_out += _apply_topics_and_links(story, snapshot)
    return left_out


def _apply_topics_and_links(story: Story, snapshot: Snapshot) -> list[str]:
    topics = list(Topic.objects.filter(pk__in=snapshot.topic_ids))
    story.topics.set(topics)
    left_out = []
    if len(topics) < len(set(snapshot.topic_ids)):
        gone = len(set(snapshot.topic_ids)) - len(topics)
        left_out.append(
            ngettext("%(count)d topic since deleted", "%(count)d topics since deleted", gone)
            % {"count": gone}
        )
    targets = set(
        Story.objects.filter(
            pk__in={link.target_id for link in snapshot.links if link.target_id}
        ).values_list("pk", flat=True)
    )
    CrossLink.objects.filter(source=story).delete()
    for i, link in enumerate(snapshot.links):
        # A target since deleted leaves the link pending, found again by title.
        target = link.target_id if link.target_id in targets else None
        CrossLink.objects.create(source=story, title=link.title, target_id=target, position=i)
    return left_out

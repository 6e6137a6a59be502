"""Translations: a story's versions in other languages, linked as one group
around the original, and whether each translation keeps up with it.

A translation points at its original (`Story.translation_of`); one story
per language in a group (a database constraint). A translation records the
original's `version` it was made from or last brought up to date with
(`source_version`); when the original has been saved since, the translation
is out of date, and `changes_since_translated` shows what changed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from articles.models import Byline, Story, StoryRevision
from articles.revisions import snapshot_of
from articles.snapshots import Comparison, Snapshot, compare


def language_name(code: str) -> str:
    """The language named in itself: "Русский" for ru, "English" for en."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return str(dict(settings.LANGUAGES).get(code, code))


@dataclass(frozen=True)
class Version:
    """One other language a reader can read a story in."""

    story: Story
    language: str
    name: str  # in its own language


VERSION_COLUMNS = ("slug", "language", "translation_of", *Story.PUBLICATION_COLUMNS)


def published_versions(story: Story) -> list[Version]:
    """The story's other published versions, in the order of settings.LANGUAGES."""
    order = [code for code, _name in settings.LANGUAGES]
    # The group by its keys, then the rule of published() on those few rows:
    # with the rule in SQL, SQLite (which has no statistics) walks every
    # published story along the publication index instead.
    group = Story.objects.live().in_group_of(story).only(*VERSION_COLUMNS).order_by()
    others = [other for other in group if other.is_published]
    return [
        Version(story=other, language=other.language, name=language_name(other.language))
        for other in sorted(
            others, key=lambda s: order.index(s.language) if s.language in order else len(order)
        )
    ]


def original_among(story: Story, versions: list[Version]) -> Story:
    """The original of `story`'s group for hreflang's x-default: among the
    published `versions` (or `story` itself), else `story`."""
    for version in versions:
        if version.story.pk == story.translation_of_id:
            return version.story
    return story


def missing_languages(story: Story) -> list[str]:
    """The languages of settings.LANGUAGES the story's group has no version in."""
    taken = {story.language, *Story.objects.in_group_of(story).values_list("language", flat=True)}
    return [code for code, _name in settings.LANGUAGES if code not in taken]


@transaction.atomic
def add_translation(*, original: Story, language: str, user: User | None) -> Story:
    """A draft of `original` in `language`, linked to it, with its bylines,
    topics and lead photo, to be translated. Raises ValidationError when
    the group has a version in that language already, or `original` is
    itself a translation (translate its original instead)."""
    if original.translation_of_id is not None:
        raise ValidationError(_("This story is a translation: add translations to its original."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("“%(language)s” is not one of the site's languages."),
            params={"language": language},
        )
    if language not in missing_languages(original):
        raise ValidationError(
            _("The story has a version in %(language)s already."),
            params={"language": language_name(language)},
        )
    translation = Story.objects.create(
        headline=original.headline,
        standfirst=original.standfirst,
        body=original.body,
        language=language,
        lead_photo=original.lead_photo,
        translation_of=original,
        source_version=original.version,
        created_by=user,
        last_edited_by=user,
    )
    Byline.objects.bulk_create(
        Byline(story=translation, person_id=b.person_id, role=b.role, position=b.position)
        for b in original.bylines.all()
    )
    translation.topics.set(list(original.topics.all()))
    return translation


def is_out_of_date(story: Story) -> bool:
    """Whether `story` is a translation whose original was saved after it was
    last brought up to date (`story.translation_of` should be selected)."""
    original = story.translation_of
    if original is None:
        return False
    return story.source_version is None or original.version > story.source_version


def mark_up_to_date(*, translation: Story) -> None:
    """Record that `translation` now follows its original as it is."""
    if translation.translation_of_id is None:
        return
    # The original's version now, not as it was when `translation` was read.
    version = Story.objects.filter(pk=translation.translation_of_id).values_list(
        "version", flat=True
    )
    Story.objects.filter(pk=translation.pk).update(source_version=models.Subquery(version))
    translation.refresh_from_db(fields=["source_version"])


def changes_since_translated(translation: Story) -> Comparison | None:
    """What changed in the original since the version `translation` follows:
    None when that version has no revision to compare with."""
    original = translation.translation_of
    if original is None or translation.source_version is None:
        return None
    base = (
        StoryRevision.objects.filter(story=original, version__lte=translation.source_version)
        .select_related("revision")
        .first()
    )
    if base is None:
        return None
    return compare(snapshot_of(base), Snapshot.from_story(original))

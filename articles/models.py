"""The newsroom's content: stories, their photos, topics, bylines, quoted
sources and cross-links between stories."""

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar, Self, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from articles import search
from newsroom import addresses, caching
from newsroom.image_metadata import stated_copyright
from newsroom.images import (
    Rendition,
    RenditionsMixin,
    dimension_field,
    generated_name,
    original_field,
    rendition_field,
)
from newsroom.memo import remembered
from newsroom.plans import Unindexed
from newsroom.responsive import PictureCredit, Variant, crops_of
from newsroom.sanitize import sanitize_html
from newsroom.slugs import fill_slug
from newsroom.text import normalise_title, shorten
from newsroom.validation import check_length
from people.models import Person

_Credit = TypeVar("_Credit", bound="Credit")

BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}


# The permission to read stories readers cannot see yet (drafts, scheduled,
# embargoed, previews), and the name of the state derived from the status.
VIEW_UNPUBLISHED = "articles.view_story"
SCHEDULED = "scheduled"
# How long a deleted story waits in the trash before `purge_trash` deletes it.
TRASH_DAYS = 30


def published_condition(via: str = "") -> Q:
    """The rule for what readers may see, for a Story reached through `via`:
    published, its publication time come, any embargo over, not in the trash.

    Decided when the query runs, so a scheduled story appears at its time
    with nobody acting. Written as a condition on the joined row's own
    columns rather than `via__in=Story.objects.published()`: the planner then
    joins along the foreign key instead of scanning every published story.
    """
    prefix = f"{via}__" if via else ""
    # The application's clock, not the database's: the one that dates what
    # editors schedule, and the one tests can stop.
    now = timezone.now()
    if via:
        published_by_now = Q(**{f"{prefix}published_at__lte": now})
    else:
        # Not a range SQLite reads an index by: a listing's page bound is (newsroom.plans).
        published_by_now = Q(LessThanOrEqual(Unindexed("published_at"), now))
    published = Q(**{f"{prefix}status": Story.Status.PUBLISHED}) & published_by_now
    no_embargo = Q(**{f"{prefix}embargo_until__isnull": True}) | Q(
        **{f"{prefix}embargo_until__lte": now}
    )
    return published & no_embargo & Q(**{f"{prefix}deleted_at__isnull": True})


class TopicQuerySet(models.QuerySet["Topic"]):
    # Past this many stories a topic's page is read newest-first along the
    # story index rather than by collecting and sorting all its stories.
    LARGE_TOPIC = 2000

    def with_size_hint(self) -> Self:
        """Annotate `is_large`, read from at most LARGE_TOPIC index entries, for filed_under()."""
        return self.annotate(
            is_large=models.Exists(
                TaggedStory.objects.filter(tag=models.OuterRef("pk"))[self.LARGE_TOPIC :]
            )
        )

    def public(self) -> Self:
        """Topics readers may see: those that a published story is filed under."""
        filed = TaggedStory.objects.filter(
            published_condition("content_object"), tag=models.OuterRef("pk")
        )
        return self.filter(models.Exists(filed))

    def get_or_create_by_name(self, name: str, *, kind: str) -> tuple["Topic", bool]:
        """The topic called `name` in any case (the oldest, if several), created
        as a topic of `kind` if new. Raises ValidationError when a new name does not fit."""
        topic = self.filter(name__iexact=name).order_by("pk").first()
        if topic is not None:
            return topic, False
        check_length(Topic, "name", name, what="The topic")
        return self.create(name=name, kind=kind), True

    def with_story_counts(self) -> Self:
        """Annotate `story_count`: how many published stories each topic has."""
        return self.annotate(
            story_count=models.Count(
                "tagged_stories",
                filter=Q(tagged_stories__content_object__in=Story.objects.published()),
            )
        )

    def published_counts(self) -> dict[int, int]:
        """How many published stories each topic that has any has, by topic
        id: counted once per change of the stories (newsroom.memo), not per
        reader, since counting reads every tag of every story."""

        def count() -> dict[int, int]:
            # django-stubs cannot see an annotation made inside a QuerySet method.
            counted = self.model.objects.with_story_counts().filter(story_count__gt=0)  # type: ignore[misc]
            return dict(counted.values_list("pk", "story_count"))  # type: ignore[misc]

        return remembered("topic-story-counts", [caching.LISTINGS], count)

    def with_published_counts(self) -> list["Topic"]:
        """The topics with published stories, each with its `story_count`, by name."""
        counts = self.published_counts()
        topics = list(self.filter(pk__in=list(counts)).order_by("name"))
        for topic in topics:
            topic.story_count = counts[topic.pk]
        return topics


TopicManager = NaturalKeyManager.from_queryset(TopicQuerySet)


class Topic(TagBase):
    """A country, theme or series that stories are filed under."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        THEME = "theme", _("Theme")
        SERIES = "series", _("Series")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.THEME)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown at the top of the topic's page.")
    )

    objects: ClassVar[TopicManager["Topic"]] = TopicManager()

    # Annotations of TopicQuerySet.with_size_hint() and with_story_counts().
    is_large: bool
    story_count: int

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_absolute_url(self) -> str:
        return addresses.by_slug("articles:topic", self.slug)


class TaggedStory(TaggedItemBase):
    content_object = models.ForeignKey("Story", on_delete=models.CASCADE)
    # taggit's way to a custom tag model: the through model replaces its base's
    # foreign key to taggit's own Tag.
    tag = models.ForeignKey(  # type: ignore[assignment]
        Topic, on_delete=models.CASCADE, related_name="tagged_stories"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_story_topic")
        ]
        indexes = [models.Index(fields=["tag", "content_object"])]


def photo_upload_to(instance: "Photo", filename: str) -> str:
    """Originals are stored under a generated name, never the uploader's."""
    return generated_name("photos/originals", filename)


class PhotoQuerySet(models.QuerySet["Photo"]):
    def used_as_lead(self) -> Self:
        """Photos that lead at least one story."""
        return self.filter(models.Exists(Story.objects.filter(lead_photo=models.OuterRef("pk"))))

    def unused(self) -> Self:
        """Photos that lead no story."""
        return self.filter(~models.Exists(Story.objects.filter(lead_photo=models.OuterRef("pk"))))

    def with_image(self) -> Self:
        return self.exclude(image="")

    def without_image(self) -> Self:
        """Photos with a caption or credit but no picture (as imported without one)."""
        return self.filter(image="")

    def without_variants(self) -> Self:
        """Photos with a picture but no responsive renditions yet (saved before there were any)."""
        return self.with_image().filter(variants=[])

    def with_story_counts(self) -> Self:
        """Annotate `story_count`: how many stories each photo leads.

        A counting subquery per row, not a GROUP BY over every photo and story.
        """
        counted = (
            Story.objects.filter(lead_photo=models.OuterRef("pk"))
            .order_by()
            .values("lead_photo")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(story_count=Coalesce(models.Subquery(counted), 0))


class Photo(RenditionsMixin, models.Model):
    """An uploaded photo; readers only ever see its downsized renditions."""

    RENDITION_WIDTH = 1200
    THUMBNAIL_WIDTH = 400
    ORIGINAL_FIELD = "image"
    RENDITIONS = (Rendition("rendition", RENDITION_WIDTH), Rendition("thumbnail", THUMBNAIL_WIDTH))
    VARIANTS_FOLDER = "photos/"

    image = original_field(
        photo_upload_to,
        verbose_name=_("image"),
        width_field="width",
        height_field="height",
        help_text=_(
            "JPEG, PNG or WebP. Imported stories may carry a caption and credit without one."
        ),
    )
    width = dimension_field()
    height = dimension_field()
    rendition = rendition_field(
        "photos/", width_field="rendition_width", height_field="rendition_height"
    )
    rendition_width = dimension_field()
    rendition_height = dimension_field()
    thumbnail = rendition_field(
        "photos/", width_field="thumbnail_width", height_field="thumbnail_height"
    )
    thumbnail_width = dimension_field()
    thumbnail_height = dimension_field()
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(
        _("credit"), max_length=255, blank=True, help_text=_("Printed as “Photo: …”.")
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_("Describes the picture for readers who cannot see it."),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    focal_x = models.FloatField(
        _("focal point across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Where crops centre: 0 is the left edge, 1 the right."),
    )
    focal_y = models.FloatField(
        _("focal point down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Where crops centre: 0 is the top edge, 1 the bottom."),
    )
    # The responsive renditions (newsroom.responsive.Variant rows), made on save.
    variants = models.JSONField(default=list, blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    # Annotation of PhotoQuerySet.with_story_counts().
    story_count: int

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return shorten(self.caption, 80) or self.alt_text or f"Photo {self.pk}"

    def focal_point(self) -> tuple[float, float]:
        return (self.focal_x, self.focal_y)

    def crops(self) -> dict[str, Variant]:
        """The crops for cards, sharing and structured data, by ratio ("16:9", "4:3", "1:1")."""
        return crops_of(self.variants)

    def picture_credit(self, original: bytes) -> PictureCredit:
        """The credit line as the picture's creator, and the copyright its original states."""
        return PictureCredit(creator=self.credit, rights=stated_copyright(original))


class StoryQuerySet(models.QuerySet["Story"]):
    def published(self) -> Self:
        """Stories readers may see: published, their time come, no embargo running."""
        return self.filter(published_condition())

    def visible_to(self, user: AbstractUser | AnonymousUser) -> Self:
        """Every story out of the trash for those who may view unpublished
        ones; the published to the rest."""
        if user.has_perm(VIEW_UNPUBLISHED):
            return self.live()
        return self.published()

    # The trash: a deleted story keeps its row (and its slug) for
    # TRASH_DAYS, invisible everywhere but the admin's trash, until an
    # editor restores it or `manage.py purge_trash` deletes it for good.
    def live(self) -> Self:
        """Stories not in the trash."""
        return self.filter(deleted_at__isnull=True)

    def trashed(self) -> Self:
        """Stories in the trash."""
        return self.filter(deleted_at__isnull=False)

    def trashed_before(self, when: datetime) -> Self:
        """Stories moved to the trash before `when`."""
        return self.filter(deleted_at__lt=when)

    def purgeable_before(self, when: datetime) -> Self:
        """Those `purge_trash` deletes: in the trash since before `when`, and
        without correction notes, which are never deleted (nor their story)."""
        return self.trashed_before(when).filter(notes__isnull=True)

    def in_review(self) -> Self:
        return self.filter(status=Story.Status.IN_REVIEW)

    def scheduled(self) -> Self:
        """Published stories whose publication time has not come yet."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())

    def release_times(self) -> tuple[datetime | None, datetime | None]:
        """When a published story last became visible by its clock alone (its
        publication time or embargo's end come), and when one next will: the
        times at which cached pages stop being true (articles.caching)."""
        now = timezone.now()
        times = self.filter(status=Story.Status.PUBLISHED, deleted_at__isnull=True).aggregate(
            last_published=models.Max("published_at", filter=Q(published_at__lte=now)),
            last_embargo=models.Max("embargo_until", filter=Q(embargo_until__lte=now)),
            next_published=models.Min("published_at", filter=Q(published_at__gt=now)),
            next_embargo=models.Min("embargo_until", filter=Q(embargo_until__gt=now)),
        )
        last = [t for t in (times["last_published"], times["last_embargo"]) if t is not None]
        upcoming = [t for t in (times["next_published"], times["next_embargo"]) if t is not None]
        return max(last, default=None), min(upcoming, default=None)

    def for_listing(self) -> Self:
        """What a story card needs: lead photo and bylines with their people."""
        return (
            self.select_related("lead_photo")
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.with_names()))
            .order_by("-published_at", "-pk")
        )

    # What the newsroom's work writes and no public page shows: reading them
    # into each story cost the story page a third of a millisecond.
    NEWSROOM_COLUMNS = (
        "headline_key",
        "legacy_id",
        "legacy_checksum",
        "created_by",
        "assigned_editor",
        "last_edited_by",
        "deleted_by",
        "created_at",
        "imported_at",
    )

    def for_detail(self) -> Self:
        """What the story page needs, in a fixed number of queries."""
        # One prefetch_related() per model prefetched: django-stubs types a
        # call's Prefetch objects as one queryset type.
        return (
            self.select_related("lead_photo")
            .defer(*self.NEWSROOM_COLUMNS)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.with_names()))
            .prefetch_related(Prefetch("sources", queryset=QuotedSource.objects.with_names()))
            # taggit refuses a custom queryset here; the view orders the few topics.
            .prefetch_related("topics")
            .prefetch_related(
                Prefetch(
                    "outgoing_links",
                    queryset=CrossLink.objects.with_story("target").filter(
                        Q(target__isnull=True) | published_condition("target")
                    ),
                ),
                # Read along the target index and filtered in Python by
                # related_stories(): a condition on the linking story's status
                # lets SQLite (without ANALYZE statistics) scan every published
                # story instead. A story is linked from a handful of others.
                Prefetch("incoming_links", queryset=CrossLink.objects.with_story("source")),
            )
            # Corrections and updates, oldest first, as the story page lists them.
            .prefetch_related(
                Prefetch("notes", queryset=StoryNote.objects.order_by("noted_at", "pk"))
            )
        )

    def with_title(self, title: str) -> Self:
        return self.filter(headline_key=normalise_title(title))

    def for_admin_list(self) -> Self:
        """What the admin's story list shows: topics and bylines with their people, no body."""
        return self.defer("body").prefetch_related(
            "topics",
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
        )

    def for_cards(self) -> Self:
        """for_listing() without the columns a story card never shows, the body above all."""
        return self.for_listing().defer("body", "lead_photo__image", *self.NEWSROOM_COLUMNS)

    def for_feed(self) -> Self:
        """for_cards() with the names of the topics (`filed_under`: the
        story's TaggedStory rows), which a feed item lists as its categories.
        Read through the tagging rows: taggit's own prefetch builds a
        queryset for each story, a tenth of a feed's time."""
        taggings = with_related(TaggedStory.objects.all(), "tag", ("name",))
        return self.for_cards().prefetch_related(
            Prefetch("taggedstory_set", queryset=taggings, to_attr="filed_under")
        )

    def filed_under(self, topic: Topic | int) -> Self:
        """Stories tagged with `topic`, phrased for the fastest plan for its size.

        A small topic: fetch its few story ids from the tag index and sort
        them. A large one (`topic.is_large` from Topic.objects.with_size_hint()):
        walk the stories newest first along the published_at index and probe
        the (tag, story) index for each, stopping after one page, so a
        keyset page costs the same at any depth.
        """
        if getattr(topic, "is_large", False):
            return self.filter(topics=topic)
        return self.filter(pk__in=TaggedStory.objects.filter(tag=topic).values("content_object"))

    def search(self, term: str) -> Self:
        """Stories with every word of `term` or a word starting with it,
        most relevant first (see articles.search): the admin's search."""
        return search.ranked(self, term, prefix=True)

    def ranked_search(self, term: str) -> Self:
        """Stories with every word of `term` (stemmed), most relevant first."""
        return search.ranked(self, term)

    def crediting(self, person: "Person") -> Self:
        """Stories that `person` wrote or is quoted in."""
        return self.filter(
            models.Exists(Byline.objects.filter(story=models.OuterRef("pk"), person=person))
            | models.Exists(QuotedSource.objects.filter(story=models.OuterRef("pk"), person=person))
        )

    def published_in(self, year: int) -> Self:
        """Stories dated in `year` (the site's time zone)."""
        start = timezone.make_aware(datetime(year, 1, 1))
        return self.filter(published_at__gte=start, published_at__lt=start.replace(year=year + 1))

    def in_group_of(self, story: "Story") -> Self:
        """The versions of `story`'s translation group other than itself."""
        original = story.translation_of_id or story.pk
        return self.filter(Q(pk=original) | Q(translation_of=original)).exclude(pk=story.pk)

    def redirected_from(self, old_slug: str) -> Self:
        """The story that `old_slug` used to name (see StoryRedirect)."""
        return self.filter(redirects__old_slug=old_slug)

    # Keyset ("seek") pagination: the page after a story is everything strictly
    # past its (published_at, pk) position in newest-first order, so page 500
    # costs an index range scan from that position, not an OFFSET over 10,000 rows.
    # The redundant `published_at__lte/gte` conjunct gives the planner the range.
    def older_than(self, published_at: datetime, pk: int) -> Self:
        """Stories that come after (published_at, pk) in newest-first order."""
        return self.filter(published_at__lte=published_at).filter(
            Q(published_at__lt=published_at) | Q(pk__lt=pk)
        )

    def newer_than(self, published_at: datetime, pk: int) -> Self:
        """Stories that come before (published_at, pk) in newest-first order."""
        return self.filter(published_at__gte=published_at).filter(
            Q(published_at__gt=published_at) | Q(pk__gt=pk)
        )


# Columns no page reads from a Story: written and matched in SQL alone.
SEARCH_COLUMNS = ("search_vector", "search_rank_vector", "search_headline_vector")


_StoryManagerBase = models.Manager.from_queryset(StoryQuerySet)

# A story's publication time as read from the database, when it was not read.
_UNREAD = object()


class StoryManager(_StoryManagerBase["Story"]):
    """Story.objects: every query leaves out the search vectors, kilobytes a
    story that only the database's full-text matching reads."""

    def get_queryset(self) -> StoryQuerySet:
        stories = StoryQuerySet(self.model, using=self._db)
        return stories.defer(*SEARCH_COLUMNS)


class Story(models.Model):
    class TypeOfWork(models.TextChoices):
        """What kind of journalism a story is, shown to readers (the Trust Project)."""

        NEWS = "news", _("News")
        ANALYSIS = "analysis", _("Analysis")
        OPINION = "opinion", _("Opinion")
        FEATURE = "feature", _("Feature")
        INTERVIEW = "interview", _("Interview")
        EXPLAINER = "explainer", _("Explainer")

    class Status(models.TextChoices):
        """What is stored. A published story whose time has not come is
        *scheduled* (see `state`): readers see it when the time comes."""

        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    headline = models.CharField(_("headline"), max_length=255)
    headline_key = models.CharField(max_length=255, editable=False, db_index=True)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        unique=True,
        blank=True,
        help_text=_("The story's address; filled in from the headline."),
    )
    standfirst = models.TextField(
        _("standfirst"), blank=True, help_text=_("The one-sentence summary under the headline.")
    )
    type_of_work = models.CharField(
        _("type of work"),
        max_length=20,
        choices=TypeOfWork.choices,
        default=TypeOfWork.NEWS,
        help_text=_("Shown to readers beside the headline, so they know what kind of story it is."),
    )
    body = ProseEditorField(
        _("body"), extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_html, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Shown as the dateline. Set automatically when first published."),
    )
    embargo_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_(
            "Nobody outside the newsroom sees the story before this time, even with its address."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories_created",
        editable=False,
        verbose_name=_("created by"),
    )
    assigned_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories_assigned",
        verbose_name=_("assigned editor"),
        help_text=_("The editor who sees the story through to publication."),
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("last edited by"),
    )
    # Raised by every save: a form saved from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    lead_photo = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        verbose_name=_("lead photo"),
    )
    topics = TaggableManager(_("topics"), through=TaggedStory, blank=True, related_name="stories")
    legacy_id = models.CharField(
        _("legacy ID"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The legacy export this story was imported from."),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True, editable=False)
    # Set while the story is in the trash (see StoryQuerySet.live).
    deleted_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("moved to the trash by"),
    )
    legacy_checksum = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Hash of the parsed legacy file, to tell an unchanged re-import.",
    )
    # Translations (see articles.translations): a translation points at its
    # original; an original's group is itself and its translations.
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        editable=False,
        verbose_name=_("translation of"),
    )
    # The original's `version` this translation was last brought up to date with.
    source_version = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # PostgreSQL's full-text index of the story; the same without the body,
    # and its headline alone, which rank the matches (articles.search,
    # articles.search_index); unused elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    search_rank_vector = SearchVectorField(null=True, editable=False)
    search_headline_vector = SearchVectorField(null=True, editable=False)

    objects = StoryManager()
    # published_at as read from the database (from_db), to see save() change it.
    _stored_published_at: Any

    # Filled by StoryQuerySet.for_feed(): the story's taggings, each with its topic's name.
    filed_under: list["TaggedStory"]

    # Annotation of StoryQuerySet.search() and ranked_search().
    search_rank: float
    # Set by a service that refreshes the search index itself after writing
    # the story's credits (see articles.search_index).
    search_refresh_later = False

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_pub_idx"),
            # The trash's few rows, newest first, without scanning every story.
            models.Index(
                fields=["-deleted_at"],
                name="story_trash_idx",
                condition=Q(deleted_at__isnull=False),
            ),
            # A story's translations: the few rows that have an original. With
            # ANALYZE's statistics, an index over every story's (mostly empty)
            # translation_of looks no better than reading them all.
            models.Index(
                fields=["translation_of"],
                name="story_translations_idx",
                condition=Q(translation_of__isnull=False),
            ),
            GinIndex(fields=["search_vector"], name="story_search_vector_gin"),
            GinIndex(fields=["search_rank_vector"], name="story_search_rank_gin"),
            GinIndex(fields=["search_headline_vector"], name="story_search_headline_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_story_has_date",
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="one_translation_per_language"
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("pk")), name="translation_not_of_itself"
            ),
        ]
        permissions = [
            ("publish_story", "Can publish, schedule, unpublish and correct stories"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.headline_key = normalise_title(self.headline)
        fill_slug(self, self.headline, fallback="story")
        self.date_if_published()
        self.body = sanitize_html(self.body)
        adding = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        stored = getattr(self, "_stored_published_at", _UNREAD)
        if not adding and stored != self.published_at and (not fields or "published_at" in fields):
            # Its credits' copies (Credit.story_published_at), which order people's pages.
            for credits in (self.bylines, self.sources):
                credits.update(story_published_at=self.published_at)
        self._stored_published_at = self.published_at

    def get_absolute_url(self) -> str:
        return addresses.by_slug("articles:story", self.slug)

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Self:
        story = super().from_db(db, field_names, values)
        story._stored_published_at = story.__dict__.get("published_at", _UNREAD)
        return story

    @property
    def type_of_work_label(self) -> str:
        """get_type_of_work_display() by the enum, not by translating every
        choice's label to look this one up (a listing shows twenty)."""
        try:
            return str(self.TypeOfWork(self.type_of_work).label)
        except ValueError:
            return self.type_of_work

    def clean(self) -> None:
        # Before the constraint check of a form: publishing without a date means now.
        self.date_if_published()

    def date_if_published(self) -> None:
        """A story published without a publication date is published now."""
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()

    # What is_published reads: a query that checks it in Python loads these.
    PUBLICATION_COLUMNS = ("status", "published_at", "embargo_until", "deleted_at")

    @property
    def is_published(self) -> bool:
        """Whether readers may see the story now (the rule of `published_condition`)."""
        now = timezone.now()
        return (
            self.deleted_at is None
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    @property
    def visible_from(self) -> datetime | None:
        """When readers will see a published story: its publication time, or
        the end of its embargo if later. None for a story not published."""
        if self.status != self.Status.PUBLISHED or self.published_at is None:
            return None
        if self.embargo_until is not None and self.embargo_until > self.published_at:
            return self.embargo_until
        return self.published_at

    @property
    def state(self) -> str:
        """The editorial state: the stored status, or "scheduled" for a
        published story whose time has not come."""
        if (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        ):
            return SCHEDULED
        return self.status


class StorySearchEntry(models.Model):
    """SQLite only: a story's row in the FTS5 table of migration 0009 (see
    articles.search), which StoryQuerySet.search() joins by rowid."""

    story = models.OneToOneField(
        Story,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    headline = models.TextField()
    standfirst = models.TextField()
    names = models.TextField()
    body = models.TextField()

    class Meta:
        managed = False
        db_table = "articles_story_fts"

    def __str__(self) -> str:
        return self.headline


class StoryTransition(models.Model):
    """One step of a story's editorial history: who moved it from which state
    to which, and when (see articles.workflow)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # For a schedule: the publication time chosen.
    publish_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("editorial step")
        verbose_name_plural = _("editorial steps")
        indexes = [models.Index(fields=["story", "-at"], name="transition_story_idx")]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


_Rows = TypeVar("_Rows", bound=models.QuerySet[Any])


def with_related(queryset: _Rows, relation: str, columns: Iterable[str]) -> _Rows:
    """`queryset`'s rows whole, joined to the row at `relation` read for its `columns` only."""
    own = [field.name for field in queryset.model._meta.concrete_fields]
    return queryset.select_related(relation).only(*own, *(f"{relation}__{c}" for c in columns))


class CreditQuerySet(models.QuerySet[_Credit]):
    """Bylines and quoted sources: a person's part in a story."""

    # The story columns that a list of links to stories shows.
    LINK_COLUMNS = ("story__headline", "story__slug", "story__standfirst", "story__published_at")

    def with_names(self) -> Self:
        """Each credit with its person's name and address, the rest of the
        person (a biography, a headshot's variants) left unread."""
        return with_related(self, "person", Person.LINK_COLUMNS)

    def published(self) -> Self:
        """Those in stories readers may see."""
        return self.filter(published_condition("story"))

    def published_each(self) -> Self:
        """published(), each credit's story checked by its key: for a few
        people's credits, read along the person index. (The join of
        published() lets SQLite walk every published story for each person.)"""
        stories = Story.objects.published().filter(pk=models.OuterRef("story_id"))
        return self.filter(models.Exists(stories))

    def for_person_page(self, text_field: str) -> Self:
        """Newest story first, each with the story columns a link needs and
        `text_field`: for one person, read in that order along their index."""
        return (
            self.select_related("story")
            .only("person", text_field, *self.LINK_COLUMNS)
            .order_by("-story_published_at", "-story")
        )

    def bulk_create(
        self,
        objs: Iterable[_Credit],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Any = None,
        unique_fields: Any = None,
    ) -> list[_Credit]:
        """QuerySet.bulk_create(), each credit dated by its story first (what save() does)."""
        credits = list(objs)
        dates = {c.story_id: c.story.published_at for c in credits if c.story_is_read()}
        unread = sorted({c.story_id for c in credits} - dates.keys())
        for start in range(0, len(unread), 500):  # under any database's limit of parameters
            chunk = unread[start : start + 500]
            dates |= dict(Story.objects.filter(pk__in=chunk).values_list("pk", "published_at"))
        for credit in credits:
            credit.story_published_at = dates[credit.story_id]
        return super().bulk_create(
            credits,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )


class Credit(models.Model):
    """A person's part in a story, in the story's order."""

    story: "models.ForeignKey[Story, Story]"
    story_id: int
    # A copy of the story's publication time: a person's page reads their
    # newest credits along (person, this, story) and stops at the fiftieth,
    # where sorting by the story's own column meant reading every story a
    # source was ever quoted in (1,717 of them for the most quoted).
    # Written by save() and bulk_create(), and by Story.save() when the
    # story's time changes; only the order of a person's page depends on it.
    story_published_at = models.DateTimeField(null=True, editable=False)

    objects = CreditQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        indexes = [
            models.Index(
                fields=["person", "-story_published_at", "-story"],
                name="%(class)s_person_newest",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.story_published_at = self.story.published_at
        super().save(*args, **kwargs)

    def story_is_read(self) -> bool:
        """Whether the credit holds its story, or would have to read it."""
        return type(self).story.is_cached(self)


class Byline(Credit):
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="bylines", verbose_name=_("story")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="bylines",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"),
        max_length=255,
        blank=True,
        help_text=_("As printed, e.g. “IWPR’s country director in Kazakstan”."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta(Credit.Meta):
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["story", "person"], name="unique_story_author")
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.role}" if self.role else str(self.person)


class QuotedSource(Credit):
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="sources", verbose_name=_("story")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="quotations",
        verbose_name=_("person"),
    )
    description = models.CharField(
        _("description"),
        max_length=500,
        blank=True,
        help_text=_("How this story describes them, e.g. “journalist and political commentator”."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of first appearance in the story.")
    )

    class Meta(Credit.Meta):
        verbose_name = _("quoted source")
        verbose_name_plural = _("quoted sources")
        constraints = [
            models.UniqueConstraint(fields=["story", "person"], name="unique_story_source")
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.description}" if self.description else str(self.person)


class CrossLinkQuerySet(models.QuerySet["CrossLink"]):
    # What a link to a story shows, and what says whether readers may follow it.
    STORY_COLUMNS = ("headline", "slug", *Story.PUBLICATION_COLUMNS)

    def pending(self) -> Self:
        return self.filter(target__isnull=True)

    def with_story(self, end: str) -> Self:
        """Each link with the story at its `end` ("source" or "target"),
        only the columns a link to it needs."""
        return with_related(self, end, self.STORY_COLUMNS)


class CrossLink(models.Model):
    """A "(See …)" reference from one story to another, matched by title.

    The link points at the target row, not its slug, so it survives renames;
    while no story has the title it stays pending and is rendered as text.
    """

    source = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="outgoing_links", verbose_name=_("source")
    )
    title = models.CharField(
        _("title"), max_length=500, help_text=_("The title as written in the story.")
    )
    title_key = models.CharField(max_length=500, editable=False, db_index=True)
    target = models.ForeignKey(
        Story,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_links",
        verbose_name=_("target"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Whether the story's text carries the link (its title as written, or a
    # story link inserted in the editor) as of the last save; one that leaves
    # the text is removed, one never in it is listed under "See also".
    in_text = models.BooleanField(default=False, editable=False)

    objects = CrossLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("cross-link")
        verbose_name_plural = _("cross-links")
        constraints = [
            models.UniqueConstraint(fields=["source", "title_key"], name="unique_link_title"),
            models.CheckConstraint(
                condition=~Q(target=models.F("source")), name="link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title_key = normalise_title(self.title)
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.target_id is None


class StoryRedirect(models.Model):
    """An old slug of a story, so that links and bookmarks survive a rename."""

    old_slug = models.SlugField(_("old slug"), max_length=255, unique=True)
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("story")
    )

    class Meta:
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.story.slug}"


class PathRedirectQuerySet(models.QuerySet["PathRedirect"]):
    def for_path(self, path: str) -> Self:
        """The redirect of `path` as normalised (see PathRedirect.normalise)."""
        return self.filter(old_path=PathRedirect.normalise(path))


class PathRedirect(models.Model):
    """An old address (a legacy URL such as /en/news/12345.html) of a story,
    answered with a permanent redirect when nothing else answers it (see
    articles.redirects). It names the story, never another address, so
    redirects never chain or loop."""

    old_path = models.CharField(
        _("old path"),
        max_length=500,
        unique=True,
        help_text=_("The address without the site, e.g. “/en/news/12345.html”."),
    )
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="path_redirects", verbose_name=_("story")
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = PathRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")

    def __str__(self) -> str:
        return f"{self.old_path} → {self.story_id}"

    @staticmethod
    def normalise(path: str) -> str:
        """`path` as stored: no scheme, host, query or fragment, no trailing
        slash (but "/"), repeated slashes folded; "" for no path at all."""
        parts = urlsplit(path.strip())
        value = re.sub(r"/{2,}", "/", parts.path)
        return value.rstrip("/") or ("/" if value else "")


# --- Preview links ------------------------------------------------------------


class PreviewLinkQuerySet(models.QuerySet["PreviewLink"]):
    def active(self) -> Self:
        """Links that still open their story: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_token(self, token: str) -> Self:
        """The link whose token is `token` (found by its hash: tokens are never stored)."""
        return self.filter(token_hash=PreviewLink.hash_token(token))


class PreviewLink(models.Model):
    """A shareable, expiring, revocable link that lets someone without an
    account read one story as it is saved (see articles.previews).

    Only a SHA-256 hash of the token is stored: whoever reads the database
    cannot open the link, and the link is shown once, when it is made.
    """

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("story")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        _("shared with"),
        max_length=200,
        blank=True,
        help_text=_("Whom the link is for, e.g. “our lawyer”: shown in the list of links."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="preview_link_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"Preview link to “{self.story}”"

    @staticmethod
    def new_token() -> str:
        """256 random bits, URL-safe."""
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


# --- Corrections and updates --------------------------------------------------


class NotesAreAppendOnly(Exception):
    """A correction or update note, or an earlier text of one, cannot be deleted."""


class StoryNoteQuerySet(models.QuerySet["StoryNote"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise NotesAreAppendOnly("Corrections are never deleted: withdraw one, with a reason.")

    def public(self) -> Self:
        """Notes of stories readers may see."""
        return self.filter(published_condition("story"))

    def for_listing(self) -> Self:
        """Newest first, each with the story columns its link needs."""
        return (
            self.select_related("story")
            .only(
                "kind",
                "text",
                "noted_at",
                "amended_at",
                "withdrawn_at",
                "withdrawal_reason",
                "story__headline",
                "story__slug",
            )
            .order_by("-noted_at", "-pk")
        )

    # Keyset pagination along (noted_at, pk), as StoryQuerySet.older_than.
    def older_than(self, noted_at: datetime, pk: int) -> Self:
        return self.filter(noted_at__lte=noted_at).filter(Q(noted_at__lt=noted_at) | Q(pk__lt=pk))

    def newer_than(self, noted_at: datetime, pk: int) -> Self:
        return self.filter(noted_at__gte=noted_at).filter(Q(noted_at__gt=noted_at) | Q(pk__gt=pk))


class StoryNote(models.Model):
    """A dated correction or update appended to a story (see articles.corrections).

    Append-only: the text changes only with a recorded reason (the earlier
    text kept as a StoryNoteRevision), a note is withdrawn with a reason
    rather than removed, and neither is ever deleted, nor is a story that has
    notes.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    story = models.ForeignKey(
        Story, on_delete=models.PROTECT, related_name="notes", verbose_name=_("story")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("text"), help_text=_("What was wrong and what is right, or what is new.")
    )
    noted_at = models.DateTimeField(_("dated"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    amended_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(blank=True, editable=False)

    objects = StoryNoteQuerySet.as_manager()

    class Meta:
        ordering = ["noted_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        indexes = [models.Index(fields=["-noted_at", "-id"], name="note_newest_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_has_text"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="withdrawn_note_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {timezone.localdate(self.noted_at):%d %B %Y}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise NotesAreAppendOnly("Corrections are never deleted: withdraw one, with a reason.")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def changed_at(self) -> datetime:
        """When readers last saw this note change: appended, amended or withdrawn."""
        return max(t for t in (self.noted_at, self.amended_at, self.withdrawn_at) if t is not None)


class StoryNoteRevision(models.Model):
    """The text a note had before an editor amended it, and why it changed."""

    note = models.ForeignKey(StoryNote, on_delete=models.PROTECT, related_name="revisions")
    text = models.TextField()
    reason = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["edited_at", "pk"]
        verbose_name = _("earlier text of a note")
        verbose_name_plural = _("earlier texts of notes")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="note_revision_has_reason")
        ]

    def __str__(self) -> str:
        return f"Earlier text of {self.note}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise NotesAreAppendOnly("The earlier texts of a correction are kept.")


# --- Revisions and working copies --------------------------------------------
# What articles.revisions keeps of every save, and what articles.autosave keeps
# of work in progress between saves.


class StoryRevision(models.Model):
    """One saved state of a story: the django-reversion Revision that holds
    who saved it, when, and the story with its bylines, sources, topics and
    cross-links as they were, tied to the story and the version it records."""

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="story_revision"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    # Story.version when this state was saved: an edit form started from
    # version n is compared with the newest revision at or before n.
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-version", "-pk"]
        verbose_name = _("story revision")
        verbose_name_plural = _("story revisions")
        constraints = [
            models.UniqueConstraint(fields=["story", "version"], name="unique_story_revision")
        ]

    def __str__(self) -> str:
        return f"{self.story_id} v{self.version}"


class WorkingCopy(models.Model):
    """A user's unsaved work on a story's edit form (or on a new story's),
    kept in the background by autosave until they save or discard it.
    Never a revision: the history holds only what someone chose to save."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # None: the form of a new story, not saved yet.
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="working_copies"
    )
    # The form's fields as posted, inlines included: [[name, value], …].
    data = models.JSONField(default=list)
    # The story's version the form was loaded at.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="unique_working_copy"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(story__isnull=True),
                name="unique_new_story_working_copy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.story_id or 'a new story'}"

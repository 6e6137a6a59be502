"""People: everyone who writes for the newsroom or is quoted in its stories."""

import difflib
from typing import Any, Self

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections, models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from newsroom import addresses
from newsroom.images import (
    Rendition,
    RenditionsMixin,
    dimension_field,
    generated_name,
    original_field,
    rendition_field,
)
from newsroom.plans import planned
from newsroom.slugs import fill_slug, unique_slug
from newsroom.text import name_key
from newsroom.validation import check_length


class PersonQuerySet(models.QuerySet["Person"]):
    def with_headshot(self) -> Self:
        return self.exclude(headshot="")

    def without_variants(self) -> Self:
        """People with a headshot but no responsive variants of it yet (saved before there were any)."""
        return self.with_headshot().filter(variants=[])

    def with_story_counts(self) -> Self:
        """Annotate how many stories each person wrote and was quoted in."""
        return self.annotate(
            bylines_count=models.Count("bylines", distinct=True),
            quotations_count=models.Count("quotations", distinct=True),
        )

    def public(self) -> Self:
        """People readers may see: those credited, as author or quoted
        source, in a published story."""
        return self.filter(
            self._credited_in_published("bylines") | self._credited_in_published("quotations")
        )

    def for_admin_list(self) -> Self:
        """with_story_counts() for a paginated list: the same two counts, per row.

        Joining bylines and quotations in one GROUP BY multiplies each person's
        rows (bylines × quotations) and aggregates the whole table before the
        page is cut; a counting subquery per row uses the foreign-key indexes.
        """
        return self.annotate(
            bylines_count=self._count("bylines"), quotations_count=self._count("quotations")
        )

    # A person's bylines and quotations are rows of the stories app, reached
    # through the reverse relations it declares; their querysets say what is
    # published. People never import the stories app: it is built on this one.

    def _credits(self, relation: str) -> Any:
        """The model behind the reverse relation `relation` (Byline, QuotedSource)."""
        return self.model._meta.get_field(relation).related_model

    def _credited_in_published(self, relation: str) -> models.Exists:
        credits = self._credits(relation).objects.published_each()
        return models.Exists(credits.filter(person=models.OuterRef("pk")))

    def _count(self, relation: str) -> Coalesce:
        credits = self._credits(relation)
        rows = credits.objects.filter(person=models.OuterRef("pk")).order_by()
        counted = rows.values("person").annotate(n=models.Count("pk")).values("n")
        return Coalesce(models.Subquery(counted), 0)

    def find(self, name: str) -> "Person | None":
        """The person whose name or a recorded alias matches `name`, or None."""
        key = name_key(name)
        return (
            self.filter(models.Q(name_key=key) | models.Q(aliases__name_key=key)).distinct().first()
        )

    def similar_to(self, text: str, *, public: bool = False) -> "Person | None":
        """The person of these (those readers may see, if `public`) whose name
        or a recorded alias is closest to `text`, a near-miss spelling
        ("Zhovtos" for Yevgeny Zhovtis), or None.

        PostgreSQL: of the 20 names and aliases (everyone's) closest by
        pg_trgm's word similarity (at least its word_similarity_threshold,
        0.6), read through their trigram indexes, the closest that is one of
        these people's. SQLite: of the names sharing most trigrams with
        `text` in the FTS5 trigram table of migration 0004 (everyone's),
        the closest by difflib's ratio against the whole name or one of its
        words that is one of these people's.
        """
        text = " ".join(text.split())[:200]
        if len(text) < 3:
            return None
        if connections[self.db].vendor == "postgresql":
            closest = self._closest_by_trigrams(text)
        elif connections[self.db].vendor == "sqlite":
            closest = self._closest_in_trigram_table(text)
        else:
            return None
        if not closest:
            return None
        # Only now, and only for these few: what readers may see is a costly
        # condition to build, and most searches are no name at all.
        people = self.public() if public else self
        found = {person.pk: person for person in people.filter(pk__in=closest)}
        return next((found[pk] for pk in closest if pk in found), None)

    def _closest_by_trigrams(self, text: str, *, candidates: int = 20) -> list[int]:
        """Ids of everyone's names and aliases closest to `text`, closest first;
        similar_to() keeps those of its queryset, read for these few alone."""
        # The text as a parameter (django-stubs types it as a str).
        similarity = TrigramWordSimilarity(models.Value(text), "name")  # type: ignore[arg-type]
        people = (
            Person.objects.using(self.db)
            .filter(name__trigram_word_similar=text)
            .annotate(similarity=similarity)
            .values_list("pk", "similarity")
        )
        aliases = (
            PersonAlias.objects.using(self.db)
            .filter(name__trigram_word_similar=text)
            .annotate(similarity=similarity)
            .values_list("person_id", "similarity")
        )
        # Through the trigram indexes: reading every name costs ten times more.
        with planned(self.db) as scans:
            scans(bitmap=True)
            closest = people.union(aliases).order_by("-similarity", "pk")[:candidates]
            return list(dict.fromkeys(pk for pk, _ in closest))

    def _closest_in_trigram_table(self, text: str, *, candidates: int = 20) -> list[int]:
        """Ids of the names closest to `text` and close enough, closest first."""
        folded = text.casefold()
        trigrams = {folded[i : i + 3] for i in range(len(folded) - 2)}
        query = " OR ".join('"{}"'.format(t.replace('"', '""')) for t in sorted(trigrams))
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT person_id, name FROM {NAME_TRIGRAMS} WHERE {NAME_TRIGRAMS} MATCH %s "
                "ORDER BY rank LIMIT %s",
                [query, candidates],
            )
            rows = cursor.fetchall()
        scored = sorted(
            ((_name_closeness(folded, name), -person_id) for person_id, name in rows), reverse=True
        )
        return [-negated for closeness, negated in scored if closeness >= SUGGESTION_CLOSENESS]

    def get_or_create_by_name(self, name: str) -> tuple["Person", bool]:
        """The person called `name` (or with it as a recorded alias), created if new.

        Raises ValidationError when a new name does not fit.
        """
        person = self.find(name)
        if person is not None:
            return person, False
        check_length(Person, "name", name, what="The name")
        slug = unique_slug(Person.objects.all(), name, fallback="person")
        return self.create(name=name, slug=slug), True


# SQLite's FTS5 table of people's names and aliases, by trigram (migration 0004).
NAME_TRIGRAMS = "people_name_trigram"
# How close (difflib ratio) a name must be to be suggested on SQLite.
SUGGESTION_CLOSENESS = 0.75


def _name_closeness(folded: str, name: str) -> float:
    """difflib's ratio of `folded` to the name or the closest of its words."""
    name = name.casefold()
    return max(
        difflib.SequenceMatcher(None, folded, part).ratio() for part in [name, *name.split()]
    )


class PersonAliasQuerySet(models.QuerySet["PersonAlias"]):
    def add_unless_taken(self, *, person_id: int, name: str) -> bool:
        """Record `name` as a spelling of the person, unless a person or an
        alias already has it. Returns whether it was recorded."""
        key = name_key(name)
        if not key or self.filter(name_key=key).exists():
            return False
        if Person.objects.filter(name_key=key).exists():
            return False
        check_length(PersonAlias, "name", name, what="The alias")
        self.create(person_id=person_id, name=name)
        return True


def headshot_upload_to(instance: "Person", filename: str) -> str:
    """Uploads are stored under a generated name, never the uploader's."""
    return generated_name("people/originals", filename)


class Person(RenditionsMixin, models.Model):
    """One real person, whether author, quoted source or both."""

    HEADSHOT_WIDTH = 320
    ORIGINAL_FIELD = "headshot"
    RENDITIONS = (Rendition("headshot_rendition", HEADSHOT_WIDTH),)
    # The responsive variants (newsroom.responsive): a headshot shows 160 px
    # wide, so these serve screens of one to three pixels a point; and one
    # square crop, which stands for the person where their page is shared.
    # What a link to the person's page shows (articles' credits read only these).
    LINK_COLUMNS = ("name", "slug")
    VARIANTS_FOLDER = "people/variants/"
    VARIANT_WIDTHS = (160, 320, 480)
    CROP_RATIOS = ((1, 1),)
    SHARE_CROP = "1:1"

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The person's page address.")
    )
    bio = models.TextField(
        _("bio"),
        blank=True,
        help_text=_("A short biography or affiliation shown on the person's page."),
    )
    headshot = original_field(
        headshot_upload_to,
        verbose_name=_("headshot"),
        help_text=_("Optional portrait, JPEG, PNG or WebP."),
    )
    # What readers see: a downsized copy, never the upload itself.
    headshot_rendition = rendition_field(
        "people/", width_field="headshot_width", height_field="headshot_height"
    )
    headshot_width = dimension_field()
    headshot_height = dimension_field()
    # The headshot's responsive variants (newsroom.responsive.Variant rows), made on save.
    variants = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    # Filled by read_latest_stories(): bylines and quotations (rows of the
    # stories app) in published stories, newest first.
    published_bylines: list[models.Model]
    published_quotations: list[models.Model]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="person_name_trgm")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        fill_slug(self, self.name, fallback="person")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return addresses.by_slug("people:detail", self.slug)

    def read_latest_stories(self, *, limit: int) -> None:
        """Fill `published_bylines` and `published_quotations`: the person's
        latest published stories as author and as source, newest first, at
        most `limit` of each, each with its story (the columns a list of
        links needs). Each list is one query reading about `limit` rows
        along the credits' (person, story's time) index, however many
        stories the person is credited in."""
        self.published_bylines = self._latest_published("bylines", "role", limit=limit)
        self.published_quotations = self._latest_published("quotations", "description", limit=limit)

    def _latest_published(self, relation: str, text_field: str, *, limit: int) -> list[Any]:
        # The stories app's credits, through the reverse relations it declares.
        credits = getattr(self, relation).published_each().for_person_page(text_field)
        return list(credits[:limit])


class PersonAlias(models.Model):
    """Another spelling of a person's name that resolves to the same person."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, unique=True, editable=False)

    objects = PersonAliasQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("spelling variant")
        verbose_name_plural = _("spelling variants")
        indexes = [GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="alias_name_trgm")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

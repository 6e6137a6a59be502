"""People: everyone who writes for the newsroom or is quoted in its stories."""

import uuid

from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse

from articles.images import (
    generated_name,
    needs_rendition,
    store_rendition,
    validate_photo_file,
)
from articles.titles import normalise_title
from newsroom.slugs import unique_slug


def name_key(name: str) -> str:
    """The key under which spellings of a name are matched."""
    return normalise_title(name)


class PersonQuerySet(models.QuerySet):
    def with_story_counts(self):
        """Annotate how many stories each person wrote and was quoted in."""
        return self.annotate(
            bylines_count=models.Count("bylines", distinct=True),
            quotations_count=models.Count("quotations", distinct=True),
        )

    def for_admin_list(self):
        """with_story_counts() for a paginated list: the same two counts, per row.

        Joining bylines and quotations in one GROUP BY multiplies each person's
        rows (bylines × quotations) and aggregates the whole table before the
        page is cut; a counting subquery per row uses the foreign-key indexes.
        """
        from articles.models import Byline, QuotedSource

        def count(model):
            rows = model.objects.filter(person=models.OuterRef("pk")).order_by()
            counted = rows.values("person").annotate(n=models.Count("pk")).values("n")
            return Coalesce(models.Subquery(counted), 0)

        return self.annotate(bylines_count=count(Byline), quotations_count=count(QuotedSource))

    def for_detail(self, *, limit: int = 50):
        """What the person page needs: their latest published stories, as author and as source.

        Fills `published_bylines` and `published_quotations`, newest story first,
        at most `limit` of each, each with its story (only the columns a list of
        links needs).
        """
        # Imported here: articles.models refers to people by name, and a
        # module-level import would tie the two apps' load order together.
        from articles.models import Byline, QuotedSource, published_condition

        published = published_condition("story")
        story_columns = (
            "story__headline",
            "story__slug",
            "story__standfirst",
            "story__published_at",
        )

        def latest(relation, model, *fields):
            return models.Prefetch(
                relation,
                queryset=model.objects.filter(published)
                .select_related("story")
                .only("person", *fields, *story_columns)
                .order_by("-story__published_at", "-story__pk")[:limit],
                to_attr=f"published_{relation}",
            )

        return self.prefetch_related(
            latest("bylines", Byline, "role"), latest("quotations", QuotedSource, "description")
        )

    def find(self, name: str):
        """The person whose name or a recorded alias matches `name`, or None."""
        key = name_key(name)
        return (
            self.filter(models.Q(name_key=key) | models.Q(aliases__name_key=key)).distinct().first()
        )


def headshot_upload_to(instance, filename):
    """Uploads are stored under a generated name, never the uploader's."""
    return generated_name("people/originals", filename)


class Person(models.Model):
    """One real person, whether author, quoted source or both."""

    HEADSHOT_WIDTH = 320

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(max_length=200, unique=True, help_text="The person's page address.")
    bio = models.TextField(
        blank=True,
        help_text="A short biography or affiliation shown on the person's page.",
    )
    headshot = models.ImageField(
        upload_to=headshot_upload_to,
        blank=True,
        validators=[validate_photo_file],
        help_text="Optional portrait, JPEG, PNG or WebP.",
    )
    # What readers see: a downsized copy, never the upload itself.
    headshot_rendition = models.ImageField(
        upload_to="people/",
        blank=True,
        editable=False,
        width_field="headshot_width",
        height_field="headshot_height",
    )
    headshot_width = models.PositiveIntegerField(null=True, editable=False)
    headshot_height = models.PositiveIntegerField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        if not self.slug:
            self.slug = unique_slug(
                Person.objects.exclude(pk=self.pk), self.name, fallback="person"
            )
        if not self.headshot:
            self.headshot_rendition = None
            self.headshot_width = self.headshot_height = None
        elif needs_rendition(self.headshot, self.headshot_rendition):
            self.render_headshot()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

    def render_headshot(self):
        """(Re)build the reader-facing copy of the headshot."""
        self.headshot_width, self.headshot_height = store_rendition(
            self.headshot, self.headshot_rendition, self.HEADSHOT_WIDTH, stem=uuid.uuid4().hex
        )


class PersonAlias(models.Model):
    """Another spelling of a person's name that resolves to the same person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "spelling variant"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

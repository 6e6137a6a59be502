"""People: everyone who writes for the newsroom or is quoted in its stories."""

from django.db import models
from django.urls import reverse

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

    def find(self, name: str):
        """The person whose name or a recorded alias matches `name`, or None."""
        key = name_key(name)
        return (
            self.filter(models.Q(name_key=key) | models.Q(aliases__name_key=key)).distinct().first()
        )


class Person(models.Model):
    """One real person, whether author, quoted source or both."""

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(max_length=200, unique=True, help_text="The person's page address.")
    bio = models.TextField(
        blank=True,
        help_text="A short biography or affiliation shown on the person's page.",
    )
    headshot = models.ImageField(
        upload_to="people/", blank=True, help_text="Optional portrait, JPEG, PNG or WebP."
    )
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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})


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

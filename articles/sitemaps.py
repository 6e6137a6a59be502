"""Sitemaps for search engines: stories, topics and people, the news sitemap
of the last two days, and the robots.txt that names them.

`/sitemap.xml` lists every URL while they fit in one sitemap (the protocol's
50,000) and becomes an index of the sections' pages once they do not. Only
what readers may see is listed: published stories, and the topics and people
that have one.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from articles.models import Byline, QuotedSource, Story, Topic, published_condition
from newsroom.caching import public_page
from people.models import Person

# The sitemap protocol's limit of URLs in one file.
URLS_PER_SITEMAP = 50_000
# Google News reads the stories of the last two days, at most 1,000 of them.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class Section(Sitemap):  # type: ignore[type-arg]
    """A sitemap whose count is read once a request: Django's makes a new
    paginator, and counts again, on every use."""

    limit = URLS_PER_SITEMAP

    @cached_property
    def paginator(self) -> Paginator:  # type: ignore[type-arg]
        return Paginator(self._items(), self.limit)  # type: ignore[attr-defined]


class StorySitemap(Section):
    def items(self) -> Any:
        return Story.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item: Story) -> datetime:
        return item.updated_at


class TopicSitemap(Section):
    def items(self) -> Any:
        newest = Max(
            "tagged_stories__content_object__updated_at",
            filter=published_condition("tagged_stories__content_object"),
        )
        return (
            Topic.objects.annotate(newest=newest)
            .filter(newest__isnull=False)
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, item: Topic) -> datetime:
        newest: datetime = item.newest  # type: ignore[attr-defined]
        return newest


def _newest_credit(credits: Any) -> Subquery:
    """The newest update of a published story in which the outer person has one of `credits`."""
    rows = credits.objects.published().filter(person=OuterRef("pk"))
    return Subquery(rows.order_by("-story__updated_at").values("story__updated_at")[:1])


class PersonSitemap(Section):
    def items(self) -> Any:
        return (
            Person.objects.public()
            .annotate(
                newest_byline=_newest_credit(Byline),
                newest_quotation=_newest_credit(QuotedSource),
            )
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, item: Person) -> datetime:
        dates: list[datetime | None] = [item.newest_byline, item.newest_quotation]  # type: ignore[attr-defined]
        return max(date for date in dates if date is not None)


class NewsSitemap(Section):
    """Stories published in the last NEWS_WINDOW, for news search engines."""

    limit = NEWS_LIMIT

    def items(self) -> Any:
        since = timezone.now() - NEWS_WINDOW
        return (
            Story.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "headline", "language", "published_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item: Story) -> datetime:
        return item.updated_at


SITEMAPS: dict[str, type[Section]] = {
    "stories": StorySitemap,
    "topics": TopicSitemap,
    "people": PersonSitemap,
}


@public_page(params=("p",))
@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every URL in one sitemap while they fit, else an index of the sections' pages."""
    sections = {name: section() for name, section in SITEMAPS.items()}
    total = sum(section.paginator.count for section in sections.values())
    if total <= min(section.limit for section in sections.values()):
        return sitemap_views.sitemap(request, sections)  # type: ignore[arg-type]
    listed = {name: section for name, section in sections.items() if section.paginator.count}
    return sitemap_views.index(
        request,
        listed,  # type: ignore[arg-type]
        sitemap_url_name="articles:sitemap_section",
    )


@public_page(params=("p",))
@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section's sitemap, page by page (`?p=`), as the index lists them."""
    return sitemap_views.sitemap(
        request,
        SITEMAPS,  # type: ignore[arg-type]
        section=section,
    )


@public_page()
@require_GET
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Stories of the last two days in the Google News sitemap format."""
    return sitemap_views.sitemap(
        request,
        {"news": NewsSitemap},
        template_name="sitemaps/news.xml",
    )


@public_page()
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers keep out of the admin and the preview pages, and are told of both sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

"""RSS 2.0 and Atom feeds of the latest stories, of a topic's and of a person's.

Only what readers may see (`Story.objects.published()`), newest first. Each
item carries the standfirst, the authors, the topics as categories and the
lead photo's reader rendition as an enclosure (never the original). Its guid
is the story's permanent address by id, which outlives a change of slug.
"""

import copy
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, SyndicationFeed

from articles.models import Byline, QuotedSource, Story, Topic
from newsroom.images import stored_size
from people.models import Person

# A feed reader fetches the feed often: a page of the latest, not the archive.
ITEMS = 20
RENDITION_TYPE = "image/webp"


def feed_stories() -> Any:
    """Published stories with what an item needs, newest first, in a fixed number of queries."""
    return Story.objects.published().for_feed()


class LatestStories(Feed):  # type: ignore[type-arg]
    """The site's latest stories, as RSS 2.0 (and Atom in the subclass)."""

    _request: HttpRequest

    description_template = None

    def title(self, obj: Any = None) -> str:
        return f"{settings.SITE_NAME}: latest stories"

    def link(self, obj: Any = None) -> str:
        return reverse("articles:home")

    def description(self, obj: Any = None) -> str:
        return f"The latest stories from {settings.SITE_NAME}."

    def stories(self, obj: Any) -> Any:
        return feed_stories()

    def items(self, obj: Any = None) -> list[Story]:
        return list(self.stories(obj)[:ITEMS])

    def item_title(self, item: Story) -> str:
        return item.headline

    def item_description(self, item: Story) -> str:
        return item.standfirst

    def item_link(self, item: Story) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Story) -> str:
        return self._request.build_absolute_uri(
            reverse("articles:story_by_id", kwargs={"pk": item.pk})
        )

    item_guid_is_permalink = False

    def item_pubdate(self, item: Story) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Story) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Story) -> str | None:
        names = [byline.person.name for byline in item.bylines.all()]
        return ", ".join(names) or None

    def item_categories(self, item: Story) -> list[str]:
        return sorted(tagging.tag.name for tagging in item.filed_under)

    def item_enclosures(self, item: Story) -> list[Enclosure]:
        photo = item.lead_photo
        if photo is None or not photo.rendition:
            return []
        url = self._request.build_absolute_uri(photo.rendition.url)
        return [Enclosure(url, str(stored_size(photo.rendition)), RENDITION_TYPE)]

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        # One Feed serves every request: the absolute addresses are built on
        # a copy that knows this request.
        view = copy.copy(self)
        view._request = request
        return Feed.get_feed(view, obj, request)


class LatestStoriesAtom(LatestStories):
    feed_type: type[SyndicationFeed] = Atom1Feed
    subtitle = LatestStories.description


class TopicStories(LatestStories):
    """The latest stories filed under one topic. Like the topic's page, it
    exists only once a published story is filed under it."""

    def get_object(self, request: HttpRequest, slug: str) -> Topic:
        return get_object_or_404(Topic.objects.public().with_size_hint(), slug=slug)

    def title(self, obj: Any = None) -> str:
        return f"{obj.name} | {settings.SITE_NAME}"

    def link(self, obj: Any = None) -> str:
        return str(obj.get_absolute_url())

    def description(self, obj: Any = None) -> str:
        return f"The latest stories about {obj.name} from {settings.SITE_NAME}."

    def stories(self, obj: Any) -> Any:
        return feed_stories().filed_under(obj)


class TopicStoriesAtom(TopicStories):
    feed_type = Atom1Feed
    subtitle = TopicStories.description


class PersonStories(LatestStories):
    """The latest stories a person wrote or is quoted in. Like the person's
    page, it exists only once they appear in a published story."""

    def get_object(self, request: HttpRequest, slug: str) -> Person:
        person = get_object_or_404(Person, slug=slug)
        if not self.stories(person).exists():
            raise Http404("No such person.")
        return person

    def title(self, obj: Any = None) -> str:
        return f"{obj.name} | {settings.SITE_NAME}"

    def link(self, obj: Any = None) -> str:
        return str(obj.get_absolute_url())

    def description(self, obj: Any = None) -> str:
        return f"Stories by and quoting {obj.name} from {settings.SITE_NAME}."

    def stories(self, obj: Any) -> Any:
        return feed_stories().filter(
            Q(pk__in=Byline.objects.filter(person=obj).values("story"))
            | Q(pk__in=QuotedSource.objects.filter(person=obj).values("story"))
        )


class PersonStoriesAtom(PersonStories):
    feed_type = Atom1Feed
    subtitle = PersonStories.description

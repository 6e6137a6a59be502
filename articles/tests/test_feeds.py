"""The RSS and Atom feeds, read as a feed reader reads them (feedparser)."""

from datetime import timedelta
from typing import Any

import feedparser
import pytest
import time_machine
from django.utils import timezone

from articles.models import Story
from articles.tests.factories import make_photo, make_rich_story, make_story, make_topic
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/rss/", "/feeds/atom/"]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("url", FEEDS)
def test_the_latest_stories_come_newest_first_with_what_a_reader_shows(client, url):
    author = make_person("Aigerim Sadykova")
    oil = make_topic("Oil")
    older = make_story("Older Story", published_at=timezone.now() - timedelta(days=2))
    story = make_story(
        "Mangistau Oil Workers Still Waiting",
        published_at=timezone.now() - timedelta(hours=1),
        standfirst="A decade on, the strikers' families ask for justice.",
        authors=[author],
        topics=[oil, make_topic("Kazakhstan")],
        lead_photo=make_photo(),
    )

    response, feed = read(client, url)

    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == [story.headline, older.headline]
    entry = feed.entries[0]
    assert entry.summary == story.standfirst
    assert entry.author == "Aigerim Sadykova"
    assert {tag.term for tag in entry.tags} == {"Oil", "Kazakhstan"}
    assert entry.link == f"http://testserver{story.get_absolute_url()}"
    assert entry.id == f"http://testserver/stories/id/{story.pk}/"
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href.startswith("http://testserver/media/")
    assert enclosure.type == "image/webp"
    assert int(enclosure.length) == story.lead_photo.rendition.size


def test_an_enclosure_is_the_reader_rendition_never_the_original(client):
    story = make_story("Pictured", lead_photo=make_photo())

    _, feed = read(client, "/feeds/rss/")

    enclosure = feed.entries[0].enclosures[0]
    assert enclosure.href.endswith(story.lead_photo.rendition.name)
    assert story.lead_photo.image.name not in enclosure.href


def test_the_guid_survives_a_change_of_slug(client):
    story = make_story("First Headline")
    _, before = read(client, "/feeds/rss/")
    story.slug = "second-headline"
    story.save()

    _, after = read(client, "/feeds/rss/")

    assert after.entries[0].id == before.entries[0].id
    assert after.entries[0].link.endswith("/stories/second-headline/")


def test_several_authors_are_all_named(client):
    make_story("Joint Report", authors=[make_person("Nigora Saidova"), make_person("Timur Aliev")])

    _, feed = read(client, "/feeds/rss/")

    assert feed.entries[0].author == "Nigora Saidova, Timur Aliev"


def test_a_topic_feed_holds_only_the_topic_stories(client):
    water = make_topic("Water")
    make_story("Wells Run Dry", topics=[water])
    make_story("Something Else", topics=[make_topic("Media")])

    for kind in ("rss", "atom"):
        _, feed = read(client, f"/topics/{water.slug}/feed/{kind}/")
        assert [entry.title for entry in feed.entries] == ["Wells Run Dry"]
        assert "Water" in feed.feed.title


def test_a_person_feed_holds_stories_by_and_quoting_them(client):
    person = make_person("Yevgeny Zhovtis")
    make_story("By Him", authors=[person])
    make_story("Quoting Him", sources=[person])
    make_story("Without Him", authors=[make_person()])

    for kind in ("rss", "atom"):
        _, feed = read(client, f"/people/{person.slug}/feed/{kind}/")
        assert {entry.title for entry in feed.entries} == {"By Him", "Quoting Him"}


def test_a_person_only_in_unpublished_stories_has_no_feed(client):
    source = make_person("Confidential Source")
    make_story("Investigation", status=Story.Status.DRAFT, sources=[source])

    assert client.get(f"/people/{source.slug}/feed/rss/").status_code == 404
    assert client.get("/people/nobody-at-all/feed/rss/").status_code == 404
    assert client.get("/topics/no-such-topic/feed/atom/").status_code == 404


def test_a_topic_only_in_unpublished_stories_has_no_feed(client):
    topic = make_topic("Confidential Inquiry")
    make_story("Investigation", status=Story.Status.DRAFT, topics=[topic])
    make_story("Coming soon", published_at=timezone.now() + timedelta(days=1), topics=[topic])

    assert client.get(f"/topics/{topic.slug}/feed/rss/").status_code == 404
    assert client.get(f"/topics/{topic.slug}/feed/atom/").status_code == 404


def test_home_topic_and_person_pages_announce_their_feeds(client, html_of):
    person = make_person("Asel Omarova")
    topic = make_topic("Health")
    make_story("Clinics Close", authors=[person], topics=[topic])

    assert 'href="/feeds/rss/"' in html_of(client.get("/"))
    topic_page = html_of(client.get(topic.get_absolute_url()))
    assert f'href="/topics/{topic.slug}/feed/rss/"' in topic_page
    person_page = html_of(client.get(person.get_absolute_url()))
    assert f'href="/people/{person.slug}/feed/atom/"' in person_page


def test_nothing_unpublished_scheduled_or_embargoed_is_in_any_feed(client):
    person = make_person("Marat Ibraev")
    topic = make_topic("Elections")
    soon = timezone.now() + timedelta(hours=1)
    make_story("Visible Story", authors=[person], topics=[topic])
    hidden: dict[str, dict[str, Any]] = {
        "Draft Story": {"status": Story.Status.DRAFT},
        "Story In Review": {"status": Story.Status.IN_REVIEW},
        "Unpublished Story": {"status": Story.Status.UNPUBLISHED},
        "Scheduled Story": {"published_at": soon},
        "Embargoed Story": {"embargo_until": soon},
    }
    for headline, fields in hidden.items():
        make_story(headline, authors=[person], topics=[topic], **fields)
    urls = [
        *FEEDS,
        f"/topics/{topic.slug}/feed/rss/",
        f"/topics/{topic.slug}/feed/atom/",
        f"/people/{person.slug}/feed/rss/",
        f"/people/{person.slug}/feed/atom/",
    ]

    for url in urls:
        _, feed = read(client, url)
        assert [entry.title for entry in feed.entries] == ["Visible Story"], url

    with time_machine.travel(soon + timedelta(seconds=1), tick=False):
        _, feed = read(client, "/feeds/rss/")
    assert {entry.title for entry in feed.entries} == {
        "Visible Story",
        "Scheduled Story",
        "Embargoed Story",
    }


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/feeds/rss/", 3),
        ("/feeds/atom/", 3),
        ("/topics/{topic}/feed/rss/", 4),
        ("/people/{person}/feed/atom/", 5),
    ],
)
def test_a_feed_costs_the_same_queries_for_one_story_or_many(client, count_queries, url, queries):
    person = make_person()
    topic = make_topic()

    def page():
        return url.format(topic=topic.slug, person=person.slug)

    make_rich_story(authors=[person]).topics.add(topic)
    few = count_queries(client, page()).queries
    for _ in range(5):
        story = make_rich_story(authors=[person])
        story.topics.add(topic)

    many = count_queries(client, page())

    assert len(feedparser.parse(many.response.content).entries) == 6
    assert many.queries == few == queries

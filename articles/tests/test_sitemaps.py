"""The sitemaps, the news sitemap and robots.txt, read as a crawler reads them."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils import timezone

from articles import sitemaps
from articles.models import Story
from articles.tests.factories import make_story, make_topic
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(root):
    return [loc.text.removeprefix("http://testserver") for loc in root.iterfind(".//sm:loc", NS)]


def test_the_sitemap_lists_published_stories_and_the_topics_and_people_in_them(client):
    author = make_person("Dilnoza Yusupova")
    source = make_person("Asel Omarova")
    water = make_topic("Water")
    story = make_story("Wells Run Dry", authors=[author], sources=[source], topics=[water])
    make_person("Never Published")
    make_topic("Empty Topic")

    root = xml_of(client, "/sitemap.xml")

    assert root.tag == f"{{{NS['sm']}}}urlset"
    assert sorted(locations(root)) == sorted(
        [
            story.get_absolute_url(),
            water.get_absolute_url(),
            author.get_absolute_url(),
            source.get_absolute_url(),
        ]
    )
    lastmods = {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.iterfind("sm:url", NS)
    }
    assert set(lastmods.values()) == {timezone.localdate(story.updated_at).isoformat()}


def test_past_the_limit_the_sitemap_becomes_an_index_of_pages(client, monkeypatch):
    for section in sitemaps.SITEMAPS.values():
        monkeypatch.setattr(section, "limit", 2)
    topic = make_topic("Media")
    for n in range(3):
        make_story(f"Story {n}", topics=[topic])

    index = xml_of(client, "/sitemap.xml")

    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    pages = locations(index)
    assert pages == ["/sitemap-stories.xml", "/sitemap-stories.xml?p=2", "/sitemap-topics.xml"]
    listed = [url for page in pages for url in locations(xml_of(client, page))]
    assert len(listed) == 4
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-stories.xml?p=9").status_code == 404


def test_the_news_sitemap_holds_the_last_two_days_in_the_news_namespace(client, settings):
    settings.SITE_NAME = "Caucasus Reporting"
    now = timezone.now().replace(microsecond=0)
    fresh = make_story("Fresh Story", published_at=now - timedelta(hours=47), language="ru")
    make_story("Old Story", published_at=now - timedelta(hours=49))

    with time_machine.travel(now, tick=False):
        root = xml_of(client, "/news-sitemap.xml")

    assert locations(root) == [fresh.get_absolute_url()]
    news = root.find("sm:url/news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Caucasus Reporting"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ru"
    assert news.findtext("news:title", namespaces=NS) == "Fresh Story"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert datetime.fromisoformat(published) == fresh.published_at

    with time_machine.travel(now + timedelta(hours=2), tick=False):
        assert locations(xml_of(client, "/news-sitemap.xml")) == []


def test_nothing_unpublished_scheduled_or_embargoed_is_in_a_sitemap(client):
    soon = timezone.now() + timedelta(hours=1)
    secret_source = make_person("Secret Source")
    secret_topic = make_topic("Secret Topic")
    hidden = [
        make_story("Draft", status=Story.Status.DRAFT),
        make_story("In Review", status=Story.Status.IN_REVIEW),
        make_story("Unpublished", status=Story.Status.UNPUBLISHED),
        make_story("Scheduled", published_at=soon),
        make_story("Embargoed", embargo_until=soon),
    ]
    for story in hidden:
        story.topics.add(secret_topic)
        story.sources.create(person=secret_source)
    visible = make_story("Visible", published_at=timezone.now() - timedelta(hours=1))

    for url in ("/sitemap.xml", "/news-sitemap.xml"):
        assert locations(xml_of(client, url)) == [visible.get_absolute_url()], url

    with time_machine.travel(soon + timedelta(seconds=1), tick=False):
        listed = locations(xml_of(client, "/sitemap.xml"))
    assert secret_topic.get_absolute_url() in listed
    assert {"/stories/scheduled/", "/stories/embargoed/"} <= set(listed)


def test_sitemaps_cost_the_same_queries_for_few_stories_or_many(client, count_queries):
    def publish(n):
        for _ in range(n):
            make_story(
                published_at=timezone.now() - timedelta(hours=1),
                authors=[make_person()],
                sources=[make_person()],
                topics=[make_topic()],
            )

    publish(1)
    few = {url: count_queries(client, url).queries for url in ("/sitemap.xml", "/news-sitemap.xml")}
    publish(5)

    many = {url: count_queries(client, url).queries for url in few}

    assert many == few == {"/sitemap.xml": 6, "/news-sitemap.xml": 2}


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines

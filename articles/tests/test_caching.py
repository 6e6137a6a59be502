"""HTTP caching of the public pages and the server-side page cache
(newsroom/caching.py, articles/caching.py): headers, conditional requests,
no cookies, and every change a reader would notice shown at once.

Writes run in `committed()`: a transaction of their own whose on-commit
callbacks run as it ends (the test's own transaction never commits, and the
cache is invalidated on commit).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import corrections, trash, workflow
from articles.models import Story
from articles.tests.accounts import make_user, signed_in
from articles.tests.factories import make_story, make_topic
from articles.tests.test_admin import change_url, edit_post
from articles.workflow import Action
from newsroom import caching
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.COUNT_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor():
    return make_user("dana", "editor")


@pytest.fixture
def site():
    """A published story with an author, a quoted source and a topic, and the
    public pages that show it."""
    author, source = make_person(name="Aliya Serik"), make_person(name="Yevgeny Zhovtis")
    topic = make_topic("Labour")
    story = make_story("Oil workers strike", authors=[author], sources=[source], topics=[topic])
    pages = {
        "home": "/",
        "story": story.get_absolute_url(),
        "topics": "/topics/",
        "topic": topic.get_absolute_url(),
        "author": author.get_absolute_url(),
        "source": source.get_absolute_url(),
        "corrections": "/corrections/",
        "feed": "/feeds/rss/",
        "topic feed": f"/topics/{topic.slug}/feed/atom/",
        "author feed": f"/people/{author.slug}/feed/rss/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
        "robots": "/robots.txt",
    }
    return {"story": story, "topic": topic, "author": author, "pages": pages}


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def shows(client, url, text) -> bool:
    response = client.get(url)
    return response.status_code == 200 and text in response.content.decode()


def warm(client, urls):
    """Every page read once, so the next read is a cache hit (0 queries)."""
    for url in urls:
        client.get(url)
        assert queries_of(client, url)[1] == 0, url


# --- Headers ----------------------------------------------------------------


def test_anonymous_public_pages_are_public_with_validators_and_no_cookie(client, site):
    for name, url in site["pages"].items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Cache-Control"] == CACHE_CONTROL, name
        assert response["ETag"].startswith('"') and response["Last-Modified"], name
        assert response["Vary"] == "Cookie", name
        assert not response.cookies, name
        # A hit is the same page with the same headers.
        again = client.get(url)
        assert again["Cache-Control"] == CACHE_CONTROL and again["ETag"] == response["ETag"]
        assert again.content == response.content and not again.cookies, name


def test_signed_in_staff_get_private_no_store_pages_never_from_the_cache(client, site, editor):
    staff = signed_in(editor)
    draft = make_story("Secret draft", status=Story.Status.DRAFT, topics=[site["topic"]])
    for name, url in [*site["pages"].items(), ("draft", draft.get_absolute_url())]:
        response = staff.get(url)
        assert response.status_code == 200, name
        assert "private" in response["Cache-Control"], name
        assert "no-store" in response["Cache-Control"], name
        assert "ETag" not in response, name
    # What staff saw is not what readers get from the cache.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_admin_and_its_forms_are_private_no_store(client, site, editor):
    assert "no-store" in client.get("/admin/login/")["Cache-Control"]
    # A form posted to a public address is never kept.
    assert "no-store" in client.post("/", {"q": "x"})["Cache-Control"]
    staff = signed_in(editor)
    for url in ("/admin/", change_url(site["story"]), "/admin/articles/story/"):
        response = staff.get(url)
        assert response.status_code == 200
        assert {"private", "no-store"} <= set(response["Cache-Control"].replace(",", "").split())


def test_conditional_requests_get_304(client, site):
    for name, url in site["pages"].items():
        first = client.get(url)
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert by_etag.status_code == 304 and not by_etag.content, name
        assert by_etag["ETag"] == first["ETag"] and "public" in by_etag["Cache-Control"]
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert by_date.status_code == 304, name
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
        old = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=old).status_code == 200, name


def test_an_edit_changes_the_validators(client, site, editor, committed):
    url = site["pages"]["story"]
    first = client.get(url)
    with committed():
        story = Story.objects.get(pk=site["story"].pk)
        story.standfirst = "Talks collapse."
        story.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and "Talks collapse." in response.content.decode()
    assert response["ETag"] != first["ETag"]


def test_a_cached_page_costs_no_query(client, site):
    for name, url in site["pages"].items():
        client.get(url)
        response, queries = queries_of(client, url)
        assert (response.status_code, queries) == (200, 0), name
        response, queries = queries_of(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert (response.status_code, queries) == (304, 0), name


def test_tracking_parameters_share_the_page_and_page_positions_do_not(client, site):
    client.get("/")
    assert queries_of(client, "/?utm_source=newsletter&fbclid=x")[1] == 0
    assert client.get("/?before=20000101T000000000000_1").status_code == 404


def test_a_lost_generation_never_brings_back_an_old_page(client, site):
    url = site["pages"]["story"]
    client.get(url)
    cache.delete(caching._tag_key(caching.story_tag(site["story"].slug)))
    assert queries_of(client, url)[1] > 0


# --- Invalidation -----------------------------------------------------------


def test_an_admin_edit_shows_at_once_on_every_page_showing_the_story(
    client, site, editor, committed
):
    pages = site["pages"]
    story = site["story"]
    warm(client, pages.values())
    post = edit_post(story, headline="Oil strike spreads", slug="oil-strike-spreads")
    post["topics"] = [str(site["topic"].pk)]
    with committed():
        response = signed_in(editor).post(change_url(story), post)
    assert response.status_code == 302
    for name in ("story", "topic", "author", "source", "home"):
        url = pages[name] if name != "story" else "/stories/oil-strike-spreads/"
        assert shows(client, url, "Oil strike spreads"), name
    # The old address is a redirect now, not the cached page.
    assert client.get(pages["story"]).status_code == 301


def test_an_edit_leaves_pages_not_showing_the_story_cached(client, site, committed):
    elsewhere = make_topic("Elections")
    other = make_story("Vote counted", topics=[elsewhere])
    warm(client, [elsewhere.get_absolute_url(), other.get_absolute_url()])
    with committed():
        site["story"].standfirst = "Talks collapse."
        site["story"].save()
    assert queries_of(client, elsewhere.get_absolute_url())[1] == 0
    assert queries_of(client, other.get_absolute_url())[1] == 0
    assert shows(client, site["pages"]["story"], "Talks collapse.")


def _publish(story, editor):
    workflow.apply(story=story, action=Action.PUBLISH, user=editor)


def _unpublish(story, editor):
    workflow.apply(story=story, action=Action.UNPUBLISH, user=editor)


def _trash(story, editor):
    trash.move_to_trash(stories=Story.objects.filter(pk=story.pk), user=editor)


@pytest.mark.parametrize("action", [_unpublish, _trash])
def test_taking_a_story_off_the_site_removes_it_from_every_cached_page(
    client, site, editor, committed, action
):
    pages = site["pages"]
    warm(client, pages.values())
    with committed():
        action(Story.objects.get(pk=site["story"].pk), editor)
    assert client.get(pages["story"]).status_code == 404
    for name in ("home", "topic", "author"):
        assert not shows(client, pages[name], "Oil workers strike"), name
    # Its topic has no story left to show.
    assert not shows(client, pages["topics"], "Labour")


def test_publishing_puts_a_story_on_every_cached_page(client, site, editor, committed):
    author = site["author"]
    draft = make_story(
        "Miners join the strike",
        status=Story.Status.DRAFT,
        published_at=None,
        authors=[author],
        topics=[site["topic"]],
    )
    Story.objects.filter(pk=draft.pk).update(published_at=None)
    pages = site["pages"]
    listings = ["home", "topic", "author", "feed", "topic feed", "author feed", "news sitemap"]
    warm(client, [pages[name] for name in [*listings, "sitemap"]])
    with committed():
        _publish(Story.objects.get(pk=draft.pk), editor)
    for name in listings:
        assert shows(client, pages[name], "Miners join the strike"), name
    assert shows(client, pages["sitemap"], draft.get_absolute_url())
    assert shows(client, draft.get_absolute_url(), "Miners join the strike")


def test_restoring_from_the_trash_puts_the_story_back(client, site, editor, committed):
    story = site["story"]
    # Another story keeps the topic's page up (a topic with none has no page).
    make_story("Dockers walk out", topics=[site["topic"]])
    with committed():
        _trash(story, editor)
    warm(client, [site["pages"]["home"], site["pages"]["topic"]])
    with committed():
        trash.restore(stories=Story.objects.filter(pk=story.pk))
    assert shows(client, site["pages"]["home"], "Oil workers strike")
    assert shows(client, site["pages"]["topic"], "Oil workers strike")


def test_a_correction_shows_at_once_on_the_story_and_the_corrections(
    client, site, editor, committed
):
    pages = site["pages"]
    warm(client, [pages["story"], pages["corrections"]])
    with committed():
        note = corrections.add_note(
            story=site["story"], kind="correction", text="The strike began on Tuesday.", user=editor
        )
    assert shows(client, pages["story"], "The strike began on Tuesday.")
    assert shows(client, pages["corrections"], "The strike began on Tuesday.")
    with committed():
        corrections.withdraw_note(note=note, reason="It was Monday after all.", user=editor)
    assert shows(client, pages["story"], "It was Monday after all.")
    assert shows(client, pages["corrections"], "It was Monday after all.")


def test_renaming_a_person_shows_on_their_stories(client, site, committed):
    warm(client, [site["pages"]["story"], site["pages"]["home"]])
    with committed():
        site["author"].name = "Aliya Serikova"
        site["author"].save()
    assert shows(client, site["pages"]["story"], "Aliya Serikova")
    assert shows(client, site["pages"]["home"], "Aliya Serikova")


# --- Time -------------------------------------------------------------------


def test_a_scheduled_story_appears_in_cached_listings_at_its_time(client, site, editor, committed):
    start = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        story = make_story(
            "Strike ends at noon",
            status=Story.Status.DRAFT,
            authors=[site["author"]],
            topics=[site["topic"]],
        )
        urls = [site["pages"]["home"], site["pages"]["topic"], site["pages"]["author"]]
        warm(client, urls)
        # Scheduling renews the pages, each now cached no longer than its release.
        with committed():
            workflow.apply(
                story=story,
                action=Action.SCHEDULE,
                user=editor,
                publish_at=start + timedelta(minutes=5),
            )
        warm(client, urls)
        for url in urls:
            assert not shows(client, url, "Strike ends at noon")

        clock.move_to(start + timedelta(minutes=5) - timedelta(seconds=20))
        response = client.get("/")
        assert "max-age=20," in response["Cache-Control"]  # never past the release
        assert queries_of(client, "/")[1] == 0  # still cached

        clock.move_to(start + timedelta(minutes=5))
        for url in urls:
            assert shows(client, url, "Strike ends at noon"), url
        assert shows(client, story.get_absolute_url(), "Strike ends at noon")


def test_an_embargoed_story_appears_when_the_embargo_ends(client, site):
    start = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        make_story(
            "Report under embargo",
            published_at=start - timedelta(hours=1),
            embargo_until=start + timedelta(minutes=5),
            topics=[site["topic"]],
        )
        cache.clear()  # made without a commit: as it would be, committed before the readers came
        warm(client, ["/", site["pages"]["topic"]])
        assert not shows(client, "/", "Report under embargo")
        clock.move_to(start + timedelta(minutes=5))
        assert shows(client, "/", "Report under embargo")
        assert shows(client, site["pages"]["topic"], "Report under embargo")


def test_the_topic_index_counts_stories_once_per_change_not_per_reader(client, settings, committed):
    settings.PAGE_CACHE_SECONDS = 0  # the page itself rendered for every reader
    start = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        labour = make_topic("Labour")
        with committed():
            make_story("Strike", topics=[labour], published_at=start - timedelta(hours=1))
        assert shows(client, "/topics/", "1 story<")
        response, queries = queries_of(client, "/topics/")
        assert queries == 1  # the topics' names; their counts were kept
        assert "1 story<" in response.content.decode()

        with committed():
            make_story("Strike ends", topics=[labour], published_at=start - timedelta(minutes=1))
            make_story("Talks", topics=[labour], published_at=start + timedelta(minutes=5))
        assert shows(client, "/topics/", "2 stories<")
        clock.move_to(start + timedelta(minutes=5))
        assert shows(client, "/topics/", "3 stories<")  # released at its time, nobody acting
        with committed():
            Story.objects.filter(headline="Strike").get().delete()
        assert shows(client, "/topics/", "2 stories<")


def test_a_draft_never_enters_a_cached_page(client, site, editor):
    draft = make_story(
        "Secret investigation",
        status=Story.Status.DRAFT,
        authors=[site["author"]],
        topics=[site["topic"]],
    )
    staff = signed_in(editor)
    for url in [*site["pages"].values(), draft.get_absolute_url()]:
        staff.get(url)
    for url in site["pages"].values():
        assert "Secret investigation" not in client.get(url).content.decode(), url
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_publishing_a_translation_links_it_from_the_cached_original(
    client, site, editor, committed
):
    from articles.translations import add_translation

    original = site["story"]
    warm(client, [site["pages"]["story"]])
    with committed():
        translation = add_translation(original=original, language="ru", user=editor)
        translation.headline = "Нефтяники бастуют"
        translation.save()
    assert not shows(client, site["pages"]["story"], 'hreflang="ru"')

    with committed():
        _publish(Story.objects.get(pk=translation.pk), editor)

    assert shows(client, site["pages"]["story"], 'hreflang="ru"')

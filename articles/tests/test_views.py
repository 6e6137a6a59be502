"""The public pages as a reader meets them: front page, story pages, topics, errors."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from articles.models import CrossLink, Story, StoryNote, StoryRedirect, Topic, TopicQuerySet
from articles.services import story_saved
from articles.tests.factories import make_photo, make_rich_story, make_story, make_topic
from articles.views import encode_cursor
from newsroom.roles import EDITORS, ensure_roles
from newsroom.tests.sqlite_work import only_sqlite, sqlite_work
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")
# story + photo, bylines, sources, topics, outgoing links, incoming links,
# corrections and updates, and its published translations
STORY_QUERIES = 8
TOPICS = reverse("articles:topics")


@pytest.fixture
def staff_client(client, django_user_model):
    """Signed in as an editor, who may view unpublished stories."""
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(ensure_roles()[EDITORS])
    client.force_login(user)
    return client


@pytest.fixture
def shared_photo():
    """One photo for many stories: rendering a photo per story would only slow tests."""
    return make_photo()


def rich_stories(count, photo, **kwargs):
    return [make_rich_story(lead_photo=photo, **kwargs) for _ in range(count)]


# --- Front page ------------------------------------------------------------


def test_home_shows_story_cards(client, shared_photo, html_of):
    author = make_person("Alexandra Kazakova")
    story = make_story(
        "Oil strike spreads",
        standfirst="Workers in Zhanaozen walk out.",
        published_at=datetime(2012, 12, 14, 9, 30, tzinfo=UTC),
        authors=[author],
        lead_photo=shared_photo,
    )
    html = html_of(client.get(HOME))
    assert f'<a href="{story.get_absolute_url()}">Oil strike spreads</a>' in html
    assert "Workers in Zhanaozen walk out." in html
    assert '<time datetime="2012-12-14T09:30:00+00:00">Friday, 14 December, 2012</time>' in html
    assert f'href="{author.get_absolute_url()}"' in html
    assert "<picture>" in html and 'type="image/webp"' in html
    assert shared_photo.image.name not in html


def test_home_lists_only_published_stories_newest_first(client, html_of):
    older = make_story("Older story", published_at=timezone.now() - timedelta(days=2))
    newer = make_story("Newer story", published_at=timezone.now() - timedelta(days=1))
    make_story("Secret draft", status=Story.Status.DRAFT)
    make_story("Embargoed story", published_at=timezone.now() + timedelta(days=1))
    html = html_of(client.get(HOME))
    assert html.index(newer.headline) < html.index(older.headline)
    assert "Secret draft" not in html
    assert "Embargoed story" not in html


def test_home_shows_twenty_stories_a_page(client, settings, html_of):
    assert settings.STORIES_PER_PAGE == 20
    for _ in range(21):
        make_story()
    html = html_of(client.get(HOME))
    assert html.count('<article class="card') == 20
    assert "Older stories" in html


HEADLINES = re.compile(r'class="card__headline"><a href="[^"]*">([^<]*)</a>')
OLDER = re.compile(r'rel="next" href="([^"]*)"')
NEWER = re.compile(r'rel="prev" href="([^"]*)"')


def query_of(link: re.Pattern[str], html: str) -> str:
    """The query string of the page's OLDER or NEWER link."""
    match = link.search(html)
    assert match is not None, f"no {link.pattern} in the page"
    return match[1]


def walk_pages(client, path, html_of):
    """Follow "Older stories" from `path` to the end; the headlines on each page."""
    pages = []
    query: str | None = ""
    while query is not None:
        response = client.get(path + query)
        assert response.status_code == 200
        html = html_of(response)
        pages.append(HEADLINES.findall(html))
        older = OLDER.search(html)
        query = older.group(1) if older else None
    return pages


def test_home_pages_through_every_story_once(client, settings, html_of):
    settings.STORIES_PER_PAGE = 5
    now = timezone.now()
    # Ties on published_at must neither repeat nor skip a story across pages.
    stories = [
        make_story(f"Story {i:02}", published_at=now - timedelta(hours=i // 3)) for i in range(12)
    ]
    pages = walk_pages(client, HOME, html_of)
    assert [len(page) for page in pages] == [5, 5, 2]
    seen = [headline for page in pages for headline in page]
    expected = [
        s.headline for s in sorted(stories, key=lambda s: (s.published_at, s.pk), reverse=True)
    ]
    assert seen == expected


def test_newer_link_goes_back_a_page(client, settings, html_of):
    settings.STORIES_PER_PAGE = 2
    for _ in range(5):
        make_story()
    first = html_of(client.get(HOME))
    assert "Newer stories" not in first
    second = html_of(client.get(HOME + query_of(OLDER, first)))
    assert HEADLINES.findall(second) != HEADLINES.findall(first)
    back = html_of(client.get(HOME + query_of(NEWER, second)))
    assert HEADLINES.findall(back) == HEADLINES.findall(first)
    assert not NEWER.search(back)


@pytest.mark.parametrize(
    "query",
    [
        "?before=20000101T000000000000_1",
        "?after=29990101T000000000000_1",
        "?before=nonsense",
        "?before=20121399T000000000000_1",
    ],
)
def test_page_out_of_range_or_malformed_is_404(client, query):
    make_story()
    assert client.get(HOME + query).status_code == 404


def test_front_page_with_no_stories_is_empty_not_an_error(client, html_of):
    response = client.get(HOME)
    assert response.status_code == 200
    assert "No stories have been published here yet." in html_of(response)


def test_home_query_count_is_constant(client, django_assert_num_queries, shared_photo, html_of):
    make_rich_story(lead_photo=shared_photo)
    client.get(HOME)  # reads the release clock once, as a first request does (newsroom.caching)
    # 1: the page of stories with their photos; 2: their bylines with people.
    with django_assert_num_queries(2):
        assert client.get(HOME).status_code == 200
    rich_stories(29, shared_photo)
    with django_assert_num_queries(2):
        html = html_of(client.get(HOME))
    assert html.count('<article class="card') == 20
    older = query_of(OLDER, html)
    with django_assert_num_queries(2):
        assert client.get(HOME + older).status_code == 200


# --- Story page ---------------------------------------------------------------


@pytest.fixture
def kazakh_story():
    """A story with a full byline, sources, topics and a lead photo."""
    director = make_person("Alexandra Kazakova")
    reporter = make_person("Daniyar Saparov")
    story = make_story(
        "Zhanaozen strike enters its sixth month",
        standfirst="Oil workers in western Kazakstan refuse to go back.",
        published_at=datetime(2012, 12, 14, 9, 30, tzinfo=UTC),
        sources=[make_person("Tolkyn Ibrayeva")],
        topics=[
            make_topic("Kazakstan", kind=Topic.Kind.COUNTRY),
            make_topic("Labour rights", kind=Topic.Kind.THEME),
        ],
        lead_photo=make_photo(caption="Strikers in the main square.", credit="Timur Nusimbekov"),
        body="<p>Workers gathered again on Friday.</p>",
    )
    story.bylines.create(person=director, role="IWPR’s country director in Kazakstan", position=0)
    story.bylines.create(person=reporter, role="a journalist in Almaty", position=1)
    return story


def test_story_page_shows_the_story(client, kazakh_story, html_of):
    photo = kazakh_story.lead_photo
    html = html_of(client.get(kazakh_story.get_absolute_url()))
    assert '<h1 class="story__headline">Zhanaozen strike enters its sixth month</h1>' in html
    assert html.count("<h1") == 1
    assert "Oil workers in western Kazakstan refuse to go back." in html
    assert "<p>Workers gathered again on Friday.</p>" in html
    jpeg = max(
        (v for v in photo.variants if v["mime"] == "image/jpeg" and not v["crop"]),
        key=lambda v: v["width"],
    )
    img = html[html.index("<picture>") : html.index("</picture>")].split("<img", 1)[1]
    assert f'src="/media/{jpeg["name"]}"' in img
    assert f'width="{jpeg["width"]}" height="{jpeg["height"]}" alt="{photo.alt_text}"' in img
    assert photo.rendition_width == 1200
    assert photo.image.name not in html
    assert "Strikers in the main square." in html
    assert "Photo: Timur Nusimbekov" in html


def test_story_dateline_in_house_style(client, kazakh_story, html_of):
    html = html_of(client.get(kazakh_story.get_absolute_url()))
    assert '<time datetime="2012-12-14T09:30:00+00:00">Friday, 14 December, 2012</time>' in html


def test_byline_links_people_with_their_roles(client, kazakh_story, html_of):
    html = html_of(client.get(kazakh_story.get_absolute_url()))
    assert (
        'By <a href="/people/alexandra-kazakova/" rel="author">Alexandra Kazakova</a>, '
        '<span class="byline__role">IWPR’s country director in Kazakstan</span>, and '
        '<a href="/people/daniyar-saparov/" rel="author">Daniyar Saparov</a>, '
        '<span class="byline__role">a journalist in Almaty</span>'
    ) in html
    assert client.get("/people/alexandra-kazakova/").status_code == 200


def test_story_links_its_topics_and_sources(client, kazakh_story, html_of):
    html = html_of(client.get(kazakh_story.get_absolute_url()))
    for topic in kazakh_story.topics.all():
        assert f'<a href="{topic.get_absolute_url()}">{topic.name}</a>' in html
    assert '<a href="/people/tolkyn-ibrayeva/">Tolkyn Ibrayeva</a>' in html
    assert "expert 0" in html


def test_story_meta_tags(client, kazakh_story, html_of):
    html = html_of(client.get(kazakh_story.get_absolute_url()))
    assert "<title>Zhanaozen strike enters its sixth month | Newsroom</title>" in html
    assert (
        '<meta name="description" content="Oil workers in western Kazakstan refuse to go back.">'
        in html
    )
    assert (
        '<link rel="canonical" href="http://testserver/stories/'
        'zhanaozen-strike-enters-its-sixth-month/">'
    ) in html


def test_meta_description_is_escaped(client, html_of):
    story = make_story(standfirst='Says "no" <b>now</b> & then')
    html = html_of(client.get(story.get_absolute_url()))
    assert '<meta name="description" content="Says &quot;no&quot; now &amp; then">' in html


def test_cross_links_rendered_from_their_targets(client, html_of):
    one = make_story("Title One")
    story = make_story(
        body="<p>Protests grew. (See Title One and Title Two.)</p>",
        links_to=["Title One", "Title Two"],
    )
    assert story.outgoing_links.get(title="Title Two").target is None
    html = html_of(client.get(story.get_absolute_url()))
    assert f'(See <a href="{one.get_absolute_url()}">Title One</a> and Title Two.)' in html


def test_cross_link_follows_target_after_its_slug_changes(client, html_of):
    one = make_story("Title One")
    story = make_story(body="<p>(See Title One.)</p>", links_to=["Title One"])
    old_slug = one.slug
    one.slug = "title-one-renamed"
    one.save()
    story_saved(story=one, old_slug=old_slug)
    html = html_of(client.get(story.get_absolute_url()))
    assert '<a href="/stories/title-one-renamed/">Title One</a>' in html
    assert f"/stories/{old_slug}/" not in html


def test_pending_link_resolves_when_target_is_published(client, html_of):
    story = make_story(body="<p>(See Title Two.)</p>", links_to=["Title Two"])
    assert '<a href="/stories/title-two/"' not in html_of(client.get(story.get_absolute_url()))
    two = make_story("Title Two")
    story_saved(story=two)
    html = html_of(client.get(story.get_absolute_url()))
    assert f'<a href="{two.get_absolute_url()}">Title Two</a>' in html


def test_link_to_unpublished_story_is_plain_text(client, html_of):
    draft = make_story("Title One", status=Story.Status.DRAFT)
    story = make_story(body="<p>(See Title One.)</p>", links_to=["Title One"])
    assert story.outgoing_links.get().target == draft
    html = html_of(client.get(story.get_absolute_url()))
    assert "(See Title One.)" in html
    assert draft.get_absolute_url() not in html


def test_related_stories_in_both_directions(client, html_of):
    linked_to = make_story("Title One")
    story = make_story("The middle story", body="<p>(See Title One.)</p>", links_to=["Title One"])
    links_here = make_story(
        "A later story", body="<p>(See The middle story.)</p>", links_to=["The middle story"]
    )
    draft = make_story(
        "Unpublished follow-up", status=Story.Status.DRAFT, links_to=["The middle story"]
    )
    assert draft.outgoing_links.get().target == story
    html = html_of(client.get(story.get_absolute_url()))
    related = html[html.index("Related stories") :]
    assert f'<a href="{linked_to.get_absolute_url()}">Title One</a>' in related
    assert f'<a href="{links_here.get_absolute_url()}">A later story</a>' in related
    assert "Unpublished follow-up" not in html


def test_draft_is_404_for_readers(client, html_of):
    draft = make_story("Secret draft", status=Story.Status.DRAFT, published_at=None)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Secret draft" not in html_of(response)


def test_embargoed_story_is_404_for_readers(client):
    story = make_story("Embargoed", published_at=timezone.now() + timedelta(hours=2))
    assert client.get(story.get_absolute_url()).status_code == 404


def test_staff_preview_draft_with_banner(staff_client, html_of):
    draft = make_story("Secret draft", status=Story.Status.DRAFT, published_at=None)
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = html_of(response)
    assert "Secret draft" in html
    assert "This story is not published" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"]


def test_published_story_has_no_preview_banner(staff_client, html_of):
    story = make_story()
    html = html_of(staff_client.get(story.get_absolute_url()))
    assert "not published" not in html


def test_old_slug_redirects_permanently(client):
    story = make_story("Renamed story")
    StoryRedirect.objects.create(old_slug="the-old-name", story=story)
    response = client.get("/stories/the-old-name/")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_old_slug_of_a_draft_does_not_redirect_readers(client):
    draft = make_story(status=Story.Status.DRAFT)
    StoryRedirect.objects.create(old_slug="the-old-name", story=draft)
    assert client.get("/stories/the-old-name/").status_code == 404


def test_unknown_story_is_404(client):
    assert client.get("/stories/no-such-story/").status_code == 404


HOSTILE = (
    "<p>Hello.</p><script>alert(1)</script><img src=x onerror=alert(1)>"
    '<a href="javascript:alert(1)">click</a><iframe src="https://evil.example/"></iframe>'
)


def assert_inert(html: str):
    for needle in ("alert(1)", "onerror", "javascript:", "<iframe", "evil.example"):
        assert needle not in html
    # The only script is the story's JSON-LD: data, never run.
    assert html.count("<script") == html.count('<script type="application/ld+json">')


def test_hostile_body_is_inert_when_saved(client, html_of):
    story = make_story(body=HOSTILE)
    html = html_of(client.get(story.get_absolute_url()))
    assert "<p>Hello.</p>" in html
    assert_inert(html)


def test_hostile_body_is_inert_even_if_it_skipped_save(client, html_of):
    story = make_story()
    Story.objects.filter(pk=story.pk).update(body=HOSTILE)
    html = html_of(client.get(story.get_absolute_url()))
    assert "<p>Hello.</p>" in html
    assert_inert(html)


def test_story_query_count_is_constant(client, django_assert_num_queries, shared_photo, html_of):
    small = make_story(lead_photo=shared_photo, authors=[make_person()], topics=[make_topic()])
    client.get(HOME)  # reads the release clock once, as a first request does (newsroom.caching)
    with django_assert_num_queries(STORY_QUERIES):
        assert client.get(small.get_absolute_url()).status_code == 200

    targets = rich_stories(30, shared_photo)
    big = make_rich_story(
        lead_photo=shared_photo,
        body="<p>" + " ".join(f"(See {t.headline}.)" for t in targets) + "</p>",
        links_to=[t.headline for t in targets],
    )
    for target in targets:
        CrossLink.objects.create(source=target, title=big.headline, target=big)
    for i in range(5):
        StoryNote.objects.create(story=big, text=f"Correction {i}.")
    with django_assert_num_queries(STORY_QUERIES):
        html = html_of(client.get(big.get_absolute_url()))
    assert html.count('class="byline__role"') == 2
    assert all(t.get_absolute_url() in html for t in targets)


# --- Topics -------------------------------------------------------------------------


def test_topic_list_grouped_by_kind_with_counts(client, html_of):
    kz = make_topic("Kazakstan", kind=Topic.Kind.COUNTRY)
    rights = make_topic("Human rights", kind=Topic.Kind.THEME)
    series = make_topic("Oil towns", kind=Topic.Kind.SERIES)
    make_topic("Nothing published", kind=Topic.Kind.THEME)
    make_story(topics=[kz, rights])
    make_story(topics=[kz, series])
    make_story(topics=[kz], status=Story.Status.DRAFT)
    html = html_of(client.get(TOPICS))
    countries, themes, series_html = (
        html.index(">Countries</h2>"),
        html.index(">Themes</h2>"),
        html.index(">Series</h2>"),
    )
    assert countries < html.index("Kazakstan") < themes < html.index("Human rights") < series_html
    assert series_html < html.index("Oil towns")
    assert (
        '<a href="/topics/kazakstan/">Kazakstan</a> <span class="topic-list__count">2 stories</span>'
        in html
    )
    assert "1 story<" in html
    assert "Nothing published" not in html


def test_topic_list_query_count_is_constant(
    client, django_assert_num_queries, shared_photo, html_of
):
    make_rich_story(lead_photo=shared_photo)
    # The counts, and the topics they name (the counts are kept in the cache
    # between changes outside the tests: test_caching.py).
    client.get(HOME)  # reads the release clock once, as a first request does (newsroom.caching)
    with django_assert_num_queries(2):
        client.get(TOPICS)
    rich_stories(29, shared_photo)
    with django_assert_num_queries(2):
        html = html_of(client.get(TOPICS))
    assert html.count('class="topic-list__count"') == 90


def test_topic_page_lists_stories_newest_first(client, html_of):
    topic = make_topic("Kazakstan", kind=Topic.Kind.COUNTRY, description="News from Kazakstan.")
    older = make_story("Older", topics=[topic], published_at=timezone.now() - timedelta(days=3))
    newer = make_story("Newer", topics=[topic], published_at=timezone.now() - timedelta(days=1))
    make_story("Elsewhere")
    make_story("Draft here", topics=[topic], status=Story.Status.DRAFT)
    html = html_of(client.get(topic.get_absolute_url()))
    assert '<h1 class="page__title">Kazakstan</h1>' in html
    assert "News from Kazakstan." in html
    assert html.index(newer.get_absolute_url()) < html.index(older.get_absolute_url())
    assert "Elsewhere" not in html
    assert "Draft here" not in html


def test_topic_page_paginates(client, settings, html_of):
    settings.STORIES_PER_PAGE = 3
    topic = make_topic()
    stories = [make_story(topics=[topic]) for _ in range(7)]
    make_story()  # not in the topic
    pages = walk_pages(client, topic.get_absolute_url(), html_of)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [h for page in pages for h in page] == [s.headline for s in stories]


def test_large_topic_reads_the_same_stories(
    client, settings, monkeypatch, django_assert_num_queries, html_of
):
    # Large topics are read along the story index instead of via the tag list.
    monkeypatch.setattr(TopicQuerySet, "LARGE_TOPIC", 3)
    settings.STORIES_PER_PAGE = 3
    topic = make_topic()
    stories = [make_story(topics=[topic]) for _ in range(7)]
    make_story()
    make_story(topics=[topic], status=Story.Status.DRAFT)
    assert Topic.objects.with_size_hint().get(pk=topic.pk).is_large
    pages = walk_pages(client, topic.get_absolute_url(), html_of)
    assert [h for page in pages for h in page] == [s.headline for s in stories]
    with django_assert_num_queries(3):
        client.get(topic.get_absolute_url())


def test_topic_page_out_of_range_is_404(client):
    topic = make_topic()
    make_story(topics=[topic], published_at=datetime(2012, 1, 1, tzinfo=UTC))
    assert (
        client.get(topic.get_absolute_url() + "?before=20111231T000000000000_1").status_code == 404
    )
    assert client.get(topic.get_absolute_url() + "?page=x&before=12").status_code == 404


def test_unknown_topic_is_404(client):
    assert client.get("/topics/atlantis/").status_code == 404


@pytest.mark.parametrize(
    "state",
    [
        None,
        {"status": Story.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"embargo_until": timezone.now() + timedelta(days=1)},
    ],
)
def test_a_topic_without_a_published_story_has_no_public_page(client, editor_client, state):
    topic = make_topic("Confidential Inquiry")
    if state is not None:
        make_story("Investigation", topics=[topic], **state)
    assert client.get(topic.get_absolute_url()).status_code == 404
    # The newsroom, which may view topics, may still look.
    assert editor_client.get(topic.get_absolute_url()).status_code == 200


def test_topic_with_unicode_slug(client, html_of):
    topic = make_topic("Казахстан", kind=Topic.Kind.COUNTRY)
    make_story(topics=[topic])
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert "Казахстан" in html_of(response)


def test_topic_page_query_count_is_constant(
    client, django_assert_num_queries, shared_photo, html_of
):
    topic = make_topic()
    make_rich_story(lead_photo=shared_photo).topics.add(topic)
    client.get(HOME)  # reads the release clock once, as a first request does (newsroom.caching)
    # topic, page of stories with photos, their bylines
    with django_assert_num_queries(3):
        assert client.get(topic.get_absolute_url()).status_code == 200
    for story in rich_stories(29, shared_photo):
        story.topics.add(topic)
    with django_assert_num_queries(3):
        html = html_of(client.get(topic.get_absolute_url()))
    assert html.count('<article class="card') == 20
    older = query_of(OLDER, html)
    with django_assert_num_queries(3):
        assert client.get(topic.get_absolute_url() + older).status_code == 200


@only_sqlite
@pytest.mark.parametrize("listing", ["home", "large topic"])
def test_a_deep_page_reads_no_more_than_the_first(client, settings, monkeypatch, listing):
    # Page 60 of an archive, not every story newer than it: before, SQLite
    # ranged the index by "published by now" and read the 300 newer stories.
    monkeypatch.setattr(TopicQuerySet, "LARGE_TOPIC", 3)
    settings.STORIES_PER_PAGE = 5
    topic = make_topic()
    stories = [make_story(topics=[topic]) for _ in range(310)]
    path = HOME if listing == "home" else topic.get_absolute_url()
    deep = "?before=" + encode_cursor(stories[300])
    client.get(path), client.get(path + deep)  # connections and caches warm
    with sqlite_work() as first:
        assert client.get(path).status_code == 200
    with sqlite_work() as deep_page:
        assert client.get(path + deep).status_code == 200
    assert deep_page[0] <= first[0] * 1.5 + 2, (first, deep_page)


# --- Whole site -----------------------------------------------------------------------


def test_no_page_leaks_a_draft_or_embargoed_story(client, html_of):
    topic = make_topic("Kazakstan")
    author, source = make_person("Ann Author"), make_person("Sam Source")
    published = make_story("Published story", topics=[topic], authors=[author], sources=[source])
    draft = make_story(
        "Secret draft",
        status=Story.Status.DRAFT,
        topics=[topic],
        authors=[author],
        sources=[source],
        links_to=["Published story"],
    )
    embargoed = make_story(
        "Embargoed story",
        published_at=timezone.now() + timedelta(days=1),
        topics=[topic],
        authors=[author],
        sources=[source],
        links_to=["Published story"],
    )
    urls = [
        HOME,
        TOPICS,
        topic.get_absolute_url(),
        published.get_absolute_url(),
        author.get_absolute_url(),
        source.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = html_of(response)
        for hidden in (draft, embargoed):
            assert hidden.headline not in html, url
            assert hidden.get_absolute_url() not in html, url
    html = html_of(client.get(TOPICS))
    assert "1 story" in html


def test_pages_have_landmarks_and_no_inline_code(client, kazakh_story, html_of):
    for url in (HOME, TOPICS, kazakh_story.get_absolute_url(), "/topics/kazakstan/"):
        html = html_of(client.get(url))
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html
        for landmark in ("<header", "<nav", "<footer"):
            assert landmark in html
        assert html.count("<h1") == 1
        # JSON-LD is data, never run: no code runs from the page itself.
        assert html.count("<script") == html.count('<script type="application/ld+json">')
        assert "style=" not in html
        assert re.search(r'<link rel="stylesheet" href="/static/css/site\.css">', html)


def test_support_call_to_action(client, settings, html_of):
    make_story()
    settings.SUPPORT_CTA = {"text": "Back our reporters.", "label": "Donate", "url": ""}
    html = html_of(client.get(HOME))
    assert "Back our reporters." in html
    assert ">Donate</a>" not in html
    settings.SUPPORT_CTA = {
        "text": "Back our reporters.",
        "label": "Donate",
        "url": "https://example.org/donate",
    }
    html = html_of(client.get(HOME))
    assert '<a class="button" href="https://example.org/donate">Donate</a>' in html


def test_404_page_is_the_sites_own(client, settings, html_of):
    settings.DEBUG = False
    response = client.get("/stories/no-such-story/")
    assert response.status_code == 404
    html = html_of(response)
    assert "We couldn’t find that page" in html
    assert 'href="/static/css/site.css"' in html
    assert "Traceback" not in html


def test_500_page_renders_without_context_or_database(settings, django_assert_num_queries, html_of):
    settings.DEBUG = False
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = html_of(response)
    assert "Something went wrong" in html
    assert 'href="/static/css/site.css"' in html


def test_favicon_request_is_answered_with_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert client.get(response["Location"]).status_code == 200

"""Nothing readers may not see leaks through any public page.

With a draft, a story in review, an unpublished, a scheduled, an embargoed
and a trashed story present, each with marker words of its own (headline,
standfirst, body, correction note, lead photo), a topic, an author and a
quoted source found nowhere else, and shared topics and people that also
have published stories, an anonymous reader crawls the site: every page
the URLconf routes (each named public pattern must be reached, or be
listed in NOT_CRAWLED with the reason), every link those pages give, and
the searches, filters and near-miss names a reader may type. No response
holds a hidden marker, a hidden story's address, a hidden-only topic or
person; their own pages and feeds are 404. The same through the page
cache, after the newsroom has looked at everything, and at the scheduled
story's release: hidden until its time, then on every listing with
nobody purging anything.
"""

import html
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode, urljoin, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, URLResolver, get_resolver, resolve

from articles.models import CrossLink, PathRedirect, Story, StoryNote, StoryRedirect, Topic
from articles.tests.accounts import make_user, signed_in
from articles.tests.factories import make_photo, make_story, make_topic
from people.models import Person
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
RELEASE = START + timedelta(minutes=5)

# Routes the crawl leaves alone, and why. Any other route, added later, must
# be reached by the crawl (as a seed or a link) or listed here.
NOT_CRAWLED = {
    "admin:*": "the newsroom's own pages, behind a sign-in (test_access)",
    "articles:shared_preview": (
        "shows one unpublished story to whoever holds its unguessable token, by design "
        "(test_previews)"
    ),
    "^media/(?P<path>.*)$": (
        "uploaded files under generated names; the crawl checks that no page names a "
        "hidden story's photo"
    ),
}

# The hidden-only people of each hidden story, with a near-miss spelling a
# reader might type, which would suggest them if they were visible.
PEOPLE = {
    "draft": (("Bakhyt Temirkhanov", "Temirkhanow"), ("Timur Nurpeisov", "Nurpeissov")),
    "review": (("Gulnara Seitkaliyeva", "Seitkalieva"), ("Dinara Baimukhanova", "Baimuhanova")),
    "unpublished": (("Murat Zhaksylykov", "Zhaksylikov"), ("Kairat Yessenzholov", "Yesenzholov")),
    "scheduled": (("Ainur Kuanyshbayeva", "Kuanyshbaeva"), ("Asem Tulegenova", "Tulegenowa")),
    "embargoed": (("Yerlan Dosmukhamedov", "Dosmuhamedov"), ("Rustem Ospanbekov", "Ospanbekof")),
    "trashed": (("Saule Abdrakhmanova", "Abdrahmanova"), ("Zhanar Kassymova", "Kasymova")),
}
HIDDEN_STATES: dict[str, dict[str, Any]] = {
    "draft": {"status": Story.Status.DRAFT},
    "review": {"status": Story.Status.IN_REVIEW},
    "unpublished": {"status": Story.Status.UNPUBLISHED, "published_at": START - timedelta(days=2)},
    "scheduled": {"published_at": RELEASE},
    "embargoed": {
        "published_at": START - timedelta(hours=1),
        "embargo_until": START + timedelta(days=1),
    },
    "trashed": {"published_at": START - timedelta(days=3), "deleted_at": START},
}


@dataclass
class Hidden:
    """A story readers may not see, with everything found only in it."""

    kind: str
    story: Story
    topic: Topic
    people: list[Person]
    near_misses: list[str]
    tokens: set[str]

    @property
    def words(self) -> list[str]:
        """Words a reader might search for to find it."""
        k = self.kind
        marks = [f"{k}headmark", f"{k}standmark", f"{k}bodymark", f"{k}notemark", f"{k}photomark"]
        return [*marks, self.topic.name, *(person.name for person in self.people)]


@dataclass
class Site:
    published: list[Story]
    topics: list[Topic]  # shared: in published and hidden stories alike
    people: list[Person]
    hidden: dict[str, Hidden] = field(default_factory=dict)


def _hidden_story(kind: str, site: Site) -> Hidden:
    word = kind.capitalize()
    topic = make_topic(f"{word}topicmark Affairs")
    (author_name, author_miss), (source_name, source_miss) = PEOPLE[kind]
    author, source = make_person(author_name), make_person(source_name)
    photo = make_photo(alt_text=f"{kind}photomark alt", caption=f"{kind}photomark caption")
    story = make_story(
        f"{word} inquiry {kind}headmark",
        standfirst=f"What the {kind}standmark says.",
        body=f"<p>The {kind}bodymark body.</p>",
        authors=[author, site.people[0]],
        sources=[source, site.people[1]],
        topics=[topic, *site.topics],
        lead_photo=photo,
        **HIDDEN_STATES[kind],
    )
    # Pages of published stories must not show what links to or translates them.
    CrossLink.objects.create(
        source=story, title=site.published[0].headline, target=site.published[0]
    )
    StoryNote.objects.create(story=story, text=f"Corrected: the {kind}notemark.")
    StoryRedirect.objects.create(old_slug=f"{kind}-oldslugmark", story=story)
    PathRedirect.objects.create(old_path=f"/en/news/{kind}oldpathmark.html", story=story)
    tokens = {
        f"{kind}headmark", f"{kind}standmark", f"{kind}bodymark", f"{kind}notemark",
        f"{kind}photomark", story.slug, f"/stories/id/{story.pk}/", topic.name, topic.slug,
    }  # fmt: skip
    # The files of its photo, under generated names: no page may point at them.
    tokens |= {Path(name).stem for name in (photo.rendition.name, photo.thumbnail.name)}
    tokens |= {Path(variant["name"]).stem for variant in photo.variants}
    for person in (author, source):
        tokens |= {person.name, person.name.split()[-1], person.slug}
    return Hidden(kind, story, topic, [author, source], [author_miss, source_miss], tokens)


def build_site() -> Site:
    """Published stories under two shared topics, by and quoting two shared
    people, and a hidden story of each kind that shares them too."""
    labour, oil = make_topic("Labour"), make_topic("Oil", kind=Topic.Kind.COUNTRY)
    author, source = make_person("Aliya Serik"), make_person("Yevgeny Zhovtis")
    strike = make_story(
        "Oil workers strike pubheadmark",
        authors=[author],
        sources=[source],
        topics=[labour, oil],
        lead_photo=make_photo(alt_text="pubphotomark alt"),
    )
    StoryNote.objects.create(story=strike, text="Corrected: the pubnotemark.")
    pipeline = make_story("Pipeline reopens", authors=[author], topics=[oil])
    wages = make_story("Wages unpaid", sources=[source], topics=[labour])
    site = Site([strike, pipeline, wages], [labour, oil], [author, source])
    for kind in HIDDEN_STATES:
        site.hidden[kind] = _hidden_story(kind, site)
    # A published story whose body links to a hidden one: the link must not show.
    draft = site.hidden["draft"].story
    linking = make_story(
        "Inquiry promised",
        body=f'<p>See <a href="/stories/id/{draft.pk}/">the inquiry</a>.</p>',
        topics=[labour],
    )
    CrossLink.objects.create(source=linking, title=draft.headline, target=draft, in_text=True)
    site.published.append(linking)
    draft.translation_of, draft.language = strike, "ru"
    draft.save()
    return site


# --- The crawl ----------------------------------------------------------------


def seeds(site: Site) -> dict[str, int]:
    """What a reader may ask for without a link to it, with the expected status."""
    pages = {url: 200 for url in ("/", "/topics/", "/corrections/", "/search/", "/robots.txt")}
    pages |= {url: 200 for url in ("/feeds/rss/", "/feeds/atom/", "/news-sitemap.xml")}
    pages |= {f"/sitemap{part}.xml": 200 for part in ("", "-stories", "-topics", "-people")}
    pages |= {"/sitemap-nope.xml": 404, "/favicon.ico": 301}
    pages |= {f"/stories/id/{story.pk}/": 302 for story in site.published}
    for topic in site.topics:
        pages |= {url: 200 for url in _topic_pages(topic)}
    for person in site.people:
        pages |= {url: 200 for url in _person_pages(person)}
    for hidden in site.hidden.values():
        pages |= {url: 404 for url in _hidden_pages(hidden)}
    pages |= {_search(**query): status for query, status in searches(site)}
    return pages


def _topic_pages(topic: Topic) -> list[str]:
    base = topic.get_absolute_url()
    return [base, f"{base}feed/rss/", f"{base}feed/atom/"]


def _person_pages(person: Person) -> list[str]:
    base = person.get_absolute_url()
    return [base, f"{base}feed/rss/", f"{base}feed/atom/"]


def _hidden_pages(hidden: Hidden) -> list[str]:
    story = hidden.story
    pages = [
        story.get_absolute_url(),
        f"/stories/id/{story.pk}/",
        f"/stories/{hidden.kind}-oldslugmark/",
    ]
    pages += [f"/en/news/{hidden.kind}oldpathmark.html", *_topic_pages(hidden.topic)]
    for person in hidden.people:
        pages += _person_pages(person)
    return pages


def _search(**params: str) -> str:
    return "/search/?" + urlencode(params)


def searches(site: Site) -> list[tuple[dict[str, str], int]]:
    """Searches for every hidden word and name, alone, filtered and newest
    first, near-miss names, and filters naming hidden topics and people."""
    topic, person = site.topics[0].slug, site.people[0].slug
    found = []
    for hidden in site.hidden.values():
        for word in hidden.words:
            found += [({"q": word}, 200), ({"q": word, "sort": "newest"}, 200)]
            found.append(({"q": word, "topic": topic, "person": person, "year": "2030"}, 200))
        found += [({"q": miss}, 200) for miss in hidden.near_misses]
        found += [({"q": "oil", "topic": hidden.topic.slug}, 400)]
        found += [({"q": "oil", "person": p.slug}, 400) for p in hidden.people]
    found += [({"q": "oil", "sort": "newest", "page": "2"}, 200), ({"q": "Zhovtos"}, 200)]
    found += [({"q": "pubheadmark"}, 200), ({"q": "labour"}, 200)]
    return found


@dataclass
class Crawl:
    responses: dict[str, Any] = field(default_factory=dict)  # the test client's responses
    queries: dict[str, int] = field(default_factory=dict)
    # (address, status) of each answer that was not the expected one.
    unexpected: list[tuple[str, int]] = field(default_factory=list)

    def text(self, url: str) -> str:
        text: str = self.responses[url].content.decode()
        return text

    def status(self, url: str) -> int:
        status: int = self.responses[url].status_code
        return status


_LINK = re.compile(r'(?:href|src)="([^"]+)"|https?://testserver(/[^\s"<]*)')
_NOT_FOLLOWED = ("/static/", "/media/", "/admin/", "/preview/")
MAX_PAGES = 1500


def links_in(url: str, text: str) -> set[str]:
    """The site's own addresses that a page names, as paths with their query."""
    found = set()
    for relative, absolute in _LINK.findall(text):
        target = urlsplit(urljoin("http://testserver" + url, html.unescape(relative or absolute)))
        if target.scheme in ("http", "https") and target.netloc == "testserver":
            path = target.path + (f"?{target.query}" if target.query else "")
            if not path.startswith(_NOT_FOLLOWED):
                found.add(path)
    return found


def crawl(client, site: Site, also: tuple[str, ...] = ()) -> Crawl:
    """Every seed (and `also`) and every address the pages name, once each;
    a link followed must answer (never 404: a dead link may be a hidden page)."""
    expected = seeds(site) | {url: 200 for url in also}
    queue, result = deque(expected), Crawl()
    while queue:
        url = queue.popleft()
        if url in result.responses:
            continue
        assert len(result.responses) < MAX_PAGES, "the crawl does not end"
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result.responses[url], result.queries[url] = response, len(queries)
        allowed = (expected[url],) if url in expected else (200, 301, 302)
        if response.status_code not in allowed:
            result.unexpected.append((url, response.status_code))
        if response.status_code in (301, 302):
            queue.extend(links_in(url, f'href="{response["Location"]}"'))
        else:
            queue.extend(links_in(url, response.content.decode()) - set(result.responses))
    return result


# --- What the crawl must show ---------------------------------------------------


def leaks(result: Crawl, hidden: list[Hidden]) -> list[tuple[str, str]]:
    """(address, token) for each hidden token a response holds, other than
    what its own address asked for (a search echoes its words)."""
    found = []
    for url in result.responses:
        asked = unquote_plus(url).lower()
        text = html.unescape(result.text(url)).lower()
        for token in sorted(set().union(*(h.tokens for h in hidden))):
            if token.lower() not in asked and token.lower() in text:
                found.append((url, token))
    return found


def route_of(path: str) -> str | None:
    """The URL pattern that answers `path`: its name, or its route if
    unnamed; None for an old address that only the redirects answer."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if match.namespace == "admin":
        return "admin:*"
    return match.view_name if match.url_name else match.route


def every_route(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    """Every pattern of the URLconf, named as route_of() names them; the
    admin's as one."""
    routes: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                routes.add("admin:*")
                continue
            routes |= every_route(pattern, prefix + str(pattern.pattern))
        elif pattern.name:
            namespace = getattr(resolver, "namespace", None)
            routes.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        else:
            routes.add(prefix + str(pattern.pattern))
    return routes


def hits(result: Crawl, **params: str) -> int:
    return result.text(_search(**params)).count('class="search-result"')


def assert_nothing_hidden_shows(result: Crawl, site: Site) -> None:
    assert result.unexpected == []
    hidden = list(site.hidden.values())
    assert leaks(result, hidden) == []
    for item in hidden:
        for word in item.words:
            assert hits(result, q=word) == hits(result, q=word, sort="newest") == 0, word
        for word in item.words + item.near_misses:
            assert "Did you mean" not in result.text(_search(q=word)), word


def assert_published_shows(result: Crawl, site: Site) -> None:
    """The crawl is not blind: what is published is all there."""
    everything = "".join(result.text(url) for url in result.responses)
    for story in site.published:
        assert story.get_absolute_url() in everything, story
    for token in ("pubheadmark", "pubnotemark", "pubphotomark"):
        assert token in everything, token
    assert hits(result, q="pubheadmark") == 1
    assert 'Did you mean: <a href="/people/yevgeny-zhovtis/">' in result.text(_search(q="Zhovtos"))
    choices = result.text(_search(q="Zhovtos"))
    assert '<option value="labour">Labour</option>' in choices
    assert '<option value="oil">Oil</option>' in choices
    labour = sum(site.topics[0] in story.topics.all() for story in site.published)
    count = f'<a href="/topics/labour/">Labour</a> <span class="topic-list__count">{labour} stories'
    assert count in result.text("/topics/")


def test_every_route_is_crawled_or_excluded_with_a_reason(client):
    with time_machine.travel(START, tick=False):
        site = build_site()
        result = crawl(client, site)
    assert result.unexpected == []
    routes = every_route()
    assert set(NOT_CRAWLED) <= routes, "an exclusion names no route"
    reached = {route_of(url) for url in result.responses} - {None}
    assert routes - set(NOT_CRAWLED) - reached == set(), (
        "reach these routes or say in NOT_CRAWLED why not"
    )


def test_nothing_hidden_leaks_to_a_reader(client, settings):
    settings.STORIES_PER_PAGE = 2  # the crawl pages through every listing
    with time_machine.travel(START, tick=False):
        site = build_site()
        for hidden in site.hidden.values():
            for person, miss in zip(hidden.people, hidden.near_misses, strict=True):
                assert Person.objects.similar_to(miss) == person, "a near miss that misses"
        result = crawl(client, site)
    assert_nothing_hidden_shows(result, site)
    assert_published_shows(result, site)
    for listing in ("/?before=", "/topics/labour/?before=", "/search/?q=labour&page=2"):
        assert any(url.startswith(listing) for url in result.responses), "not paged through"


def test_nothing_hidden_leaks_through_the_page_cache(client, settings):
    settings.STORIES_PER_PAGE = 2
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    with time_machine.travel(START, tick=False):
        site = build_site()
        # The newsroom sees everything first; readers never get its pages.
        staff = crawl(signed_in(make_user("dana", "editor")), site)
        assert staff.status(site.hidden["draft"].story.get_absolute_url()) == 200
        crawl(client, site)
        again = crawl(client, site)
    cached = [url for url, r in again.responses.items() if r.status_code == 200]
    assert cached and all(again.queries[url] == 0 for url in cached), "not from the cache"
    assert_nothing_hidden_shows(again, site)
    assert_published_shows(again, site)
    cache.clear()


def test_a_scheduled_story_shows_everywhere_at_its_release_without_a_purge(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    with time_machine.travel(START, tick=False) as clock:
        site = build_site()
        scheduled, later = site.hidden["scheduled"], released(site)
        crawl(client, site)
        clock.move_to(RELEASE - timedelta(seconds=1))
        before = crawl(client, site)
        clock.move_to(RELEASE)
        misses = tuple(_search(q=miss) for miss in scheduled.near_misses)
        after = crawl(client, later, also=(_search(q="scheduledbodymark"), *misses))
    assert_nothing_hidden_shows(before, site)
    assert_nothing_hidden_shows(after, later)
    assert_published_shows(after, later)
    assert_shows_everywhere(after, scheduled)
    cache.clear()


def released(site: Site) -> Site:
    """`site` once its scheduled story is out: published like the rest."""
    scheduled = site.hidden["scheduled"]
    others = {kind: h for kind, h in site.hidden.items() if kind != "scheduled"}
    return Site(
        [*site.published, scheduled.story],
        [*site.topics, scheduled.topic],
        [*site.people, *scheduled.people],
        others,
    )


def assert_shows_everywhere(result: Crawl, story: Hidden) -> None:
    """The released story is on each listing, its topic and people have
    their pages, and search finds, filters by and suggests them."""
    url = story.story.get_absolute_url()
    for listing in ("/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/news-sitemap.xml"):
        assert url in result.text(listing), listing
    for page in _topic_pages(story.topic) + [p for h in story.people for p in _person_pages(h)]:
        assert result.status(page) == 200 and url in result.text(page), page
    assert story.topic.name in result.text("/topics/")
    assert hits(result, q="scheduledbodymark") == 1
    filters = result.text(_search(q="Zhovtos"))
    assert f'<option value="{story.topic.slug}">{story.topic.name}</option>' in filters
    for person, miss in zip(story.people, story.near_misses, strict=True):
        assert f'Did you mean: <a href="{person.get_absolute_url()}">' in result.text(
            _search(q=miss)
        )

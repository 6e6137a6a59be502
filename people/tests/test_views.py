"""A person's page: who they are, what they wrote and where they were quoted."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from newsroom.tests.factories import photo_bytes
from newsroom.tests.heads import head_of
from newsroom.tests.sqlite_work import only_sqlite, sqlite_work
from people.models import Person
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@dataclass
class Picture:
    sources: list[dict[str, Any]] = field(default_factory=list)
    img: dict[str, Any] = field(default_factory=dict)


class _Pictures(HTMLParser):
    """The <picture>s of a page's main content, and its <img>s outside one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pictures: list[Picture] = []
        self.images: list[dict[str, Any]] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "picture":
            self.pictures.append(Picture())
            self._inside = True
        elif tag == "source" and self._inside:
            self.pictures[-1].sources.append(dict(attrs))
        elif tag == "img":
            if self._inside:
                self.pictures[-1].img = dict(attrs)
            else:
                self.images.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "picture":
            self._inside = False


def pictures_of(response) -> _Pictures:
    reader = _Pictures()
    reader.feed(response.content.decode())
    return reader


# The stories that credit people come from the stories app, built on this one:
# these tests get them through the `stories` fixture (conftest.py).


def test_person_page_lists_written_and_quoted_stories(client, stories, html_of):
    person = make_person("Alexandra Kazakova", bio="IWPR’s country director in Kazakstan.")
    older = stories.make_story(
        "Strike begins",
        published_at=datetime(2011, 5, 20, 8, tzinfo=UTC),
        authors=[(person, "a journalist in Almaty")],
    )
    newer = stories.make_story(
        "Strike ends",
        published_at=datetime(2012, 12, 14, 8, tzinfo=UTC),
        authors=[(person, "IWPR’s country director in Kazakstan")],
    )
    quoting = stories.make_story(
        "Oil town mourns",
        published_at=datetime(2012, 12, 16, 8, tzinfo=UTC),
        sources=[(person, "journalist and political commentator")],
    )
    html = html_of(client.get(person.get_absolute_url()))
    assert '<h1 class="page__title">Alexandra Kazakova</h1>' in html
    assert "IWPR’s country director in Kazakstan." in html
    written = html[html.index("Stories by Alexandra Kazakova") : html.index("Quoted in")]
    assert written.index(newer.get_absolute_url()) < written.index(older.get_absolute_url())
    assert "as a journalist in Almaty" in written
    assert "Friday, 14 December, 2012" in written
    quoted = html[html.index("Quoted in") :]
    assert f'<a href="{quoting.get_absolute_url()}">Oil town mourns</a>' in quoted
    assert "described as “journalist and political commentator”" in quoted


def headshot(size=(1000, 1000)) -> SimpleUploadedFile:
    return SimpleUploadedFile("face.jpg", photo_bytes("JPEG", size), "image/jpeg")


def stored_size(settings, url: str) -> tuple[int, int]:
    """The size of the stored file `url` names (absolute or not), failing if it is not there."""
    name = url.split(settings.MEDIA_URL, 1)[1]
    with Image.open(Path(settings.MEDIA_ROOT) / name) as image:
        return image.size


def test_person_page_shows_a_responsive_headshot_never_the_upload(client, stories, settings):
    person = make_person("Daniyar Saparov", headshot=headshot((900, 1200)))
    stories.make_story(authors=[person])

    page = pictures_of(client.get(person.get_absolute_url()))

    assert len(page.pictures) == 1
    picture = page.pictures[0]
    assert [source["type"] for source in picture.sources] == ["image/avif", "image/webp"]
    for srcset in [*(source["srcset"] for source in picture.sources), picture.img["srcset"]]:
        files = [entry.rsplit(" ", 1) for entry in srcset.split(", ")]
        assert [width for _, width in files] == ["160w", "320w", "480w"]
        for url, width in files:
            assert stored_size(settings, url) == (int(width[:-1]), round(int(width[:-1]) * 4 / 3))
    assert all(source["sizes"] == picture.img["sizes"] == "160px" for source in picture.sources)
    img = picture.img
    assert (
        stored_size(settings, img["src"]) == (int(img["width"]), int(img["height"])) == (480, 640)
    )
    assert img["alt"] == "Daniyar Saparov" and img["class"] == "person__headshot"
    # At the top of the page: fetched at once, never lazily.
    assert img["fetchpriority"] == "high" and "loading" not in img
    html = client.get(person.get_absolute_url()).content.decode()
    assert person.headshot.name not in html and "face" not in person.headshot.name


def test_a_small_headshot_is_never_made_larger(client, stories, settings):
    person = make_person(headshot=headshot((200, 200)))
    stories.make_story(authors=[person])

    picture = pictures_of(client.get(person.get_absolute_url())).pictures[0]

    assert picture.img["srcset"].endswith("-160.jpg 160w")
    assert (picture.img["width"], picture.img["height"]) == ("160", "160")


def test_a_headshot_saved_before_its_variants_shows_its_one_rendition(client, stories):
    person = make_person(headshot=headshot())
    Person.objects.filter(pk=person.pk).update(variants=[])
    stories.make_story(authors=[person])

    page = pictures_of(client.get(person.get_absolute_url()))

    assert page.pictures == []
    assert page.images == [
        {
            "class": "person__headshot",
            "src": person.headshot_rendition.url,
            "width": "320",
            "height": "320",
            "alt": person.name,
            "fetchpriority": "high",
        }
    ]


def test_a_person_page_is_shared_as_a_profile_with_their_headshot(client, stories, settings):
    person = make_person("Daniyar Saparov", bio="A reporter in <Almaty>.", headshot=headshot())
    stories.make_story(authors=[person])

    head = head_of(client.get(person.get_absolute_url()))

    url = f"http://testserver{person.get_absolute_url()}"
    assert head.one("og:type") == "profile"
    assert head.one("og:title") == head.one("twitter:title") == "Daniyar Saparov"
    assert head.one("og:description") == head.one("description") == "A reporter in <Almaty>."
    assert head.one("og:url") == head.canonical[0] == url
    assert head.one("og:site_name") == settings.SITE_NAME and head.one("og:locale") == "en_GB"
    assert head.one("og:image") == head.one("twitter:image")
    assert "-1x1.jpg" in head.one("og:image") and head.one("og:image:type") == "image/jpeg"
    size = (int(head.one("og:image:width")), int(head.one("og:image:height")))
    assert size == stored_size(settings, head.one("og:image")) == (1000, 1000)
    assert head.one("og:image:alt") == head.one("twitter:image:alt") == "Daniyar Saparov"
    assert head.one("twitter:card") == "summary"


def test_a_person_without_a_headshot_is_shared_without_an_image(client, stories, settings):
    person = make_person("Aigul Nurlanova")
    stories.make_story(sources=[person])

    head = head_of(client.get(person.get_absolute_url()))

    assert not head.has("og:image") and not head.has("twitter:image")
    assert head.one("og:description") == (
        f"Stories by and quoting Aigul Nurlanova in {settings.SITE_NAME}."
    )


def test_unpublished_stories_are_not_listed(client, stories, html_of):
    person = make_person()
    stories.make_story("Published piece", authors=[person])
    stories.make_story("Secret draft", authors=[person], status="draft")
    stories.make_story(
        "Embargoed piece", sources=[person], published_at=timezone.now() + timedelta(days=1)
    )
    html = html_of(client.get(person.get_absolute_url()))
    assert "Published piece" in html
    assert "Secret draft" not in html
    assert "Embargoed piece" not in html
    assert "Quoted in" not in html


def test_person_only_in_unpublished_stories_has_no_public_page(client, django_user_model, stories):
    source = make_person("Confidential Source")
    stories.make_story(sources=[source], status="draft")
    assert client.get(source.get_absolute_url()).status_code == 404
    # Staff status alone is not enough: it takes the permission to view people.
    staff = django_user_model.objects.create_user("ed", is_staff=True)
    client.force_login(staff)
    assert client.get(source.get_absolute_url()).status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(django_user_model.objects.get(pk=staff.pk))
    assert client.get(source.get_absolute_url()).status_code == 200


def test_unknown_person_is_404(client):
    assert client.get("/people/nobody-at-all/").status_code == 404


def test_person_query_count_is_constant(client, django_assert_num_queries, stories, html_of):
    photo = stories.make_photo()
    person = make_person(headshot=headshot())  # its variants are read with its row
    stories.make_story(authors=[person])
    stories.make_story(sources=[person])
    client.get("/")  # reads the release clock once, as a first request does (newsroom.caching)
    # the person, their published bylines, their published quotations
    with django_assert_num_queries(3):
        assert client.get(person.get_absolute_url()).status_code == 200
    for i in range(30):
        stories.make_rich_story(
            lead_photo=photo, authors=[(person, f"role {i}")], sources=[(person, f"said {i}")]
        )
    with django_assert_num_queries(3):
        html = html_of(client.get(person.get_absolute_url()))
    assert html.count("· as role") == 30
    assert html.count("described as “said") == 30
    assert html.count("<picture>") == 1


def test_person_page_lists_the_latest_fifty_of_many_stories(client, stories, html_of):
    person = make_person("Much Quoted")
    quoting = [stories.make_story(sources=[person]) for _ in range(52)]
    html = html_of(client.get(person.get_absolute_url()))
    newest_first = sorted(quoting, key=attrgetter("published_at"), reverse=True)
    assert newest_first[0].get_absolute_url() in html
    assert newest_first[49].get_absolute_url() in html
    assert newest_first[50].get_absolute_url() not in html
    assert "The 50 most recent." in html


def test_a_story_moved_in_time_moves_on_the_persons_page(client, stories, html_of):
    person = make_person("Often Quoted")
    now = timezone.now()
    older = stories.make_story("Older story", sources=[person], published_at=now - timedelta(2))
    stories.make_story("Newer story", sources=[person], published_at=now - timedelta(1))
    html = html_of(client.get(person.get_absolute_url()))
    assert html.index("Newer story") < html.index("Older story")
    older.published_at = now - timedelta(hours=1)  # an editor corrects its date
    older.save()
    html = html_of(client.get(person.get_absolute_url()))
    assert html.index("Older story") < html.index("Newer story")


@only_sqlite
def test_a_much_quoted_persons_page_reads_no_more_than_another(client, stories):
    # The 50 newest of 250 quotations, not all 250 sorted: before, a source's
    # page read every story they were ever quoted in.
    some, many = make_person("Quoted Sometimes"), make_person("Quoted Often")
    for i in range(250):
        stories.make_story(sources=[many] if i >= 55 else [some, many])
    client.get(some.get_absolute_url()), client.get(many.get_absolute_url())  # warm
    with sqlite_work() as fifty_five:
        assert client.get(some.get_absolute_url()).status_code == 200
    with sqlite_work() as two_hundred_fifty:
        assert client.get(many.get_absolute_url()).status_code == 200
    assert two_hundred_fifty[0] <= fifty_five[0] * 1.5 + 2, (fifty_five, two_hundred_fifty)

"""A person's page: who they are, what they wrote and where they were quoted."""

from datetime import UTC, datetime, timedelta
from operator import attrgetter

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from newsroom.tests.factories import image_bytes
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

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


def test_person_page_shows_a_downsized_headshot_never_the_upload(client, stories, html_of):
    person = make_person(
        "Daniyar Saparov",
        headshot=SimpleUploadedFile("face.png", image_bytes(size=(1000, 1000)), "image/png"),
    )
    stories.make_story(authors=[person])
    html = html_of(client.get(person.get_absolute_url()))
    assert f'src="{person.headshot_rendition.url}" width="320" height="320"' in html
    assert person.headshot.name not in html and "face" not in person.headshot.name
    assert 'alt="Daniyar Saparov"' in html


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
    person = make_person()
    stories.make_story(authors=[person])
    stories.make_story(sources=[person])
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


def test_person_page_lists_the_latest_fifty_of_many_stories(client, stories, html_of):
    person = make_person("Much Quoted")
    quoting = [stories.make_story(sources=[person]) for _ in range(52)]
    html = html_of(client.get(person.get_absolute_url()))
    newest_first = sorted(quoting, key=attrgetter("published_at"), reverse=True)
    assert newest_first[0].get_absolute_url() in html
    assert newest_first[49].get_absolute_url() in html
    assert newest_first[50].get_absolute_url() not in html
    assert "The 50 most recent." in html

"""A person's page: who they are, what they wrote and where they were quoted."""

from datetime import UTC, datetime, timedelta
from operator import attrgetter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Byline, QuotedSource, Story
from articles.tests.factories import (
    image_bytes,
    make_person,
    make_photo,
    make_rich_story,
    make_story,
)

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def test_person_page_lists_written_and_quoted_stories(client):
    person = make_person("Alexandra Kazakova", bio="IWPR’s country director in Kazakstan.")
    older = make_story("Strike begins", published_at=datetime(2011, 5, 20, 8, tzinfo=UTC))
    newer = make_story("Strike ends", published_at=datetime(2012, 12, 14, 8, tzinfo=UTC))
    quoting = make_story("Oil town mourns", published_at=datetime(2012, 12, 16, 8, tzinfo=UTC))
    Byline.objects.create(story=older, person=person, role="a journalist in Almaty")
    Byline.objects.create(story=newer, person=person, role="IWPR’s country director in Kazakstan")
    QuotedSource.objects.create(
        story=quoting, person=person, description="journalist and political commentator"
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


def test_person_page_shows_a_downsized_headshot_never_the_upload(client):
    person = make_person(
        "Daniyar Saparov",
        headshot=SimpleUploadedFile("face.png", image_bytes(size=(1000, 1000)), "image/png"),
    )
    make_story(authors=[person])
    html = html_of(client.get(person.get_absolute_url()))
    assert f'src="{person.headshot_rendition.url}" width="320" height="320"' in html
    assert person.headshot.url not in html and "face" not in person.headshot.name
    assert 'alt="Daniyar Saparov"' in html


def test_unpublished_stories_are_not_listed(client):
    person = make_person()
    make_story("Published piece", authors=[person])
    make_story("Secret draft", authors=[person], status=Story.Status.DRAFT)
    make_story("Embargoed piece", sources=[person], published_at=timezone.now() + timedelta(days=1))
    html = html_of(client.get(person.get_absolute_url()))
    assert "Published piece" in html
    assert "Secret draft" not in html
    assert "Embargoed piece" not in html
    assert "Quoted in" not in html


def test_person_only_in_unpublished_stories_has_no_public_page(client, django_user_model):
    source = make_person("Confidential Source")
    make_story(sources=[source], status=Story.Status.DRAFT)
    assert client.get(source.get_absolute_url()).status_code == 404
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    assert client.get(source.get_absolute_url()).status_code == 200


def test_unknown_person_is_404(client):
    assert client.get("/people/nobody-at-all/").status_code == 404


def test_person_query_count_is_constant(client, django_assert_num_queries):
    photo = make_photo()
    person = make_person()
    make_story(authors=[person])
    make_story(sources=[person])
    # the person, their published bylines, their published quotations
    with django_assert_num_queries(3):
        assert client.get(person.get_absolute_url()).status_code == 200
    for i in range(30):
        story = make_rich_story(lead_photo=photo)
        Byline.objects.create(story=story, person=person, role=f"role {i}", position=5)
        QuotedSource.objects.create(story=story, person=person, description=f"said {i}", position=9)
    with django_assert_num_queries(3):
        html = html_of(client.get(person.get_absolute_url()))
    assert html.count("· as role") == 30
    assert html.count("described as “said") == 30


def test_person_page_lists_the_latest_fifty_of_many_stories(client):
    person = make_person("Much Quoted")
    stories = [make_story(sources=[person]) for _ in range(52)]
    html = html_of(client.get(person.get_absolute_url()))
    newest_first = sorted(stories, key=attrgetter("published_at"), reverse=True)
    assert newest_first[0].get_absolute_url() in html
    assert newest_first[49].get_absolute_url() in html
    assert newest_first[50].get_absolute_url() not in html
    assert "The 50 most recent." in html

"""Model rules editors and readers rely on."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone
from PIL import Image

from articles.models import Byline, CrossLink, QuotedSource, Story, StoryRedirect
from articles.services import resolve_pending_links, story_saved
from articles.tests.factories import make_photo, make_story
from newsroom.tests.factories import image_bytes
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_slug_defaults_to_slugified_headline_and_stays_unique():
    first = Story.objects.create(headline="Janaozen Trial Gets Under Way")
    second = Story.objects.create(headline="Janaozen: Trial Gets Under Way!")
    assert first.slug == "janaozen-trial-gets-under-way"
    assert second.slug == "janaozen-trial-gets-under-way-2"


def test_headlines_longer_than_a_slug_still_get_one_each():
    headline = ("Villagers in the Fergana Valley Queue at Dawn for Water " * 5)[:255]
    slugs = [Story.objects.create(headline=headline).slug for _ in range(4)]
    assert len(slugs[0]) > 250
    assert len(set(slugs)) == 4
    assert all(len(slug) <= 255 for slug in slugs)
    assert slugs[3].endswith("-4")


def test_publishing_without_a_date_stamps_now_and_drafts_stay_undated():
    draft = Story.objects.create(headline="Draft")
    story = Story.objects.create(headline="Live", status=Story.Status.PUBLISHED)
    assert draft.published_at is None
    assert story.published_at is not None and story.published_at <= timezone.now()


def test_database_refuses_a_published_story_without_a_date():
    story = Story.objects.create(headline="Live", status=Story.Status.PUBLISHED)
    with pytest.raises(IntegrityError):
        Story.objects.filter(pk=story.pk).update(published_at=None)


def test_published_excludes_drafts_and_future_stories():
    live = make_story()
    make_story(status=Story.Status.DRAFT)
    make_story(published_at=timezone.now() + timedelta(days=1))
    assert list(Story.objects.published()) == [live]


def test_pending_link_resolves_when_a_story_with_that_title_appears():
    source = make_story(links_to=["Kazakstan’s Politicised  Labour Disputes."])
    link = source.outgoing_links.get()
    assert link.is_pending
    target = make_story("KAZAKSTAN'S POLITICISED LABOUR DISPUTES")
    assert resolve_pending_links(target) == 1
    link.refresh_from_db()
    assert link.target == target


def test_link_survives_a_slug_change_and_old_slug_redirects():
    target = make_story("Bread and Power in Dushanbe")
    source = make_story(links_to=["Bread and Power in Dushanbe"])
    old = target.slug
    target.slug = "bread-power-dushanbe"
    target.save()
    story_saved(story=target, old_slug=old)
    linked = source.outgoing_links.get().target
    assert linked is not None and linked.get_absolute_url() == "/stories/bread-power-dushanbe/"
    assert StoryRedirect.objects.get(old_slug=old).story == target


def test_a_story_cannot_link_to_itself():
    story = make_story()
    with pytest.raises(IntegrityError):
        CrossLink.objects.create(source=story, title=story.headline, target=story)


def test_a_new_link_to_an_existing_title_resolves_when_its_story_is_saved():
    target = make_story("Janaozen Trial Gets Under Way in Kazakstan")
    source = make_story()
    CrossLink.objects.create(source=source, title="Janaozen trial gets under way in Kazakstan")
    CrossLink.objects.create(source=source, title="A Story Not Written Yet")
    story_saved(story=source)
    links = {link.title: link.target for link in source.outgoing_links.all()}
    assert links == {
        "Janaozen trial gets under way in Kazakstan": target,
        "A Story Not Written Yet": None,
    }


def test_photo_gets_downsized_renditions_under_a_generated_name():
    photo = make_photo(image=SimpleUploadedFile("My Holiday.PNG", image_bytes(size=(3000, 2000))))
    assert "My Holiday" not in photo.image.name and photo.image.name.endswith(".png")
    assert (photo.width, photo.height) == (3000, 2000)
    assert (photo.rendition_width, photo.rendition_height) == (1200, 800)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (400, 267)
    with Image.open(io.BytesIO(photo.rendition.read())) as rendition:
        assert rendition.format == "WEBP" and rendition.size == (1200, 800)


def test_clearing_a_photo_image_removes_its_renditions():
    photo = make_photo()
    assert photo.rendition and photo.thumbnail
    photo.image = None
    photo.save()
    photo.refresh_from_db()
    assert not photo.rendition and not photo.thumbnail
    assert photo.rendition_width is photo.thumbnail_width is None


def test_story_body_is_sanitised_on_save():
    hostile = (
        "<p>Before<script>alert('script')</script></p>"
        '<p><img src="x" onerror="alert(1)">Image</p>'
        '<a href="JaVaScRiPt:alert(3)">mixed case</a>'
        '<iframe src="https://evil.example/"></iframe>'
    )
    story = Story.objects.create(headline="Hostile", body=hostile)
    story.refresh_from_db()
    assert "<script" not in story.body and "onerror" not in story.body
    assert "javascript:" not in story.body.lower() and "<iframe" not in story.body
    assert "Before" in story.body


def test_credits_carry_their_storys_time_however_they_are_written():
    # Credit.story_published_at orders a person's page; each way of writing
    # a credit, and of changing its story's time, keeps it.
    author, source = make_person("An Author"), make_person("A Source")
    story = make_story(authors=[author])
    other = make_story()
    Byline.objects.bulk_create([Byline(story_id=other.pk, person=author)])  # by key
    QuotedSource.objects.bulk_create([QuotedSource(story=story, person=source)])  # by row

    def times():
        credits = [*Byline.objects.order_by("pk"), *QuotedSource.objects.all()]
        return [credit.story_published_at for credit in credits]

    assert times() == [story.published_at, other.published_at, story.published_at]
    loaded = Story.objects.get(pk=story.pk)
    loaded.published_at = timezone.now() - timedelta(minutes=5)
    loaded.save()
    assert times() == [loaded.published_at, other.published_at, loaded.published_at]
    loaded.headline = "Only the headline changes"
    loaded.save(update_fields=["headline"])
    assert times() == [loaded.published_at, other.published_at, loaded.published_at]

"""Model rules editors and readers rely on."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import CrossLink, Story, StoryRedirect
from articles.services import resolve_pending_links, story_saved
from articles.tests.factories import make_story
from people.models import Person, PersonAlias

pytestmark = pytest.mark.django_db


def test_slug_defaults_to_slugified_headline_and_stays_unique():
    first = Story.objects.create(headline="Janaozen Trial Gets Under Way")
    second = Story.objects.create(headline="Janaozen: Trial Gets Under Way!")
    assert first.slug == "janaozen-trial-gets-under-way"
    assert second.slug == "janaozen-trial-gets-under-way-2"


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


def test_person_found_by_name_or_alias_spelling():
    person = Person.objects.create(name="Yevgeny Zhovtis")
    PersonAlias.objects.create(person=person, name="Yevgeny Zhovtos")
    assert person.slug == "yevgeny-zhovtis"
    assert Person.objects.find("yevgeny  zhovtis") == person
    assert Person.objects.find("Yevgeny Zhovtos") == person
    assert Person.objects.find("Someone Else") is None


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

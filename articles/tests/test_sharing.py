"""What the story, home and topic pages say where they are shared: OpenGraph
and Twitter card tags pointing at a real stored crop, with its size and alt
text, and a canonical address they agree with."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from articles import translations
from articles.models import Story
from articles.tests.factories import make_photo, make_story, make_topic
from newsroom.tests.heads import head_of
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"
DAY = timedelta(days=1)


def stored_size(settings, url: str) -> tuple[int, int]:
    """The size of the stored file an absolute media URL names (failing if it is not there)."""
    name = url.removeprefix(f"{SERVER}{settings.MEDIA_URL}")
    with Image.open(Path(settings.MEDIA_ROOT) / name) as image:
        return image.size


def test_a_story_is_shared_with_its_lead_photos_wide_crop(client, settings):
    photo = make_photo()  # 1600 × 900
    story = make_story(
        "Oil town mourns", standfirst="<em>Three</em> days of grief.", lead_photo=photo
    )

    head = head_of(client.get(story.get_absolute_url()))

    crop = photo.crops()["16:9"]
    assert head.one("og:type") == "article"
    assert head.one("og:title") == head.one("twitter:title") == "Oil town mourns"
    assert head.one("og:description") == "Three days of grief."
    assert head.one("og:url") == head.canonical[0] == f"{SERVER}{story.get_absolute_url()}"
    assert head.one("og:site_name") == settings.SITE_NAME
    assert head.one("og:locale") == "en_GB"
    assert head.one("og:image") == head.one("twitter:image") == f"{SERVER}{crop.url}"
    assert head.one("og:image:type") == "image/jpeg"
    assert (int(head.one("og:image:width")), int(head.one("og:image:height"))) == (1200, 675)
    assert stored_size(settings, head.one("og:image")) == (1200, 675)
    assert head.one("og:image:alt") == head.one("twitter:image:alt") == photo.alt_text
    assert head.one("twitter:card") == "summary_large_image"


def test_a_story_names_its_authors_pages_and_its_topics(client):
    author = make_person("Aida Sultanova")
    story = make_story(authors=[author], topics=[make_topic("Oil"), make_topic("Kazakstan")])

    head = head_of(client.get(story.get_absolute_url()))

    assert head.meta["article:author"] == [f"{SERVER}{author.get_absolute_url()}"]
    assert sorted(head.meta["article:tag"]) == ["Kazakstan", "Oil"]


def test_a_story_without_a_photo_is_a_summary_card_without_an_image(client):
    story = make_story(lead_photo=make_photo(image=""))

    head = head_of(client.get(story.get_absolute_url()))

    assert not head.has("og:image") and not head.has("twitter:image")
    assert head.one("twitter:card") == "summary"


def test_a_photo_without_crops_yet_is_shared_as_its_rendition(client, settings):
    photo = make_photo()
    type(photo).objects.filter(pk=photo.pk).update(variants=[])
    story = make_story(lead_photo=photo)

    head = head_of(client.get(story.get_absolute_url()))

    assert head.one("og:image") == f"{SERVER}{photo.rendition.url}"
    assert head.one("og:image:type") == "image/webp"
    size = (int(head.one("og:image:width")), int(head.one("og:image:height")))
    assert size == stored_size(settings, head.one("og:image")) == (1200, 675)


def test_a_story_in_russian_names_its_locale_and_its_translations(client):
    original = make_story("Miners strike", lead_photo=make_photo())
    russian = translations.add_translation(original=original, language="ru", user=None)
    Story.objects.filter(pk=russian.pk).update(
        headline="Забастовка", status=Story.Status.PUBLISHED, published_at=original.published_at
    )
    russian.refresh_from_db()

    head = head_of(client.get(russian.get_absolute_url()))

    assert head.one("og:locale") == "ru_RU"
    assert head.one("og:locale:alternate") == "en_GB"
    assert head.one("og:title") == "Забастовка"
    assert head_of(client.get(original.get_absolute_url())).one("og:locale:alternate") == "ru_RU"


def test_the_home_page_is_shared_as_the_website(client, settings):
    make_story(lead_photo=make_photo())

    head = head_of(client.get("/"))

    assert head.one("og:type") == "website"
    assert head.one("og:title") == settings.SITE_NAME
    assert head.one("og:url") == head.canonical[0] == f"{SERVER}/"
    assert head.one("og:description") == head.one("description")
    assert head.one("og:description").startswith(f"{settings.SITE_NAME}: ")
    assert not head.has("og:image") and head.one("twitter:card") == "summary"


def test_a_topic_is_shared_with_its_newest_pictured_storys_crop(client, settings):
    topic = make_topic("Oil", description="Kazakstan’s oil towns and their workers.")
    pictured = make_photo()
    now = timezone.now()
    make_story(
        "Older, pictured", topics=[topic], lead_photo=make_photo(), published_at=now - DAY * 3
    )
    make_story("Newer, pictured", topics=[topic], lead_photo=pictured, published_at=now - DAY * 2)
    make_story("Newest", topics=[topic], lead_photo=make_photo(image=""), published_at=now - DAY)

    head = head_of(client.get(topic.get_absolute_url()))

    assert head.one("og:type") == "website"
    assert head.one("og:title") == "Oil"
    assert head.one("og:description") == head.one("description") == topic.description
    assert head.one("og:url") == head.canonical[0] == f"{SERVER}{topic.get_absolute_url()}"
    assert head.one("og:image") == f"{SERVER}{pictured.crops()['16:9'].url}"
    assert head.one("og:image:alt") == pictured.alt_text
    assert stored_size(settings, head.one("og:image")) == (
        int(head.one("og:image:width")),
        int(head.one("og:image:height")),
    )


def test_a_topic_without_pictures_is_shared_without_an_image(client, settings):
    topic = make_topic("Water")
    make_story(topics=[topic])

    head = head_of(client.get(topic.get_absolute_url()))

    assert not head.has("og:image") and head.one("twitter:card") == "summary"
    assert head.one("og:description") == f"Stories about Water from {settings.SITE_NAME}."

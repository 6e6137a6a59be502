"""The story page's JSON-LD, OpenGraph tags and type-of-work label."""

import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from articles.corrections import add_note
from articles.models import Story, StoryNote
from articles.tests.factories import make_story
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

VOCABULARY = set(Path(__file__).with_name("schemaorg_vocabulary.txt").read_text().split())


class _JsonLd(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def json_ld_of(client, story):
    parser = _JsonLd()
    parser.feed(client.get(story.get_absolute_url()).content.decode())
    assert len(parser.blocks) == 1
    return json.loads(parser.blocks[0])


def names_in(value):
    """Every @type and property name in a JSON-LD value."""
    if isinstance(value, list):
        for item in value:
            yield from names_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@type":
                yield item
            elif not key.startswith("@"):
                yield key
                yield from names_in(item)


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (Story.TypeOfWork.NEWS, "NewsArticle"),
        (Story.TypeOfWork.ANALYSIS, "AnalysisNewsArticle"),
        (Story.TypeOfWork.OPINION, "OpinionNewsArticle"),
        (Story.TypeOfWork.FEATURE, "ReportageNewsArticle"),
        (Story.TypeOfWork.INTERVIEW, "NewsArticle"),
        (Story.TypeOfWork.EXPLAINER, "BackgroundNewsArticle"),
    ],
)
def test_the_article_type_follows_the_type_of_work_and_the_label_shows(client, kind, schema_type):
    story = make_story(type_of_work=kind, authors=[make_person("Ada Reporter")])
    data = json_ld_of(client, story)
    assert data["@type"] == schema_type
    assert data["author"][0]["url"].endswith(story.bylines.get().person.get_absolute_url())
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'class="story__type-of-work type-of-work">{story.get_type_of_work_display()}<' in page


def test_every_type_and_property_is_schema_org_vocabulary_and_corrections_appear(client):
    story = make_story(headline="</script><b>x</b>", authors=[make_person()])
    editor = get_user_model().objects.create_superuser("ed", "ed@example.com", "pw")
    add_note(story=story, kind=StoryNote.Kind.CORRECTION, text="The date was wrong.", user=editor)
    data = json_ld_of(client, story)
    assert data["headline"] == "</script><b>x</b>"
    assert [c["text"] for c in data["correction"]] == ["The date was wrong."]
    assert {"CorrectionComment", "Person", "Organization"} <= set(names_in(data))
    assert set(names_in(data)) - VOCABULARY == set()


def test_stories_are_news_unless_the_editor_says_otherwise():
    assert make_story().type_of_work == Story.TypeOfWork.NEWS


def test_the_images_are_the_three_crops_around_the_focal_point(client):
    from articles.tests.factories import make_photo

    photo = make_photo()
    story = make_story("Pictured", lead_photo=photo)

    images = json_ld_of(client, story)["image"]

    crops = photo.crops()
    assert images == [f"http://testserver{crops[r].url}" for r in ("16:9", "4:3", "1:1")]
    assert [crops[r].width * 9 == crops[r].height * 16 for r in ("16:9",)] == [True]
    assert crops["1:1"].width == crops["1:1"].height


def test_the_publisher_has_its_logo_at_the_size_the_file_is(client, settings):
    story = make_story()

    publisher = json_ld_of(client, story)["publisher"]

    assert publisher["name"] == settings.SITE_NAME and publisher["url"] == "http://testserver/"
    logo = publisher["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"] == "http://testserver/static/img/publisher-logo.png"
    response = client.get(logo["url"])
    assert response.status_code == 200
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "PNG"
        assert image.size == (logo["width"], logo["height"]) == (600, 60)


def test_the_publisher_logo_may_live_elsewhere(client, settings):
    settings.PUBLISHER_LOGO = "https://media.example.org/brand/wordmark.png"
    settings.PUBLISHER_LOGO_WIDTH, settings.PUBLISHER_LOGO_HEIGHT = 400, 50

    logo = json_ld_of(client, make_story())["publisher"]["logo"]

    assert (logo["url"], logo["width"], logo["height"]) == (settings.PUBLISHER_LOGO, 400, 50)

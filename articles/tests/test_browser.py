"""The site in a real browser: headless Chromium, as a reader and an editor use it."""

import pytest

from articles.tests.factories import make_photo, make_story, make_topic
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_goes_from_the_home_page_to_a_story_and_its_people(live_server, browser):
    topic = make_topic("Kyrgyzstan", kind="country")
    author, source = make_person("Ainura Sadykova"), make_person("Bolot Kadyrov")
    story = make_story(
        "Bishkek Water Tariffs Rise Again",
        authors=[(author, "an IWPR contributor in Bishkek")],
        sources=[(source, "head of the residents' association")],
        topics=[topic],
        lead_photo=make_photo(),
        body="<p>“We pay more every winter,” said Bolot Kadyrov.</p>",
    )
    errors: list[str] = []

    def record(message):
        if message.type == "error":
            errors.append(message.text)

    browser.on("console", record)

    browser.goto(live_server.url + "/")
    browser.get_by_role("link", name=story.headline).click()
    assert browser.get_by_role("heading", level=1).inner_text() == story.headline
    assert browser.locator(".story__body").inner_text().startswith("“We pay more every winter,”")
    image = browser.locator("figure img").first
    # The browser took one of the photo's responsive renditions, and loaded it.
    shown = image.evaluate("img => img.complete && img.naturalWidth && img.currentSrc")
    offered = {v["name"] for v in story.lead_photo.variants if not v["crop"]}
    assert shown and shown.split("/media/", 1)[1] in offered

    browser.get_by_role("link", name="Ainura Sadykova").click()
    assert browser.get_by_role("heading", level=1).inner_text() == "Ainura Sadykova"
    assert browser.get_by_role("link", name=story.headline).is_visible()
    browser.goto(live_server.url + topic.get_absolute_url())
    assert browser.get_by_role("link", name=story.headline).is_visible()
    assert errors == []

"""The readers' pages pass axe-core in headless Chromium: no serious or
critical violation, at a phone's width and at a desktop's.

Each page is one entry of PAGES, a name and the path it is read at for the
demo-like archive `demo` makes; a new page is one more line there.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Story, StoryNote, Topic
from articles.tests.factories import make_photo, make_story, make_topic
from newsroom.tests.factories import image_bytes
from people.models import Person
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)

# What axe calls impacts worth failing a page for (it also reports "minor"
# and "moderate" ones, which are not asked of the site).
FAILING_IMPACTS = {"serious", "critical"}
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


@dataclass(frozen=True)
class Demo:
    story: Story
    topic: Topic
    author: Person


PAGES = {
    "home": lambda demo: "/",
    "story": lambda demo: demo.story.get_absolute_url(),
    "topic list": lambda demo: "/topics/",
    "topic": lambda demo: demo.topic.get_absolute_url(),
    "person": lambda demo: demo.author.get_absolute_url(),
    "corrections": lambda demo: "/corrections/",
    "search": lambda demo: "/search/?q=oil",
}


@pytest.fixture
def demo(settings) -> Demo:
    """An archive like the demo's: a story with a lead photo, two bylines,
    quoted sources, topics of every kind, a cross-link, related stories, and
    a correction, an update and a withdrawn note; with pages short enough
    that the listings show their "Older" links."""
    settings.STORIES_PER_PAGE = 2
    settings.CORRECTIONS_PER_PAGE = 2
    country = make_topic(
        "Kazakhstan", kind=Topic.Kind.COUNTRY, description="Reporting from Kazakhstan."
    )
    theme = make_topic("Labour rights", kind=Topic.Kind.THEME)
    series = make_topic("Oil Towns", kind=Topic.Kind.SERIES)
    author = make_person(
        "Aigerim Tulegenova",
        bio="A reporter in Aktau who covers the oil industry.",
        headshot=SimpleUploadedFile(
            "face.png", image_bytes(size=(600, 600)), content_type="image/png"
        ),
    )
    earlier = make_story(
        "Zhanaozen Workers Mark Anniversary",
        topics=[country, theme],
        authors=[author],
        lead_photo=make_photo(),
    )
    make_story(
        "Aktau Port Expands", topics=[country, series], authors=[make_person("Daniyar Ospanov")]
    )
    story = make_story(
        "Oil Workers Strike in Zhanaozen",
        standfirst="Thousands stop work over wages as the town remembers 2011.",
        body=(
            "<p>“We will not go back until we are paid,” said Yevgeny Zhovtis.</p>"
            "<h2>The demands</h2><p>They want a rise of 100 per cent.</p>"
            "<blockquote><p>It is the same every winter.</p></blockquote>"
            "<p>(See Zhanaozen Workers Mark Anniversary.)</p>"
        ),
        authors=[(author, "an IWPR contributor in Aktau"), (make_person("Serik Zhaksybekov"), "")],
        sources=[
            (make_person("Yevgeny Zhovtis"), "director of the Kazakhstan Bureau for Human Rights"),
            (make_person("Galym Ageleuov"), "head of the Liberty human rights group"),
        ],
        topics=[country, theme, series],
        links_to=[earlier.headline],
        lead_photo=make_photo(),
        published_at=timezone.now() - timedelta(minutes=30),
    )
    StoryNote.objects.create(
        story=story, kind="correction", text="The strike began on Monday, not Tuesday."
    )
    StoryNote.objects.create(story=story, kind="update", text="Talks resume on Friday.")
    StoryNote.objects.create(
        story=story,
        text="The union has 3,000 members.",
        withdrawn_at=timezone.now(),
        withdrawal_reason="The note was added to the wrong story.",
    )
    return Demo(story=story, topic=country, author=author)


def serious_violations(page) -> list[dict]:
    """axe-core's violations of impact serious or critical on the page as it is."""
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]


def described(violations: list[dict]) -> str:
    """Each violation's id, impact and help, with the nodes it was found on."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.extend(f"        {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_a_readers_page_has_no_serious_accessibility_violation(name, demo, live_server, browser):
    url = live_server.url + PAGES[name](demo)
    found = []
    for size, viewport in VIEWPORTS.items():
        browser.set_viewport_size(viewport)
        response = browser.goto(url)
        assert response.status == 200
        found_here = serious_violations(browser)
        if found_here:
            found.append(f"at {size} width:\n{described(found_here)}")
    assert not found, f"axe-core on the {name} page ({url}):\n" + "\n".join(found)

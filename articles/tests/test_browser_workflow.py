"""A story from a reporter's draft to the site, in a real browser.

A reporter writes a draft in headless Chromium, links another story from the
body editor's toolbar and submits it; an editor previews it in a new tab and
schedules it; at its time it is on the site with the link in its body; and of
two editors saving the same story, the second is refused with the first's
change shown and their own text kept.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Story
from articles.tests.accounts import make_user
from articles.tests.factories import make_story
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-newsroom-password-5821"
HEADLINE = "Karaganda Miners Stop Work Over Gas Checks"


def account(username, role, full_name):
    first, last = full_name.split()
    user = make_user(username, role, first_name=first, last_name=last)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, server, user):
    page.goto(f"{server}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{server}/admin/")


def type_body(page, text):
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    page.keyboard.type(text)


def link_a_story(page, term, headline):
    """The body editor's "Link to a story" tool: find a story by part of its headline."""
    page.keyboard.press("Control+Shift+K")
    dialog = page.locator("dialog.story-link-dialog")
    dialog.get_by_placeholder("Type part of a headline").fill(term)
    dialog.get_by_role("option", name=headline).dispatch_event("mousedown")
    dialog.get_by_role("button", name="Insert link").click()


def choose_author(page, name, role):
    """The Authors inline's first row, its person chosen by autocomplete."""
    page.locator("#bylines-0 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(name.split()[0])
    page.locator(".select2-results__option", has_text=name).click()
    page.fill("#id_bylines-0-role", role)


def write_and_submit(page, server, target):
    page.goto(f"{server}/admin/articles/story/add/")
    page.fill("#id_headline", HEADLINE)
    page.fill("#id_standfirst", "Shifts at the Lenin pit are idle after a gas alarm.")
    type_body(page, "Miners refused to go underground on Monday. ")
    link_a_story(page, "Mangistau", target.headline)
    choose_author(page, "Aliya Serik", "IWPR contributor in Karaganda")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "In review" in page.locator(".field-workflow_state").inner_text()


def preview_and_schedule(page, server, story, when, target):
    page.goto(f"{server}/admin/articles/story/{story.pk}/change/")
    with page.expect_popup() as opened:
        page.locator(".preview-button").first.click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.get_by_role("heading", level=1).inner_text() == HEADLINE
    assert preview.locator(".story__body a").get_attribute("href") == target.get_absolute_url()
    preview.close()
    page.locator("summary", has_text="Schedule").click()
    page.fill("#id__publish_at", timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_load_state()
    assert "Scheduled" in page.locator(".field-workflow_state").inner_text()


def test_a_story_goes_from_a_reporters_draft_to_the_site(live_server, new_page):
    server = live_server.url
    reporter = account("aliya", "reporter", "Aliya Serik")
    editor = account("dana", "editor", "Dana Bek")
    make_person("Aliya Serik")
    target = make_story("Oil Workers Strike in Mangistau")

    reporter_page = new_page()
    log_in(reporter_page, server, reporter)
    write_and_submit(reporter_page, server, target)
    story = Story.objects.get(headline=HEADLINE)
    assert story.state == "in_review" and story.created_by == reporter
    assert story.outgoing_links.get().target == target

    editor_page = new_page()
    log_in(editor_page, server, editor)
    when = (timezone.now() + timedelta(minutes=5)).replace(second=0, microsecond=0)
    preview_and_schedule(editor_page, server, story, when, target)

    reader = new_page()
    assert reader.goto(f"{server}{story.get_absolute_url()}").status == 404
    with time_machine.travel(when + timedelta(seconds=1)):
        response = reader.goto(f"{server}{story.get_absolute_url()}")
        assert response.status == 200
        link = reader.locator(".story__body a")
        assert link.get_attribute("href") == target.get_absolute_url()
        reader.goto(f"{server}/")
        assert reader.get_by_role("link", name=HEADLINE).is_visible()


def test_of_two_editors_saving_one_story_the_second_is_refused(live_server, new_page):
    server = live_server.url
    story = make_story("Almaty Buses Run Late", standfirst="Drivers say the fleet is old.")
    story.bylines.create(person=make_person("Nurlan Abenov"), role="reporter")
    first, second = new_page(), new_page()
    log_in(first, server, account("dana", "editor", "Dana Bek"))
    log_in(second, server, account("timur", "editor", "Timur Kim"))
    change = f"{server}/admin/articles/story/{story.pk}/change/"
    first.goto(change)
    second.goto(change)

    first.fill("#id_headline", "Almaty Buses Run Late Again")
    first.get_by_role("button", name="Save", exact=True).click()
    first.wait_for_load_state()
    second.fill("#id_standfirst", "Drivers blame the city's ageing fleet.")
    second.get_by_role("button", name="Save", exact=True).click()
    second.wait_for_load_state()

    conflict = second.locator(".story-conflict")
    assert "Dana Bek" in conflict.inner_text() and "Again" in conflict.inner_text()
    assert second.input_value("#id_standfirst") == "Drivers blame the city's ageing fleet."
    story.refresh_from_db()
    assert story.headline == "Almaty Buses Run Late Again"
    assert story.standfirst == "Drivers say the fleet is old."

"""Every admin URL and every preview, walked as each role: allowed or refused.

The table below says, for each URL, what an anonymous visitor, a staff
account without permissions, a Reporter and an Editor get. Every admin URL
the site has must be in it: a new one fails `test_every_admin_url_is_in_the_table`
until someone decides who may open it.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver
from django.utils import timezone

from articles import revisions, trash
from articles.models import PathRedirect, Story, StoryNote
from articles.previews import create_preview_link
from articles.tests.accounts import newsroom
from articles.tests.factories import make_photo, make_story, make_topic
from newsroom.roles import REPORTERS
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staff", "reporter", "editor")

# (admin route as Django names it, URL to open, method, expected statuses for
# anonymous, staff without permissions, reporter, editor). Objects are named
# in braces: {own} a reporter's own draft, {others} another reporter's draft,
# {trashed} a story in the trash.
ADMIN = [
    ("", "/admin/", "get", "302 200 200 200"),
    ("login/", "/admin/login/", "get", "200 302 302 302"),
    ("logout/", "/admin/logout/", "get", "302 405 405 405"),
    ("password_change/", "/admin/password_change/", "get", "302 200 200 200"),
    ("password_change/done/", "/admin/password_change/done/", "get", "302 200 200 200"),
    ("jsi18n/", "/admin/jsi18n/", "get", "302 200 200 200"),
    (
        "r/<path:content_type_id>/<path:object_id>/",
        "/admin/r/{story_type}/{own}/",
        "get",
        "302 302 302 302",
    ),
    ("^(?P<app_label>axes|auth|people|articles)/$", "/admin/articles/", "get", "302 404 200 200"),
    ("^(?P<app_label>axes|auth|people|articles)/$", "/admin/people/", "get", "302 404 200 200"),
    ("^(?P<app_label>axes|auth|people|articles)/$", "/admin/auth/", "get", "302 404 404 404"),
    ("^(?P<app_label>axes|auth|people|articles)/$", "/admin/axes/", "get", "302 404 404 404"),
    ("(?P<url>.*)$", "/admin/nowhere/", "get", "302 404 404 404"),
    # Autocompletes: what the story form's choosers ask for.
    (
        "autocomplete/",
        "/admin/autocomplete/?app_label=articles&model_name=crosslink&field_name=target&term=a",
        "get",
        "302 403 200 200",
    ),
    (
        "autocomplete/",
        "/admin/autocomplete/?app_label=articles&model_name=story&field_name=topics&term=a",
        "get",
        "302 403 200 200",
    ),
    (
        "autocomplete/",
        "/admin/autocomplete/?app_label=articles&model_name=story&field_name=lead_photo&term=a",
        "get",
        "302 403 200 200",
    ),
    (
        "autocomplete/",
        "/admin/autocomplete/?app_label=articles&model_name=byline&field_name=person&term=a",
        "get",
        "302 403 200 200",
    ),
    (
        "autocomplete/",
        "/admin/autocomplete/?app_label=articles&model_name=quotedsource&field_name=person&term=a",
        "get",
        "302 403 200 200",
    ),
    # Stories: reporters edit their own drafts and view the rest; editors do everything.
    ("articles/story/", "/admin/articles/story/", "get", "302 403 200 200"),
    ("articles/story/", "/admin/articles/story/?trash=1", "get", "302 403 302 200"),
    ("articles/story/", "/admin/articles/story/?state=in_review&mine=1", "get", "302 403 200 200"),
    ("articles/story/add/", "/admin/articles/story/add/", "get", "302 403 200 200"),
    (
        "articles/story/<path:object_id>/change/",
        "/admin/articles/story/{own}/change/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/change/",
        "/admin/articles/story/{own}/change/",
        "post",
        "302 403 302 302",
    ),
    (
        "articles/story/<path:object_id>/change/",
        "/admin/articles/story/{others}/change/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/change/",
        "/admin/articles/story/{others}/change/",
        "post",
        "302 403 403 302",
    ),
    (
        "articles/story/<path:object_id>/change/",
        "/admin/articles/story/{trashed}/change/",
        "get",
        "302 403 302 302",
    ),
    (
        "articles/story/<path:object_id>/history/",
        "/admin/articles/story/{own}/history/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/delete/",
        "/admin/articles/story/{own}/delete/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/story/<path:object_id>/restore/",
        "/admin/articles/story/{trashed}/restore/",
        "get",
        "302 405 405 405",
    ),
    (
        "articles/story/<path:object_id>/restore/",
        "/admin/articles/story/{trashed}/restore/",
        "post",
        "302 403 403 302",
    ),
    ("articles/story/<path:object_id>/", "/admin/articles/story/{own}/", "get", "302 302 302 302"),
    # Previews of the form (a POST of it), preview links, the story-link search.
    ("articles/story/preview/", "/admin/articles/story/preview/", "get", "302 403 302 302"),
    ("articles/story/preview/", "/admin/articles/story/preview/", "post", "302 403 200 200"),
    (
        "articles/story/<path:object_id>/preview/",
        "/admin/articles/story/{own}/preview/",
        "post",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/preview/",
        "/admin/articles/story/{others}/preview/",
        "post",
        "302 403 403 200",
    ),
    (
        "articles/story/<path:object_id>/preview-links/",
        "/admin/articles/story/{own}/preview-links/",
        "post",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/preview-links/",
        "/admin/articles/story/{others}/preview-links/",
        "post",
        "302 403 403 200",
    ),
    (
        "articles/story/<path:object_id>/preview-links/<int:link_id>/revoke/",
        "/admin/articles/story/{own}/preview-links/{link}/revoke/",
        "post",
        "302 403 302 302",
    ),
    (
        "articles/story/link-search/",
        "/admin/articles/story/link-search/?term=dra",
        "get",
        "302 403 200 200",
    ),
    # Editing together: autosave, presence, revisions (compare, restore).
    ("articles/story/autosave/", "/admin/articles/story/autosave/", "get", "302 403 200 200"),
    (
        "articles/story/<path:object_id>/autosave/",
        "/admin/articles/story/{own}/autosave/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/autosave/",
        "/admin/articles/story/{others}/autosave/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/story/<path:object_id>/presence/",
        "/admin/articles/story/{own}/presence/",
        "post",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/history/compare/",
        "/admin/articles/story/{own}/history/compare/?a={first_revision}&b={revision}",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/history/<int:revision_id>/restore/",
        "/admin/articles/story/{own}/history/{revision}/restore/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/story/<path:object_id>/history/<int:revision_id>/restore/",
        "/admin/articles/story/{others}/history/{others_revision}/restore/",
        "post",
        "302 403 403 302",
    ),
    # Correction notes: read with their story; added from its page, never deleted.
    ("articles/storynote/", "/admin/articles/storynote/", "get", "302 403 200 200"),
    ("articles/storynote/add/", "/admin/articles/storynote/add/", "get", "302 403 403 403"),
    (
        "articles/storynote/<path:object_id>/change/",
        "/admin/articles/storynote/{note}/change/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/storynote/<path:object_id>/history/",
        "/admin/articles/storynote/{note}/history/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/storynote/<path:object_id>/delete/",
        "/admin/articles/storynote/{note}/delete/",
        "get",
        "302 403 403 403",
    ),
    (
        "articles/storynote/<path:object_id>/",
        "/admin/articles/storynote/{note}/",
        "get",
        "302 302 302 302",
    ),
    # Photos: reporters add them and view the rest.
    ("articles/photo/", "/admin/articles/photo/", "get", "302 403 200 200"),
    ("articles/photo/add/", "/admin/articles/photo/add/", "get", "302 403 200 200"),
    (
        "articles/photo/<path:object_id>/change/",
        "/admin/articles/photo/{photo}/change/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/photo/<path:object_id>/history/",
        "/admin/articles/photo/{photo}/history/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/photo/<path:object_id>/delete/",
        "/admin/articles/photo/{photo}/delete/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/photo/<path:object_id>/",
        "/admin/articles/photo/{photo}/",
        "get",
        "302 302 302 302",
    ),
    # Translations: anyone who may add stories makes one from a story.
    (
        "articles/story/<path:object_id>/translate/",
        "/admin/articles/story/{own}/translate/",
        "get",
        "302 405 405 405",
    ),
    (
        "articles/story/<path:object_id>/translate/",
        "/admin/articles/story/{own}/translate/",
        "post",
        "302 403 302 302",
    ),
    # Redirects from old paths: editors only.
    ("articles/pathredirect/", "/admin/articles/pathredirect/", "get", "302 403 403 200"),
    ("articles/pathredirect/add/", "/admin/articles/pathredirect/add/", "get", "302 403 403 200"),
    (
        "articles/pathredirect/import/",
        "/admin/articles/pathredirect/import/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/pathredirect/import/",
        "/admin/articles/pathredirect/import/",
        "post",
        "302 403 403 200",
    ),
    (
        "articles/pathredirect/<path:object_id>/change/",
        "/admin/articles/pathredirect/{redirect}/change/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/pathredirect/<path:object_id>/history/",
        "/admin/articles/pathredirect/{redirect}/history/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/pathredirect/<path:object_id>/delete/",
        "/admin/articles/pathredirect/{redirect}/delete/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/pathredirect/<path:object_id>/",
        "/admin/articles/pathredirect/{redirect}/",
        "get",
        "302 302 302 302",
    ),
    # Topics: reporters only read them.
    ("articles/topic/", "/admin/articles/topic/", "get", "302 403 200 200"),
    ("articles/topic/add/", "/admin/articles/topic/add/", "get", "302 403 403 200"),
    (
        "articles/topic/<path:object_id>/change/",
        "/admin/articles/topic/{topic}/change/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/topic/<path:object_id>/history/",
        "/admin/articles/topic/{topic}/history/",
        "get",
        "302 403 200 200",
    ),
    (
        "articles/topic/<path:object_id>/delete/",
        "/admin/articles/topic/{topic}/delete/",
        "get",
        "302 403 403 200",
    ),
    (
        "articles/topic/<path:object_id>/",
        "/admin/articles/topic/{topic}/",
        "get",
        "302 302 302 302",
    ),
    # People: reporters add the people they quote and view the rest.
    ("people/person/", "/admin/people/person/", "get", "302 403 200 200"),
    ("people/person/add/", "/admin/people/person/add/", "get", "302 403 200 200"),
    (
        "people/person/<path:object_id>/change/",
        "/admin/people/person/{person}/change/",
        "get",
        "302 403 200 200",
    ),
    (
        "people/person/<path:object_id>/history/",
        "/admin/people/person/{person}/history/",
        "get",
        "302 403 200 200",
    ),
    (
        "people/person/<path:object_id>/delete/",
        "/admin/people/person/{person}/delete/",
        "get",
        "302 403 403 200",
    ),
    ("people/person/<path:object_id>/", "/admin/people/person/{person}/", "get", "302 302 302 302"),
]
# Accounts, groups and login records: superusers only.
for app, model, obj in [
    ("auth", "user", "{user}"),
    ("auth", "group", "{group}"),
    ("axes", "accessattempt", "{attempt}"),
    ("axes", "accesslog", "{access}"),
    ("axes", "accessfailurelog", "{failure}"),
]:
    base = f"{app}/{model}/"
    ADMIN += [
        (base, f"/admin/{base}", "get", "302 403 403 403"),
        (f"{base}add/", f"/admin/{base}add/", "get", "302 403 403 403"),
        (
            f"{base}<path:object_id>/change/",
            f"/admin/{base}{obj}/change/",
            "get",
            "302 403 403 403",
        ),
        (
            f"{base}<path:object_id>/history/",
            f"/admin/{base}{obj}/history/",
            "get",
            "302 403 403 403",
        ),
        (
            f"{base}<path:object_id>/delete/",
            f"/admin/{base}{obj}/delete/",
            "get",
            "302 403 403 403",
        ),
        (f"{base}<path:object_id>/", f"/admin/{base}{obj}/", "get", "302 302 302 302"),
    ]
ADMIN.append(
    ("auth/user/<id>/password/", "/admin/auth/user/{user}/password/", "get", "302 403 403 403")
)

# The site's story page: a preview for those who may view unpublished stories.
PREVIEWS = [
    ("published", "200 200 200 200"),
    ("draft", "404 404 200 200"),
    ("in review", "404 404 200 200"),
    ("scheduled", "404 404 200 200"),
    ("embargoed", "404 404 200 200"),
    ("in the trash", "404 404 404 404"),
]


def admin_routes(patterns=None, prefix=""):
    """Every route of the admin site, as Django spells it."""
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern)


def test_every_admin_url_is_in_the_table():
    assert set(admin_routes()) - {route for route, *_ in ADMIN} == set()


@pytest.fixture
def site():
    """The accounts and objects the table's URLs name."""
    people = newsroom()
    own = make_story("Own draft", status=Story.Status.DRAFT, created_by=people["reporter"])
    others = make_story(
        "Another's draft", status=Story.Status.DRAFT, created_by=people["other reporter"]
    )
    gone = make_story("Trashed", status=Story.Status.DRAFT)
    trash.move_to_trash(stories=Story.objects.filter(pk=gone.pk), user=people["editor"])
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", failures_since_start=1
    )
    link, _ = create_preview_link(
        story=own, user=people["reporter"], lifetime=timedelta(days=1), note=""
    )
    note = StoryNote.objects.create(story=make_story("Corrected"), text="The vote was on Friday.")
    revisions.record(story=own, user=people["reporter"], comment="First draft")
    first_revision = revisions.latest_revision(own.pk)
    Story.objects.filter(pk=own.pk).update(headline="Own draft, retitled", version=2)
    own.refresh_from_db()
    revisions.record(story=own, user=people["reporter"], comment="Retitled")
    revisions.record(story=others, user=people["other reporter"], comment="First draft")
    objects = {
        "first_revision": first_revision.pk,
        "revision": revisions.latest_revision(own.pk).pk,
        "others_revision": revisions.latest_revision(others.pk).pk,
        "own": own.pk,
        "link": link.pk,
        "note": note.pk,
        "others": others.pk,
        "trashed": gone.pk,
        "story_type": ContentType.objects.get_for_model(Story).pk,
        "photo": make_photo().pk,
        "topic": make_topic("Aral Sea").pk,
        "person": make_person("Ann Lee").pk,
        "user": people["staff"].pk,
        "group": Group.objects.get(name=REPORTERS).pk,
        "attempt": attempt.pk,
        "access": AccessLog.objects.create(username="x", ip_address="192.0.2.1").pk,
        "failure": AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1").pk,
        "redirect": PathRedirect.objects.create(old_path="/en/news/1.html", story=others).pk,
    }
    return people, objects


def story_form():
    """A story edit form as a browser sends it (for the POST rows)."""
    return {
        "headline": "Changed",
        "standfirst": "",
        "body": "",
        "language": "en",
        "type_of_work": "news",
    } | {
        f"{prefix}-{name}": value
        for prefix in ("bylines", "sources", "outgoing_links", "notes")
        for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }


def form_for(method, url):
    """What a browser posts to `url`: the story form, or a preview link's lifetime."""
    if method != "post":
        return {}
    if url.endswith("/preview-links/"):
        return {"lifetime": "1d", "note": ""}
    if url.endswith(("/change/", "/preview/")):
        story = re.search(r"/story/(\d+)/", url)
        if story is None:
            return story_form()
        # The version the form was loaded at: a form without it is refused.
        version = Story.objects.get(pk=story[1]).version
        return story_form() | {"version": str(version)}
    return {}


@pytest.mark.parametrize("role", ROLES)
def test_each_admin_url_allows_or_refuses_each_role(client, site, role):
    people, objects = site
    if role != "anonymous":
        client.force_login(people[role])
    actual, expected = {}, {}
    for _, url, method, statuses in ADMIN:
        url = url.format(**objects)
        data = form_for(method, url)
        response = getattr(client, method)(url, data)
        key = f"{method.upper()} {url}"
        actual[key] = response.status_code
        expected[key] = int(statuses.split()[ROLES.index(role)])
    assert actual == expected


@pytest.mark.parametrize("role", ROLES)
def test_each_story_preview_allows_or_refuses_each_role(client, site, role):
    people, _ = site
    later = timezone.now() + timedelta(days=1)
    stories = {
        "published": make_story("Out"),
        "draft": make_story("Draft", status=Story.Status.DRAFT),
        "in review": make_story("Review", status=Story.Status.IN_REVIEW),
        "scheduled": make_story("Later", published_at=later),
        "embargoed": make_story("Embargoed", embargo_until=later),
        "in the trash": make_story("Gone"),
    }
    gone = stories["in the trash"]
    trash.move_to_trash(stories=Story.objects.filter(pk=gone.pk), user=people["editor"])
    if role != "anonymous":
        client.force_login(people[role])
    actual = {
        state: client.get(story.get_absolute_url()).status_code for state, story in stories.items()
    }
    expected = {state: int(codes.split()[ROLES.index(role)]) for state, codes in PREVIEWS}
    assert actual == expected


# A shared preview link opens one story for anyone who has it, signed in or
# not, until it is revoked or expires; a token tampered with opens nothing.
PREVIEW_LINKS = [("valid", 200), ("revoked", 410), ("expired", 410), ("tampered", 404)]


@pytest.mark.parametrize("role", ROLES)
def test_each_preview_link_opens_or_refuses_the_same_for_every_role(client, site, role):
    people, _ = site
    draft = make_story("Draft shared with a lawyer", status=Story.Status.DRAFT)
    links = {}
    for state in ("valid", "revoked", "expired"):
        made = timezone.now() - (timedelta(days=2) if state == "expired" else timedelta(0))
        with time_machine.travel(made, tick=False):
            link, links[state] = create_preview_link(
                story=draft, user=people["editor"], lifetime=timedelta(days=1), note=state
            )
        if state == "revoked":
            link.revoked_at = timezone.now()
            link.save()
    links["tampered"] = links["valid"][:-1] + ("A" if links["valid"][-1] != "A" else "B")
    if role != "anonymous":
        client.force_login(people[role])
    actual = {state: client.get(f"/preview/{token}/").status_code for state, token in links.items()}
    assert actual == dict(PREVIEW_LINKS)

"""Links from a story's text to other stories: the editor's "Link to a story"
tool, its stored form, cross-links made from it, "See also", and the body
editor's other tools (spell-checking, word count)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import CrossLink, Story
from articles.rendering import (
    STORY_LINK_PREFIX,
    BodyLink,
    body_for_editor,
    render_story_body,
    story_link,
    story_link_id,
)
from articles.services import story_saved
from articles.tests.accounts import signed_in
from articles.tests.factories import make_story
from articles.tests.test_admin import edit_post, search_group, story_post
from newsroom.sanitize import sanitize_html
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ADD_STORY = reverse("admin:articles_story_add")
SEARCH = reverse("admin:articles_story_link_search")


def change_url(story):
    return reverse("admin:articles_story_change", args=[story.pk])


# --- The stored form ----------------------------------------------------------------


def test_the_stored_form_is_answered_by_the_site():
    assert story_link(42) == reverse("articles:story_by_id", args=[42]) == "/stories/id/42/"
    assert STORY_LINK_PREFIX == "/stories/id/"
    assert story_link_id("/stories/id/42/") == 42
    for other in ("/stories/id/0/", "/stories/id/4x/", "/stories/oil/", "https://x/stories/id/4/"):
        assert story_link_id(other) is None, other


def test_the_sanitiser_keeps_a_story_link():
    html = sanitize_html('<p><a href="/stories/id/42/" onclick="x()">words</a></p>')
    assert story_link_id(search_group(r'href="([^"]+)"', html)) == 42
    assert "onclick" not in html


def test_a_story_link_renders_at_its_target_address_or_as_text():
    body = (
        '<p>As <a href="/stories/id/1/" rel="noopener noreferrer">reported</a> and '
        '<a href="/stories/id/2/">drafted</a>; <a href="https://example.org/">out</a>.</p>'
    )
    rendered = render_story_body(
        body, [BodyLink("One", 1, "/stories/one-renamed/"), BodyLink("Two", 2, None)]
    )
    assert rendered.html == (
        '<p>As <a href="/stories/one-renamed/">reported</a> and drafted; '
        '<a href="https://example.org/" rel="noopener noreferrer">out</a>.</p>'
    )
    assert rendered.see_also == []


def test_links_the_text_does_not_carry_are_listed_as_see_also():
    rendered = render_story_body(
        "<p>(See Title One.) Nothing else.</p>",
        [
            BodyLink("Title One", 1, "/stories/one/"),
            BodyLink("Added in the admin", 2, "/stories/two/"),
            BodyLink("Not written yet", None, None),
            BodyLink("About a draft", 3, None),
        ],
    )
    assert '<a href="/stories/one/">Title One</a>' in rendered.html
    assert rendered.see_also == [BodyLink("Added in the admin", 2, "/stories/two/")]


def test_the_editor_shows_imported_titles_as_story_links():
    body = "<p>Prices fell. (See Title One and Title Two.)</p>"
    assert body_for_editor(body, [("Title One", 7)]) == (
        '<p>Prices fell. (See <a href="/stories/id/7/">Title One</a> and Title Two.)</p>'
    )


# --- Through the site ---------------------------------------------------------------


def test_story_link_address_redirects_to_the_current_one(client, editor_client):
    story = make_story("Strike ends")
    draft = make_story("Secret", status=Story.Status.DRAFT)
    response = client.get(story_link(story.pk))
    assert (response.status_code, response["Location"]) == (302, story.get_absolute_url())
    assert client.get(story_link(draft.pk)).status_code == 404
    assert editor_client.get(story_link(draft.pk))["Location"] == draft.get_absolute_url()
    assert client.get("/stories/id/999999/").status_code == 404


def save_new(client, **fields):
    """Add a story through the admin and publish it, as an editor would."""
    author = make_person()
    fields.setdefault("bylines", [{"person": str(author.pk), "role": "reporter", "position": "0"}])
    response = client.post(ADD_STORY, story_post(_action="publish", **fields))
    assert response.status_code == 302, response.context["errors"]
    return Story.objects.get(headline=fields.get("headline", "Oil workers strike in Zhanaozen"))


def test_a_story_link_inserted_in_the_editor_is_saved_as_a_cross_link(
    editor_client, client, html_of
):
    target = make_story("Earlier strikes in Mangistau")
    story = save_new(
        editor_client,
        body=f'<p>As <a href="{story_link(target.pk)}">we reported</a>, it goes on.</p>',
    )

    link = story.outgoing_links.get()
    assert (link.title, link.target, link.in_text) == (target.headline, target, True)
    html = html_of(client.get(story.get_absolute_url()))
    assert f'As <a href="{target.get_absolute_url()}">we reported</a>, it goes on.' in html
    assert "See also" not in html
    # It counts where the importer's links count: "Related stories" on both pages.
    target_html = html_of(client.get(target.get_absolute_url()))
    related = target_html[target_html.index("Related stories") :]
    assert f'<a href="{story.get_absolute_url()}">{story.headline}</a>' in related


def test_a_story_link_follows_its_target_through_a_rename(editor_client, client, html_of):
    target = make_story("Earlier strikes", slug="earlier-strikes")
    story = save_new(
        editor_client,
        body=f'<p><a href="{story_link(target.pk)}">Earlier</a></p>',
    )
    response = editor_client.post(
        change_url(target),
        edit_post(target, slug="earlier-strikes-in-mangistau", headline="Strikes, earlier"),
    )
    assert response.status_code == 302, response.context["errors"]

    html = html_of(client.get(story.get_absolute_url()))
    assert '<a href="/stories/earlier-strikes-in-mangistau/">Earlier</a>' in html
    assert "/stories/earlier-strikes/" not in html


def test_removing_a_link_from_the_text_removes_its_cross_link(editor_client):
    target = make_story("Earlier strikes")
    kept = make_story("Added in the admin")
    story = save_new(
        editor_client,
        body=f'<p><a href="{story_link(target.pk)}">Earlier</a>. (See Title Two.)</p>',
        links=[
            {"title": "Title Two", "target": "", "position": "0"},
            {"title": "", "target": str(kept.pk), "position": "1"},
        ],
    )
    assert {(link.title, link.in_text) for link in story.outgoing_links.all()} == {
        ("Earlier strikes", True),
        ("Title Two", True),
        ("Added in the admin", False),
    }

    response = editor_client.post(change_url(story), edit_post(story, body="<p>Rewritten.</p>"))

    assert response.status_code == 302, response.context["errors"]
    assert [link.title for link in story.outgoing_links.all()] == ["Added in the admin"]


def test_an_imported_story_shows_its_see_references_as_links_in_the_editor(
    editor_client, client, html_of
):
    target = make_story("Title One")
    story = make_story(
        body="<p>(See Title One and Title Two.)</p>", links_to=["Title One", "Title Two"]
    )

    def body_as_readers_see_it():
        html = html_of(client.get(story.get_absolute_url()))
        return html[
            html.index('<div class="story__body') : html.index(
                "</div>", html.index('<div class="story__body')
            )
        ]

    before = body_as_readers_see_it()
    response = editor_client.get(change_url(story))

    body = response.context["adminform"].form["body"].value()
    assert body == f'<p>(See <a href="{story_link(target.pk)}">Title One</a> and Title Two.)</p>'
    assert "Linked in the text" not in response.content.decode()  # not saved yet
    # Saved as shown, it renders as it did.
    response = editor_client.post(change_url(story), edit_post(story, body=body))
    assert response.status_code == 302, response.context["errors"]
    assert all(link.in_text for link in story.outgoing_links.all())
    assert body_as_readers_see_it() == before
    assert f'(See <a href="{target.get_absolute_url()}">Title One</a> and Title Two.)' in before


def test_a_cross_link_added_in_the_admin_shows_under_see_also(editor_client, client, html_of):
    target = make_story("Atyrau floods")
    story = save_new(
        editor_client,
        body="<p>Text that names no story.</p>",
        links=[{"title": "", "target": str(target.pk), "position": "0"}],
    )

    link = story.outgoing_links.get()
    assert (link.title, link.target, link.in_text) == ("Atyrau floods", target, False)
    html = html_of(client.get(story.get_absolute_url()))
    assert (
        '<p class="see-also"><span class="see-also__label">See also:</span> '
        f'<a href="{target.get_absolute_url()}">Atyrau floods</a></p>'
    ) in html
    page = html_of(editor_client.get(change_url(story)))
    assert "not in the text, so listed under “See also”" in page


def test_an_inline_cross_link_needs_a_title_or_a_story(editor_client):
    response = editor_client.post(
        ADD_STORY, story_post(links=[{"title": "", "target": "", "position": "3"}])
    )
    assert response.status_code == 200
    assert "Give the title as written, or choose a story." in response.content.decode()


def test_a_title_typed_in_the_inline_is_kept(editor_client):
    target = make_story("Atyrau floods")
    story = save_new(
        editor_client, links=[{"title": "The floods", "target": str(target.pk), "position": "0"}]
    )
    assert story.outgoing_links.get().title == "The floods"


def test_story_link_to_a_headline_already_linked_elsewhere_gets_its_own_title():
    first, second = make_story("Strike"), make_story("Strike")
    story = make_story(body=f'<p><a href="{story_link(second.pk)}">again</a></p>', links_to=[])
    CrossLink.objects.create(source=story, title="Strike", target=first)
    story_saved(story=story)
    assert {(link.title, link.target_id) for link in story.outgoing_links.all()} == {
        ("Strike", first.pk),
        ("Strike (2)", second.pk),
    }


def test_a_story_link_resolves_a_pending_link_of_that_headline():
    target = make_story("Not written yet")
    story = make_story(body=f'<p><a href="{story_link(target.pk)}">x</a></p>')
    CrossLink.objects.create(source=story, title="Not Written Yet.")
    story_saved(story=story)
    link = story.outgoing_links.get()
    assert (link.title, link.target, link.in_text) == ("Not Written Yet.", target, True)


def test_a_story_linking_to_itself_makes_no_cross_link():
    story = make_story()
    Story.objects.filter(pk=story.pk).update(body=f'<p><a href="{story_link(story.pk)}">me</a></p>')
    story.refresh_from_db()
    story_saved(story=story)
    assert not story.outgoing_links.exists()


# --- Finding a story to link --------------------------------------------------------


def test_link_search_finds_headlines_newest_first_without_the_story_itself(editor_client):
    now = timezone.now()
    older = make_story("Oil strike begins", published_at=now - timedelta(days=2))
    newer = make_story("Oil strike ends", published_at=now - timedelta(days=1))
    draft = make_story("Oil strike: the draft", status=Story.Status.DRAFT)
    make_story("Elections")
    Story.objects.filter(pk=draft.pk).update(published_at=None)

    def found(**params):
        response = editor_client.get(SEARCH, params)
        assert response.status_code == 200
        return [r["headline"] for r in response.json()["results"]]

    assert found(term="OIL STRIKE") == [newer.headline, older.headline, draft.headline]
    assert found(term="oil strike", exclude=str(newer.pk)) == [older.headline, draft.headline]
    assert found(term="o") == []
    assert found(term="oil", exclude="x" * 30) == found(term="oil")
    result = editor_client.get(SEARCH, {"term": "ends"}).json()["results"][0]
    assert result["href"] == story_link(newer.pk) and result["state"] == "Published"


def test_link_search_offers_only_stories_the_user_may_see(make_user, editor_client):
    make_story("Oil strike", status=Story.Status.PUBLISHED)
    make_story("Oil draft", status=Story.Status.DRAFT)
    assert len(editor_client.get(SEARCH, {"term": "oil"}).json()["results"]) == 2
    outsider = make_user("outsider")
    assert signed_in(outsider).get(SEARCH, {"term": "oil"}).status_code == 403
    assert signed_in(outsider).get("/admin/articles/story/link-search/").status_code == 403
    viewer = make_user("viewer")
    viewer.user_permissions.set(Permission.objects.filter(codename="change_crosslink"))
    assert signed_in(viewer).get(SEARCH, {"term": "oil"}).status_code == 403


def test_link_search_query_count_is_constant(editor_client, django_assert_num_queries):
    for i in range(15):
        make_story(f"Oil story {i}")
    editor_client.get(SEARCH, {"term": "oil"})
    # Session, user, the user's and their groups' permissions, the stories.
    with django_assert_num_queries(5):
        results = editor_client.get(SEARCH, {"term": "oil"}).json()["results"]
    assert len(results) == 12


# --- The editor's configuration -----------------------------------------------------


def editor_settings(html):
    raw = search_group(r'data-django-prose-editor-configurable="([^"]+)"', html)
    return json.loads(raw.replace("&quot;", '"').replace("&amp;", "&"))


def test_the_body_editor_has_the_newsrooms_tools_and_spell_checking(editor_client, html_of):
    story = make_story()
    html = html_of(editor_client.get(change_url(story)))
    config = editor_settings(html)
    extensions = config["extensions"]
    assert "NoSpellCheck" not in extensions
    assert extensions["SpellCheck"]["languageField"] == "id_language"
    assert extensions["WordCount"] is True
    assert extensions["StoryLink"] == {"searchUrl": SEARCH, "exclude": story.pk, "minLength": 2}
    assert config["js_modules"] == ["/static/admin-extra/story-editor.js"]
    for name in ("headline", "standfirst"):
        tag = search_group(rf'(<[^>]+name="{name}"[^>]*>)', html)
        assert 'spellcheck="true"' in tag, tag
    assert (
        editor_settings(html_of(editor_client.get(ADD_STORY)))["extensions"]["StoryLink"]["exclude"]
        is None
    )

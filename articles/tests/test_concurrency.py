"""No lost edits: two people save the same story; the second is refused,
shown the first's change, and keeps their own text to merge."""

import threading

import pytest
from django.db import connection

from articles import concurrency, revisions_admin, workflow
from articles.models import Byline, CrossLink, Story
from articles.tests.editing import browser, change_url, opened, page
from articles.tests.factories import make_story
from articles.tests.pages import edited, form_data
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def bishkek_story(**kwargs):
    return make_story(
        "Water tariffs rise in Bishkek",
        standfirst="The city council voted for higher prices.",
        body="<p>The council voted on Monday.</p>",
        authors=[make_person("Aida Sultanova")],
        **kwargs,
    )


def test_the_second_save_is_refused_with_the_first_shown_and_its_own_text_kept(account):
    dana, timur = account("dana", "Dana Kim"), account("timur", "Timur Bekov")
    story = bishkek_story()
    a, b = browser(dana), browser(timur)
    form_a, form_b = opened(a, story), opened(b, story)
    assert form_a["version"] == form_b["version"] == [str(story.version)]

    first = a.post(
        change_url(story),
        edited(
            form_a,
            headline="Bishkek raises water tariffs",
            body="<p>The council voted on Monday, 9 to 2.</p>",
        ),
    )
    assert first.status_code == 302
    second = b.post(
        change_url(story),
        edited(form_b, headline="Water tariffs to double", standfirst="Prices double in May."),
    )

    assert second.status_code == 200
    html = page(second)
    assert "Not saved: this story was changed after you opened it: Dana Kim saved it at" in html
    # Dana's change, word by word, and Timur's text where he left it.
    assert "<del>Water tariffs rise in Bishkek</del><ins>Bishkek raises water tariffs</ins>" in html
    assert "The council voted on <del>Monday.</del><ins>Monday, 9 to 2.</ins>" in html
    kept = form_data(html)
    assert kept["headline"] == ["Water tariffs to double"]
    assert kept["standfirst"] == ["Prices double in May."]
    story.refresh_from_db()
    assert story.headline == "Bishkek raises water tariffs"
    assert "9 to 2" in story.body
    assert story.standfirst == "The city council voted for higher prices."

    # Having been shown Dana's change, Timur may save his merge.
    merged = b.post(change_url(story), edited(kept, body=story.body))
    assert merged.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == (
        "Water tariffs to double",
        "Prices double in May.",
    )
    assert "9 to 2" in story.body


def test_a_form_without_its_version_is_refused(account):
    client = browser(account("dana", "Dana Kim"))
    story = bishkek_story()
    data = opened(client, story)
    del data["version"]

    response = client.post(change_url(story), edited(data, headline="Changed blind"))

    assert response.status_code == 200
    assert "does not say which version of the story it was loaded at" in page(response)
    assert Story.objects.get(pk=story.pk).headline == "Water tariffs rise in Bishkek"


def test_a_workflow_transition_refuses_forms_opened_before_it(account):
    dana, timur = account("dana", "Dana Kim"), account("timur", "Timur Bekov")
    story = bishkek_story(status=Story.Status.DRAFT)
    stale = opened(browser(timur), story)
    workflow.apply(story=story, action=workflow.Action.PUBLISH, user=dana)

    response = browser(timur).post(change_url(story), edited(stale, headline="Timur's headline"))

    assert response.status_code == 200
    assert "Dana Kim published it at" in page(response)
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED and story.headline != "Timur's headline"


def test_stale_forms_adding_the_same_author_or_link_get_form_errors(account):
    dana, timur = account("dana", "Dana Kim"), account("timur", "Timur Bekov")
    story = bishkek_story()
    author = make_person("Bakyt Ibraimov")
    additions = {
        "bylines-TOTAL_FORMS": ["2"],
        "bylines-1-person": [str(author.pk)],
        "bylines-1-role": ["reporter"],
        "bylines-1-position": ["1"],
        "outgoing_links-TOTAL_FORMS": ["1"],
        "outgoing_links-0-title": ["Earlier protests"],
        "outgoing_links-0-position": ["0"],
    }
    a, b = browser(dana), browser(timur)
    form_a, form_b = opened(a, story), opened(b, story)
    assert a.post(change_url(story), form_a | additions).status_code == 302

    refused = b.post(change_url(story), form_b | additions)
    assert refused.status_code == 200
    # Saving again from the refused form, now at the current version.
    again = b.post(change_url(story), form_data(page(refused)))

    assert again.status_code == 200
    html = page(again)
    assert (
        "Bakyt Ibraimov is already on this story: someone added them after you opened it." in html
    )
    assert "already has a “See …” reference to “Earlier protests”" in html
    assert Byline.objects.filter(story=story, person=author).count() == 1
    assert CrossLink.objects.filter(source=story).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_saves_one_succeeds_nineteen_are_refused(account, monkeypatch):
    """Real concurrency: twenty threads, each with its own database connection,
    post forms loaded at the same version at once."""
    claims = []  # what each compare-and-set that ran answered

    def claim(story, expected):
        claimed = concurrency.claim_version(story, expected)
        claims.append(claimed)
        return claimed

    monkeypatch.setattr(revisions_admin, "claim_version", claim)
    editors = [account(f"editor{i}", f"Editor Number{i}") for i in range(20)]
    story = bishkek_story()
    clients = [browser(editor) for editor in editors]
    forms = [opened(client, story) for client in clients]
    start = threading.Barrier(len(clients))
    responses: list = [None] * len(clients)

    def save(i):
        try:
            start.wait()
            data = edited(forms[i], headline=f"Headline by editor {i}")
            responses[i] = clients[i].post(change_url(story), data)
        finally:
            connection.close()  # each thread had a connection of its own

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = [response.status_code for response in responses]
    assert sorted(codes) == [200] * 19 + [302]
    # Exactly one compare-and-set claimed the version. On PostgreSQL the saves
    # that were validated before the winner committed lost it there; SQLite
    # runs one writer at a time, so each later save was refused on reading
    # the new version and none reached the compare-and-set.
    assert claims.count(True) == 1
    if connection.vendor == "sqlite":
        assert claims == [True]
    winner = codes.index(302)
    story.refresh_from_db()
    assert story.headline == f"Headline by editor {winner}"
    assert story.version == 2
    # The state before, and the winner's save; nothing else was written.
    assert [r.revision.user_id for r in story.revisions.order_by("version")] == [
        None,
        editors[winner].pk,
    ]
    for i, response in enumerate(responses):
        if i == winner:
            continue
        html = page(response)
        assert f"Editor Number{winner} saved it at" in html
        assert form_data(html)["headline"] == [f"Headline by editor {i}"]

"""Translations: a story's versions in other languages as one group, the
links between the published ones, the interface in the story's language,
and the admin's "Add translation" and "out of date"."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles import translations
from articles.models import Story
from articles.tests.editing import STORIES, browser, change_url, opened, page
from articles.tests.factories import make_photo, make_story, make_topic
from articles.tests.pages import edited
from articles.tests.test_views import STORY_QUERIES
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    return make_story(
        "Miners strike in Karaganda",
        body="<p>The strike began on Monday at dawn.</p>",
        authors=[(make_person("Aida Sultanova"), "reporter")],
        topics=[make_topic("Kazakstan")],
        lead_photo=make_photo(),
    )


def published_translation(original, language="ru", headline="Забастовка шахтёров в Караганде"):
    made = translations.add_translation(original=original, language=language, user=None)
    Story.objects.filter(pk=made.pk).update(
        headline=headline, status=Story.Status.PUBLISHED, published_at=original.published_at
    )
    made.refresh_from_db()
    return made


def test_add_translation_makes_a_linked_draft_with_bylines_topics_and_photo(original):
    made = translations.add_translation(original=original, language="ru", user=None)

    assert made.status == Story.Status.DRAFT and made.language == "ru"
    assert made.translation_of == original and made.source_version == original.version
    assert [b.person.name for b in made.bylines.all()] == ["Aida Sultanova"]
    assert [b.role for b in made.bylines.all()] == ["reporter"]
    assert [t.name for t in made.topics.all()] == ["Kazakstan"]
    assert made.lead_photo == original.lead_photo
    assert made.slug != original.slug


def test_one_version_per_language_in_a_group(original):
    made = translations.add_translation(original=original, language="ru", user=None)
    with pytest.raises(ValidationError, match="in Русский already"):
        translations.add_translation(original=original, language="ru", user=None)
    with pytest.raises(ValidationError, match="original"):
        translations.add_translation(original=made, language="kk", user=None)
    with pytest.raises(ValidationError, match="in English already"):
        translations.add_translation(original=original, language="en", user=None)
    with pytest.raises(ValidationError, match="not one of"):
        translations.add_translation(original=original, language="xx", user=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_story("Another Russian one", language="ru", translation_of=original)


def test_each_published_version_links_to_the_others_in_their_own_language(
    client, original, html_of
):
    russian = published_translation(original)

    english_page = html_of(client.get(original.get_absolute_url()))
    russian_page = html_of(client.get(russian.get_absolute_url()))

    assert (
        f'<a href="{russian.get_absolute_url()}" lang="ru" hreflang="ru">Русский</a>'
        in english_page
    )
    assert (
        f'<a href="{original.get_absolute_url()}" lang="en" hreflang="en">English</a>'
        in russian_page
    )
    for html in (english_page, russian_page):
        assert (
            f'<link rel="alternate" hreflang="ru" href="http://testserver{russian.get_absolute_url()}">'
            in html
        )
        assert (
            f'<link rel="alternate" hreflang="en" href="http://testserver{original.get_absolute_url()}">'
            in html
        )
        assert (
            '<link rel="alternate" hreflang="x-default" '
            f'href="http://testserver{original.get_absolute_url()}">' in html
        )


def test_an_unpublished_translation_never_appears(client, original, html_of):
    draft = translations.add_translation(original=original, language="ru", user=None)
    scheduled = published_translation(original, language="kk", headline="Kazakh")
    Story.objects.filter(pk=scheduled.pk).update(
        published_at=original.published_at.replace(year=2999)
    )

    html = html_of(client.get(original.get_absolute_url()))

    assert draft.get_absolute_url() not in html and scheduled.get_absolute_url() not in html
    assert "Read in" not in html and "hreflang" not in html


def test_a_russian_story_speaks_russian(client, original, html_of):
    russian = published_translation(original)
    Story.objects.filter(pk=russian.pk).update(status=Story.Status.PUBLISHED)

    html = html_of(client.get(russian.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    english = html_of(client.get(original.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru"))

    assert '<html lang="ru">' in html
    assert "Читать на:" in html and "Темы" in html and "Перейти к основному содержанию" in html
    assert "Skip to main content" not in html
    assert '<html lang="en">' in english and "Read in:" in english and "Темы" not in english


def test_translations_cost_one_query_however_many(client, original, django_assert_num_queries):
    for language in ("ru", "kk", "ky", "tg"):
        published_translation(original, language=language, headline=f"In {language}")
    client.get("/")  # reads the release clock once, as a first request does (newsroom.caching)
    with django_assert_num_queries(STORY_QUERIES):
        assert client.get(original.get_absolute_url()).status_code == 200


# --- The admin ----------------------------------------------------------------


def test_add_translation_from_the_edit_page(editor, original):
    client = browser(editor)
    assert "Add translation" in page(client.get(change_url(original)))

    response = client.post(f"{STORIES}{original.pk}/translate/", {"language": "ru"})

    made = Story.objects.get(translation_of=original)
    assert response["Location"] == change_url(made)
    edit_page = page(client.get(change_url(made)))
    assert "Miners strike in Karaganda" in edit_page and "(the original)" in edit_page
    again = client.post(f"{STORIES}{original.pk}/translate/", {"language": "ru"}, follow=True)
    assert "already" in page(again)
    assert Story.objects.filter(translation_of=original).count() == 1


def test_a_translation_is_out_of_date_after_its_original_changes(editor, original):
    client = browser(editor)
    made = translations.add_translation(original=original, language="ru", user=editor)
    assert "Out of date" not in page(client.get(STORIES))

    # Saving the original through the editor records its revisions.
    body = "<p>The strike began on Tuesday at dawn.</p>"
    assert client.post(change_url(original), edited(opened(client, original))).status_code == 302
    assert (
        client.post(change_url(original), edited(opened(client, original), body=body)).status_code
        == 302
    )

    assert "Out of date" in page(client.get(STORIES))
    edit_page = page(client.get(change_url(made)))
    assert "This translation is out of date" in edit_page
    assert "<del>Monday</del><ins>Tuesday</ins>" in edit_page

    data = edited(opened(client, made), brought_up_to_date="on")
    assert client.post(change_url(made), data).status_code == 302
    made.refresh_from_db()
    assert not translations.is_out_of_date(made)
    assert "Out of date" not in page(client.get(STORIES))
    assert "This translation is out of date" not in page(client.get(change_url(made)))


def test_the_list_action_marks_translations_up_to_date(editor, original):
    made = translations.add_translation(original=original, language="ru", user=editor)
    Story.objects.filter(pk=original.pk).update(version=original.version + 3)
    made.refresh_from_db()
    assert translations.is_out_of_date(made)

    browser(editor).post(
        STORIES, {"action": "mark_translations_up_to_date", "_selected_action": [made.pk]}
    )

    made.refresh_from_db()
    assert made.source_version == original.version + 3

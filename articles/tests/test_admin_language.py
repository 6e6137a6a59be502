"""The admin in the editor's language: Russian when the browser asks for it,
the project's own words included; readers' pages never follow the browser."""

import html
import json
import re

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.urls import reverse
from django.utils import translation

from articles.models import Story
from articles.tests.editing import browser, change_url
from articles.tests.factories import make_story
from articles.tests.test_admin import STORIES, edit_post
from newsroom.admin_language import admin_language

pytestmark = pytest.mark.django_db

RUSSIAN = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def draft():
    return make_story("Miners strike in Karaganda", status=Story.Status.DRAFT)


def test_the_story_list_speaks_russian_to_a_russian_browser(editor, draft):
    make_story("Oil workers strike in Zhanaozen")

    response = browser(editor).get(STORIES, headers=RUSSIAN)

    assert response["Content-Language"] == "ru"
    assert "Accept-Language" in response["Vary"]
    page = text_of(response)
    for words in (
        "Выберите материал для изменения",  # Django's words around the model's name
        "Состояние",  # columns
        "Авторы",
        "Редактор",
        "Последняя правка",
        "Опубликовать выбранные материалы сейчас",  # actions
        "Переместить выбранные материалы в корзину",
        "Мои (написанные мной или порученные мне)",  # filters
        "На проверке",
        "Корзина (восстановить можно в течение 30 дней)",
        "Поиск по заголовкам, лидам и текстам материалов.",
        "Черновик",  # the draft's state
        "Опубликован",
    ):
        assert words in page, words
    for english in ("Publish selected stories now", "Mine (written or assigned to me)", "State"):
        assert english not in page


def test_the_edit_page_and_its_workflow_buttons_speak_russian(editor, draft):
    response = browser(editor).get(change_url(draft), headers=RUSSIAN)

    assert response.status_code == 200
    page = text_of(response)
    for words in (
        "Сохранить черновик",  # the workflow's buttons
        "Отправить на проверку",
        "Опубликовать сейчас",
        "Запланировать…",
        "В корзину",
        "Заголовок",  # labels, help texts, fieldsets, inlines
        "Краткое изложение одной фразой под заголовком.",
        "Публикация",
        "Главное фото",
        "Авторы",
        "Цитируемые источники",
        "Поделиться предпросмотром",  # the edit page's panels
        "Переводы",
        "Предпросмотр",
    ):
        assert words in page, words
    assert "Save draft" not in page and "Share a preview" not in page
    assert '<html lang="ru"' in response.content.decode()


def test_a_workflow_action_reports_in_russian(editor, draft):
    client = browser(editor)
    data = edit_post(draft, _action="publish", standfirst="")

    response = client.post(change_url(draft), data, follow=True, headers=RUSSIAN)

    page = text_of(response)
    assert "«Miners strike in Karaganda» сохранён." in page
    assert "Не опубликовано: для публикации нужен лид" in page


def test_without_a_russian_browser_the_admin_is_english(editor, draft):
    client = browser(editor)
    for headers in ({}, {"Accept-Language": "en-US,en;q=0.9"}):
        response = client.get(change_url(draft), headers=headers)
        assert "Save draft" in text_of(response)
        assert response["Content-Language"] == "en-gb"


def test_the_first_language_the_admin_speaks_wins():
    assert admin_language("kk-KZ, ru;q=0.8, en;q=0.5") == "ru"
    assert admin_language("en-US, ru;q=0.8") == "en-gb"
    assert admin_language("de, fr;q=0.5") == "en-gb"
    assert admin_language("*") == "en-gb"
    assert admin_language("") == "en-gb"


def test_the_admin_javascript_catalogue_has_the_project_strings(editor):
    response = browser(editor).get(reverse("admin:jsi18n"), headers=RUSSIAN)

    catalogue = response.content.decode()  # the strings as JSON escapes them
    assert json.dumps("Ссылка на материал") in catalogue  # the body editor's tool
    assert json.dumps("Отозвать") in catalogue  # the preview links' script


def test_readers_pages_ignore_the_browser_language(client):
    story = make_story("Oil workers strike in Zhanaozen")

    for url in ("/", story.get_absolute_url()):
        response = client.get(url, headers=RUSSIAN)
        assert '<html lang="en' in response.content.decode(), url
        assert "Accept-Language" not in response.get("Vary", ""), url


def test_a_preview_speaks_the_story_language_not_the_editors(editor, draft):
    url = reverse("admin:articles_story_preview", args=[draft.pk])

    response = browser(editor).post(url, edit_post(draft), headers=RUSSIAN)

    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Preview of the edit form." in text_of(response)


# --- Every label, title and description an editor reads is translated --------


def _registered_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("articles", "people")
    ]


def _declared_strings():
    """The project's own declared admin strings, as (where, string)."""
    found = []
    for model, model_admin in _registered_admins():
        opts = model._meta
        found += [(f"{opts.label} name", opts.verbose_name)]
        found += [(f"{opts.label} plural", opts.verbose_name_plural)]
        for field in opts.get_fields():
            if getattr(field, "editable", False) and not field.auto_created:
                found.append((f"{opts.label}.{field.name}", field.verbose_name))
                if field.help_text:
                    found.append((f"{opts.label}.{field.name} help", field.help_text))
        for name in [*model_admin.list_display, *model_admin.readonly_fields]:
            description = getattr(getattr(model_admin, name, None), "short_description", "")
            if description:
                found.append((f"{opts.label} column {name}", description))
        for action in model_admin.actions or []:
            description = getattr(model_admin, action).short_description
            found.append((f"{opts.label} action {action}", description))
        for list_filter in model_admin.list_filter:
            if isinstance(list_filter, type) and issubclass(list_filter, SimpleListFilter):
                found.append((f"{opts.label} filter {list_filter.__name__}", list_filter.title))
        for title, _options in model_admin.fieldsets or []:
            if title:
                found.append((f"{opts.label} fieldset", title))
        for inline in model_admin.inlines:
            plural = inline.verbose_name_plural or inline.model._meta.verbose_name_plural
            found.append((f"{opts.label} inline {inline.__name__}", plural))
        if model_admin.search_help_text:
            found.append((f"{opts.label} search help", model_admin.search_help_text))
    return found


def test_every_declared_admin_string_has_its_russian():
    strings = _declared_strings()
    assert len(strings) > 100  # the walk finds the admin's strings at all

    untranslated = []
    for where, text in strings:
        with translation.override("en"):
            english = str(text)
        with translation.override("ru"):
            russian = str(text)
        if russian == english:
            untranslated.append(f"{where}: {english!r}")
    assert untranslated == []

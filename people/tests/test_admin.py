"""The editors' admin for people, used as an editor would."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newsroom.tests.factories import image_bytes
from people.models import Person, PersonAlias
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

PEOPLE = "/admin/people/person/"
ADD_PERSON = "/admin/people/person/add/"
# Session, user, the page's COUNT and the rows with both story counts.
PERSON_CHANGELIST_QUERIES = 4


def person_post(**fields):
    return {
        "name": "Ainur Karimova",
        "slug": "ainur-karimova",
        "bio": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    } | fields


def headlines_of(response):
    return [p.name for p in response.context["cl"].result_list]


def test_people_list_shows_story_counts_and_sorts_by_them(admin_client, stories):
    writer, pundit = make_person("Ann Lee"), make_person("Bolat Nurov")
    stories.make_story(authors=[writer], sources=[pundit])
    stories.make_story(authors=[writer], sources=[pundit])
    stories.make_story(sources=[pundit])

    response = admin_client.get(PEOPLE)

    counts = {
        p.name: (p.bylines_count, p.quotations_count) for p in response.context["cl"].result_list
    }
    assert counts == {"Ann Lee": (2, 0), "Bolat Nurov": (0, 3)}
    # Column 4 is "Quoted in", descending.
    assert headlines_of(admin_client.get(PEOPLE, {"o": "-4"})) == ["Bolat Nurov", "Ann Lee"]
    assert headlines_of(admin_client.get(PEOPLE, {"o": "-3"})) == ["Ann Lee", "Bolat Nurov"]


def test_people_list_query_count_does_not_grow_with_people(admin_client, stories, count_queries):
    stories.make_story(authors=[make_person()], sources=[make_person()])
    page = count_queries(admin_client, PEOPLE)
    assert page.queries == PERSON_CHANGELIST_QUERIES
    assert [(p.bylines_count, p.quotations_count) for p in page.rows] == [(1, 0), (0, 1)]
    for _ in range(10):
        stories.make_story(authors=[make_person(), make_person()], sources=[make_person()])
    page = count_queries(admin_client, PEOPLE)
    assert page.queries == PERSON_CHANGELIST_QUERIES
    assert len(page.rows) == 32
    assert sum(p.bylines_count + p.quotations_count for p in page.rows) == 32


def test_search_finds_people_by_name_and_other_spellings(admin_client):
    person = make_person("Yevgeny Zhovtis")
    PersonAlias.objects.create(person=person, name="Evgeniy Zhovtis")
    cyrillic = make_person("Евгений Жовтис")
    make_person("Someone Else")

    assert headlines_of(admin_client.get(PEOPLE, {"q": "zhovtis"})) == ["Yevgeny Zhovtis"]
    assert headlines_of(admin_client.get(PEOPLE, {"q": "evgeniy"})) == ["Yevgeny Zhovtis"]
    # Case-insensitive in any alphabet, though SQLite's LIKE only folds ASCII.
    assert headlines_of(admin_client.get(PEOPLE, {"q": "ЖОВТИС"})) == [cyrillic.name]


def test_person_autocomplete_for_bylines_matches_aliases(admin_client):
    person = make_person("Yevgeny Zhovtis")
    PersonAlias.objects.create(person=person, name="Evgeniy Zhovtis")

    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "byline", "field_name": "person", "term": "Evgen"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Yevgeny Zhovtis"]


def test_add_person_with_other_spellings(admin_client):
    html = admin_client.get(ADD_PERSON).content.decode()
    assert "#id_name" in html and "#id_slug" in html  # slug filled in from the name

    response = admin_client.post(
        ADD_PERSON,
        person_post(
            **{
                "aliases-TOTAL_FORMS": "2",
                "aliases-0-name": "Ainur Karimova-Sultan",
                "aliases-1-name": "Айнур Каримова",
            }
        ),
    )

    assert response.status_code == 302
    person = Person.objects.get()
    assert sorted(person.aliases.values_list("name", flat=True)) == [
        "Ainur Karimova-Sultan",
        "Айнур Каримова",
    ]
    assert Person.objects.find("айнур каримова") == person


def test_headshot_is_shown_as_its_rendition_and_bad_upload_is_a_form_error(admin_client):
    response = admin_client.post(
        ADD_PERSON,
        person_post(headshot=SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")),
    )
    assert response.status_code == 302
    person = Person.objects.get()
    listing = admin_client.get(PEOPLE).content.decode()
    change = admin_client.get(f"{PEOPLE}{person.pk}/change/").content.decode()
    for html in (listing, change):
        assert person.headshot_rendition.url in html
        assert person.headshot.name not in html
    assert "Stored: an original, kept where readers cannot reach it" in change

    response = admin_client.post(
        ADD_PERSON,
        person_post(
            name="Bolat Nurov",
            slug="bolat-nurov",
            headshot=SimpleUploadedFile("me.jpg", b"not an image", content_type="image/jpeg"),
        ),
    )
    assert response.status_code == 200
    assert "is not a JPEG, PNG or WebP image" in response.content.decode()
    assert Person.objects.count() == 1

"""The editors' admin for stories, topics and photos, used as an editor would."""

import io
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import capfirst
from PIL import Image

from articles.models import CrossLink, Photo, Story, StoryNote, StoryRedirect, Topic
from articles.previews import create_preview_link
from articles.tests.factories import make_photo, make_rich_story, make_story, make_topic
from newsroom.tests.factories import (
    ARTIST,
    COPYRIGHT,
    PLACE,
    cut_in_the_middle,
    exif_text,
    image_bytes,
    located_jpeg,
    metadata_of,
    photo_bytes,
    png_declaring,
)
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

STORIES = "/admin/articles/story/"
ADD_STORY = "/admin/articles/story/add/"
PHOTOS = "/admin/articles/photo/"
ADD_PHOTO = "/admin/articles/photo/add/"
TOPICS = "/admin/articles/topic/"

# Session, user, then the page's own queries; see the tests that pin them.
STORY_CHANGELIST_QUERIES = 9
# Searching drops the date drill-down's two queries (each would rescan bodies).
STORY_SEARCH_QUERIES = 7
# The edit page: 8, plus the story's transitions, the editors it can be
# assigned to, its corrections inline, its active preview links and the
# other versions of its translation group.
STORY_CHANGE_QUERIES = 13
PHOTO_CHANGELIST_QUERIES = 6
TOPIC_CHANGELIST_QUERIES = 5


def search_group(pattern, text):
    """The first group of `pattern`'s first match in `text`."""
    match = re.search(pattern, text)
    assert match is not None, f"no {pattern} in {text[:200]!r}"
    return match[1]


def change_url(story):
    return f"{STORIES}{story.pk}/change/"


def saved_inline_rows(response) -> dict[str, int]:
    """How many saved rows each inline of an edit page shows, by formset prefix."""
    return {
        inline.formset.prefix: inline.formset.initial_form_count()
        for inline in response.context["inline_admin_formsets"]
    }


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def inline_rows(prefix, rows):
    """Management form and fields for new inline rows (dicts of field values)."""
    data = management_form(prefix, total=len(rows))
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{name}": value for name, value in row.items()}
    return data


def story_post(*, bylines=(), sources=(), links=(), **fields):
    data = {
        "headline": "Oil workers strike in Zhanaozen",
        "slug": "",
        "standfirst": "Hundreds walk out over pay.",
        "body": "<p>The strike began on Monday.</p>",
        "published_at_0": "",
        "published_at_1": "",
        "language": "en",
        "type_of_work": "news",
        "lead_photo": "",
    }
    data |= fields
    data |= inline_rows("bylines", bylines)
    data |= inline_rows("sources", sources)
    data |= inline_rows("outgoing_links", links)
    # Shown on the edit page of a story past the draft; ignored where not.
    data |= inline_rows("notes", [])
    return data


def edit_post(story, **fields):
    """The change form's data for a story without inline rows, with `fields` changed."""
    data = story_post(
        headline=story.headline,
        slug=story.slug,
        standfirst=story.standfirst,
        body=story.body,
        language=story.language,
        type_of_work=story.type_of_work,
        # The version the form was loaded at, as the edit page's hidden field has it.
        version=str(story.version),
    )
    if story.published_at:
        local = timezone.localtime(story.published_at)
        data["published_at_0"] = local.strftime("%Y-%m-%d")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    return data | fields


# --- The story list ----------------------------------------------------------


def test_story_list_shows_headline_status_authors_and_topics(admin_client):
    story = make_rich_story(headline="Kazakstan oil strike")
    response = admin_client.get(STORIES)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kazakstan oil strike" in html
    for byline in story.bylines.all():
        assert byline.person.name in html
    for topic in story.topics.all():
        assert topic.name in html
    assert f'href="{story.get_absolute_url()}"' in html
    assert "Published" in html


def test_story_search_finds_body_text(admin_client):
    make_story("Pipeline deal", body="<p>The consortium signed in Atyrau.</p>")
    make_story("Election day")

    response = admin_client.get(STORIES, {"q": "Atyrau"})

    assert [s.headline for s in response.context["cl"].result_list] == ["Pipeline deal"]


def test_story_list_filters_by_status_topic_and_date(admin_client):
    energy = make_topic("Energy")
    draft = make_story("Unfinished draft", status=Story.Status.DRAFT, topics=[energy])
    make_story("Old news", published_at=timezone.now() - timedelta(days=800))
    make_story("Fresh news")

    def headlines(params):
        response = admin_client.get(STORIES, params)
        assert response.status_code == 200
        return {s.headline for s in response.context["cl"].result_list}

    assert headlines({"status__exact": "draft"}) == {draft.headline}
    assert headlines({"topic": energy.pk}) == {draft.headline}
    assert headlines({"topic": "nonsense"}) == set()
    assert headlines({"topic": "²"}) == set()
    year = timezone.now().year
    assert "Old news" not in headlines({"published_at__year": year})


def test_story_list_query_count_does_not_grow_with_stories(admin_client, count_queries):
    first = make_rich_story()
    page = count_queries(admin_client, STORIES)
    assert page.queries == STORY_CHANGELIST_QUERIES
    assert [story.headline for story in page.rows] == [first.headline]

    for _ in range(29):
        make_rich_story()
    page = count_queries(admin_client, STORIES)
    assert page.queries == STORY_CHANGELIST_QUERIES
    assert len(page.rows) == 30
    assert all(len(story.bylines.all()) == 2 for story in page.rows)
    page = count_queries(admin_client, f"{STORIES}?q=story")
    assert page.queries == STORY_SEARCH_QUERIES
    assert len(page.rows) == 30


def test_publish_and_unpublish_actions(admin_client):
    draft = make_story(status=Story.Status.DRAFT, authors=[make_person()])
    Story.objects.filter(pk=draft.pk).update(published_at=None)
    unsigned = make_story("Nobody wrote this", status=Story.Status.DRAFT)
    live = make_story()

    response = admin_client.post(
        STORIES,
        {"action": "publish_selected", "_selected_action": [draft.pk, unsigned.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Published 1 story." in html
    assert "Not published: “Nobody wrote this”: publishing needs at least one byline." in html
    draft.refresh_from_db()
    assert draft.status == Story.Status.PUBLISHED
    assert draft.published_at is not None
    unsigned.refresh_from_db()
    assert unsigned.status == Story.Status.DRAFT

    admin_client.post(STORIES, {"action": "unpublish_selected", "_selected_action": [live.pk]})
    live.refresh_from_db()
    assert live.status == Story.Status.UNPUBLISHED
    assert live.published_at is not None
    assert [(t.action, t.from_state, t.to_state) for t in live.transitions.all()] == [
        ("unpublish", "published", "unpublished")
    ]


# --- The story edit page -----------------------------------------------------


def test_edit_page_query_count_does_not_grow_with_bylines(admin_client, count_queries):
    def story_with(n):
        story = make_story(
            authors=[make_person() for _ in range(n)],
            sources=[make_person() for _ in range(n)],
            topics=[make_topic() for _ in range(n)],
            links_to=[f"Earlier story {i}" for i in range(n)],
            lead_photo=make_photo(),
        )
        for i in range(n):
            StoryNote.objects.create(story=story, text=f"Correction {i}.")
            create_preview_link(story=story, user=AnonymousUser(), lifetime=timedelta(days=1))
        return story

    for n in (2, 6):
        page = count_queries(admin_client, change_url(story_with(n)))
        assert page.queries == STORY_CHANGE_QUERIES
        assert saved_inline_rows(page.response) == {
            "bylines": n,
            "sources": n,
            "outgoing_links": n,
            "notes": n,
        }


def test_edit_page_uses_autocompletes_not_dropdowns_of_everyone(admin_client):
    for _ in range(5):
        make_person()
    story = make_rich_story()
    html = admin_client.get(change_url(story)).content.decode()

    autocompletes = {
        search_group(r'name="([^"]+)"', attrs): options
        for attrs, options in re.findall(r"<select ([^>]*)>(.*?)</select>", html, re.S)
        if "admin-autocomplete" in attrs
    }
    for name in ("topics", "lead_photo", "bylines-0-person", "sources-0-person"):
        assert name in autocompletes, name
    # Only the chosen person is rendered, not everyone in the database.
    assert autocompletes["bylines-0-person"].count("<option") == 1
    assert autocompletes["topics"].count("selected") == 3


def test_edit_page_shows_lead_photo_thumbnail_and_pending_links(admin_client):
    story = make_rich_story(links_to=["A story not written yet"])
    html = admin_client.get(change_url(story)).content.decode()

    assert story.lead_photo is not None
    assert story.lead_photo.thumbnail.url in html
    assert f'width="240" height="{round(240 * 900 / 1600)}"' in html
    assert "A story not written yet" in html
    assert "Pending: no story has this title yet" in html
    assert "View on site" in html
    assert 'data-prepopulated-fields="' in html and "#id_headline" in html


def test_edit_page_loads_the_rich_text_editor_under_the_csp(admin_client):
    response = admin_client.get(ADD_STORY)
    html = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    nonce = search_group(r"script-src 'self' 'nonce-([^']+)'", policy)

    assert f"'nonce-{nonce}'" in policy.split("style-src", 1)[1].split(";")[0]
    assert re.search(rf'<script type="importmap" nonce="{re.escape(nonce)}">', html)
    assert "data-django-prose-editor-configurable" in html
    # Every inline script and style carries the nonce; no inline style attributes.
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|<style[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"\sstyle=\"", html)
    # Every script and stylesheet the page names is a static file we serve.
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(path), path


def test_list_page_needs_no_nonce(admin_client):
    make_rich_story()
    response = admin_client.get(STORIES)
    assert "nonce" not in response.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=\"", response.content.decode())


def test_topics_autocomplete_serves_the_story_form(admin_client):
    make_topic("Kazakstan", kind=Topic.Kind.COUNTRY)
    make_topic("Elections")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "story", "field_name": "topics", "term": "kaza"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Kazakstan"]


def test_cross_link_target_autocomplete_searches_headlines(admin_client):
    make_story("Pipeline deal", body="<p>Signed in Atyrau.</p>")
    make_story("Atyrau floods")

    def found(term):
        response = admin_client.get(
            "/admin/autocomplete/",
            {
                "app_label": "articles",
                "model_name": "crosslink",
                "field_name": "target",
                "term": term,
            },
        )
        return [r["text"] for r in response.json()["results"]]

    assert found("atyrau") == ["Atyrau floods"]


# --- Saving stories ----------------------------------------------------------


def test_add_story_with_bylines_sources_links_and_topics(admin_client):
    author, source = make_person("Ann Lee"), make_person("Bolat Nurov")
    energy, kazakstan = make_topic("Energy"), make_topic("Kazakstan")
    photo = make_photo()

    response = admin_client.post(
        ADD_STORY,
        story_post(
            topics=[energy.pk, kazakstan.pk],
            lead_photo=photo.pk,
            bylines=[{"person": author.pk, "role": "IWPR reporter", "position": "0"}],
            sources=[{"person": source.pk, "description": "union leader", "position": "0"}],
            links=[{"title": "Earlier strikes", "target": "", "position": "0"}],
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    story = Story.objects.get()
    assert response["Location"] == change_url(story)
    assert story.slug == "oil-workers-strike-in-zhanaozen"
    assert story.lead_photo == photo
    assert set(story.topics.all()) == {energy, kazakstan}
    assert [b.person for b in story.bylines.all()] == [author]
    assert story.bylines.get().role == "IWPR reporter"
    assert [s.description for s in story.sources.all()] == ["union leader"]
    assert story.outgoing_links.get().is_pending


def test_publishing_a_new_story_without_a_date_publishes_it_now(admin_client, client):
    before = timezone.now()
    byline = {"person": make_person().pk, "position": "0"}
    response = admin_client.post(ADD_STORY, story_post(bylines=[byline], _action="publish"))
    assert response.status_code == 302, response.context["errors"]
    story = Story.objects.get()
    assert story.published_at is not None and story.published_at >= before
    assert client.get(story.get_absolute_url()).status_code == 200


def test_add_story_with_missing_headline_shows_errors(admin_client):
    response = admin_client.post(ADD_STORY, story_post(headline=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Story.objects.exists()


def test_changing_the_slug_keeps_the_old_address_as_a_redirect(admin_client):
    story = make_story("Strike ends", slug="strike-ends")

    response = admin_client.post(change_url(story), edit_post(story, slug="zhanaozen-strike-ends"))

    assert response.status_code == 302, response.context["errors"]
    story.refresh_from_db()
    assert story.slug == "zhanaozen-strike-ends"
    assert StoryRedirect.objects.get(old_slug="strike-ends").story == story


def test_saving_unchanged_slug_records_no_redirect(admin_client):
    story = make_story("Strike ends")
    admin_client.post(change_url(story), edit_post(story, standfirst="Updated."))
    assert not StoryRedirect.objects.exists()


def test_pending_cross_link_resolves_when_story_with_that_title_is_saved(admin_client):
    older = make_story("Oil town protests", links_to=["Strike Ends."])
    link = CrossLink.objects.get(source=older)
    assert link.is_pending

    admin_client.post(ADD_STORY, story_post(headline="Strike ends"))

    link.refresh_from_db()
    assert link.target == Story.objects.get(headline="Strike ends")


def test_body_is_sanitised_on_save(admin_client):
    body = (
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a></p>'
        "<script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    admin_client.post(ADD_STORY, story_post(body=body))

    saved = Story.objects.get().body
    assert "Hello" in saved
    for bad in ("<script", "alert", "onclick", "onerror", "<img", "javascript:"):
        assert bad not in saved


# --- Photos ------------------------------------------------------------------


def noise_png(size) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


PHOTO_FIELDS = {"caption": "Workers in the square", "credit": "IWPR", "alt_text": "A crowd"}


def upload_photo(client, name, content, content_type="image/png", **fields):
    return client.post(
        ADD_PHOTO,
        PHOTO_FIELDS
        | {"image": SimpleUploadedFile(name, content, content_type=content_type)}
        | fields,
    )


def stored_files(settings):
    """Every file stored under MEDIA_ROOT and ORIGINALS_ROOT."""
    roots = (Path(settings.MEDIA_ROOT), Path(settings.ORIGINALS_ROOT))
    return [path for root in roots for path in root.rglob("*") if path.is_file()]


def test_photo_upload_makes_a_thumbnail(admin_client):
    response = upload_photo(admin_client, "square.jpg", image_bytes("JPEG"), "image/jpeg")

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1600, 900)
    assert photo.thumbnail_width == Photo.THUMBNAIL_WIDTH
    html = admin_client.get(f"{PHOTOS}{photo.pk}/change/").content.decode()
    assert photo.thumbnail.url in html
    assert "0 stories" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "is not a JPEG, PNG or WebP image",
        ),
        ("notes.jpg", b"Meeting notes, not a photo at all.", "is not a JPEG, PNG or WebP image"),
        ("anim.gif", image_bytes("GIF", size=(20, 20)), "is not a JPEG, PNG or WebP image"),
        ("bomb.png", png_declaring(50_000, 50_000), "too many pixels"),
        ("big.png", png_declaring(7_000, 7_000), "photos may have at most 40 million pixels"),
    ],
    ids=["svg", "text-as-jpg", "gif", "bomb", "over-pixel-limit"],
)
def test_bad_photo_upload_is_a_form_error(admin_client, name, content, message):
    response = upload_photo(admin_client, name, content)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"]
    assert message in response.content.decode()
    assert not Photo.objects.exists()


def test_oversized_photo_is_a_form_error(admin_client, settings):
    settings.PHOTO_MAX_BYTES = 1_048_576
    content = noise_png((700, 700))
    assert len(content) > settings.PHOTO_MAX_BYTES

    response = upload_photo(admin_client, "huge.png", content)

    assert response.status_code == 200
    assert "photos may be at most 1 MB" in response.content.decode()
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("image", "A photo needs its image file"),
        ("caption", "A photo needs a caption"),
        ("credit", "A photo needs a credit"),
        ("alt_text", "A photo needs alt text: describe the picture"),
    ],
)
def test_an_upload_without_image_caption_credit_or_alt_text_names_what_is_missing(
    admin_client, settings, missing, message
):
    fields = PHOTO_FIELDS | {"image": SimpleUploadedFile("a.png", image_bytes(), "image/png")}
    response = admin_client.post(ADD_PHOTO, fields | {missing: ""})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [missing]
    assert message in errors[missing][0]
    assert message in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_blank_text_counts_as_missing(admin_client):
    response = upload_photo(admin_client, "a.png", image_bytes(), alt_text="   ")
    assert list(response.context["adminform"].form.errors) == ["alt_text"]


def test_a_photo_that_says_where_it_was_taken_is_stored_without_it(admin_client, settings):
    response = upload_photo(admin_client, "street.jpg", located_jpeg(), "image/jpeg")

    assert response.status_code == 302
    photo = Photo.objects.get()
    stored = metadata_of((Path(settings.ORIGINALS_ROOT) / photo.image.name).read_bytes())
    assert stored.gps == {} and not stored.mentions(PLACE)
    assert exif_text(stored.exif[315]) == ARTIST and exif_text(stored.exif[33432]) == COPYRIGHT


def test_a_truncated_upload_is_a_form_error_and_stores_nothing(admin_client, settings):
    response = upload_photo(
        admin_client, "cut.jpg", cut_in_the_middle(photo_bytes("JPEG")), "image/jpeg"
    )

    assert response.status_code == 200
    assert (
        "The image is damaged or incomplete"
        in response.context["adminform"].form.errors["image"][0]
    )
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_the_photo_page_shows_the_thumbnail_and_never_links_the_original(admin_client):
    photo = make_photo()

    html = admin_client.get(f"{PHOTOS}{photo.pk}/change/").content.decode()

    assert photo.thumbnail.url in html
    assert photo.image.name not in html and "/originals/" not in html
    assert "Stored: an original, kept where readers cannot reach it" in html
    assert 'name="image-clear"' not in html  # a photo keeps an image


def test_an_imported_photo_without_an_image_must_get_one_when_edited(admin_client):
    photo = Photo.objects.create(caption="From the archive", credit="IWPR", alt_text="A street")

    response = admin_client.post(
        f"{PHOTOS}{photo.pk}/change/", {"caption": "Edited", "credit": "IWPR", "alt_text": "x"}
    )

    assert "A photo needs its image file" in response.context["adminform"].form.errors["image"][0]
    photo.refresh_from_db()
    assert photo.caption == "From the archive"


def test_photo_list_columns_have_distinct_headers(admin_client):
    make_photo()
    response = admin_client.get(PHOTOS)
    headers = [
        capfirst(str(header["text"]))
        for header in result_headers(response.context["cl"])
        if "action-checkbox-column" not in str(header["class_attrib"])
    ]
    assert headers == ["Image", "Caption", "Credit", "Lead photo of", "Uploaded"]


def test_photo_list_cuts_long_captions_at_a_word(admin_client, html_of):
    caption = (
        "Oil workers and their families gather in the central square of Zhanaozen on the "
        "fifth day of the strike, demanding the wages the company owes them."
    )
    make_photo(caption=caption)
    make_photo(caption="Short caption.")

    html = html_of(admin_client.get(PHOTOS))

    shown = (
        "Oil workers and their families gather in the central square of Zhanaozen on the fifth day…"
    )
    assert f">{shown}</a>" in html
    assert caption not in html
    assert ">Short caption.</a>" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["lead, uploaded", "spare, uploaded", "lead, imported", "spare, imported"]),
        ({"used": "yes"}, ["lead, uploaded", "lead, imported"]),
        ({"used": "no"}, ["spare, uploaded", "spare, imported"]),
        ({"has_image": "yes"}, ["lead, uploaded", "spare, uploaded"]),
        ({"has_image": "no"}, ["lead, imported", "spare, imported"]),
        ({"used": "no", "has_image": "no"}, ["spare, imported"]),
    ],
    ids=["all", "used", "unused", "with-image", "without-image", "unused-without-image"],
)
def test_photo_list_filters_by_use_and_by_image(admin_client, count_queries, query, expected):
    for caption in ("spare, imported", "lead, imported"):
        photo = Photo.objects.create(caption=caption, credit="IWPR")
        if caption.startswith("lead"):
            make_story(lead_photo=photo)
    for caption in ("spare, uploaded", "lead, uploaded"):
        photo = make_photo(caption=caption)
        if caption.startswith("lead"):
            make_story(lead_photo=photo)

    page = count_queries(admin_client, f"{PHOTOS}?{urlencode(query)}")

    assert [photo.caption for photo in page.rows] == expected
    assert page.queries == PHOTO_CHANGELIST_QUERIES
    html = page.response.content.decode()
    assert "By used as a lead photo" in html and "By has an image" in html


def test_filtered_photo_list_query_count_does_not_grow_with_photos(admin_client, count_queries):
    for _ in range(2):
        make_rich_story()
        make_photo()
    page = count_queries(admin_client, f"{PHOTOS}?used=yes&has_image=yes")
    assert page.queries == PHOTO_CHANGELIST_QUERIES
    assert [photo.story_count for photo in page.rows] == [1, 1]
    for _ in range(10):
        make_rich_story()
        make_photo()
    page = count_queries(admin_client, f"{PHOTOS}?used=yes&has_image=yes")
    assert page.queries == PHOTO_CHANGELIST_QUERIES
    assert [photo.story_count for photo in page.rows] == [1] * 12
    assert len(count_queries(admin_client, f"{PHOTOS}?used=no").rows) == 12


def test_photo_list_shows_thumbnails_and_story_counts(admin_client):
    photo = make_photo(caption="Square at dawn")
    make_story(lead_photo=photo)
    make_story(lead_photo=photo)

    response = admin_client.get(PHOTOS, {"q": "dawn"})

    html = response.content.decode()
    assert photo.thumbnail.url in html
    assert [p.story_count for p in response.context["cl"].result_list] == [2]


def test_photo_list_query_count_does_not_grow_with_photos(admin_client, count_queries):
    make_rich_story()
    page = count_queries(admin_client, PHOTOS)
    assert page.queries == PHOTO_CHANGELIST_QUERIES
    assert [photo.story_count for photo in page.rows] == [1]
    for _ in range(10):
        make_rich_story()
    page = count_queries(admin_client, PHOTOS)
    assert page.queries == PHOTO_CHANGELIST_QUERIES
    assert [photo.story_count for photo in page.rows] == [1] * 11


# --- Topics ------------------------------------------------------------------


def test_topic_list_shows_kind_and_story_count_and_filters_by_kind(admin_client):
    kazakstan = make_topic("Kazakstan", kind=Topic.Kind.COUNTRY)
    make_topic("Elections")
    make_story(topics=[kazakstan])
    make_story(topics=[kazakstan])

    response = admin_client.get(TOPICS, {"kind__exact": "country"})

    rows = response.context["cl"].result_list
    assert [(t.name, t.story_count) for t in rows] == [("Kazakstan", 2)]
    assert "Country" in response.content.decode()


def test_topic_list_query_count_does_not_grow_with_topics(admin_client, count_queries):
    make_rich_story()
    page = count_queries(admin_client, TOPICS)
    assert page.queries == TOPIC_CHANGELIST_QUERIES
    assert [topic.story_count for topic in page.rows] == [1] * 3
    for _ in range(10):
        make_rich_story()
    page = count_queries(admin_client, TOPICS)
    assert page.queries == TOPIC_CHANGELIST_QUERIES
    assert [topic.story_count for topic in page.rows] == [1] * 33


def test_add_topic_page_prepopulates_slug(admin_client):
    html = admin_client.get(f"{TOPICS}add/").content.decode()
    assert "#id_name" in html and "#id_slug" in html


def test_topic_and_photo_lists_sort_by_story_count(admin_client):
    busy, quiet = make_topic("Busy"), make_topic("Quiet")
    photo = make_photo()
    for _ in range(2):
        make_story(topics=[busy], lead_photo=photo)
    make_story(topics=[quiet])
    make_photo()

    topics = admin_client.get(TOPICS, {"o": "-3"}).context["cl"].result_list
    assert [t.name for t in topics] == ["Busy", "Quiet"]
    photos = admin_client.get(PHOTOS, {"o": "-4"}).context["cl"].result_list
    assert [p.story_count for p in photos] == [2, 0]


def test_new_photo_and_topic_can_be_added_from_the_story_form(admin_client):
    """The "+" next to the lead photo and topics opens the add form in a popup."""
    popup = {"_to_field": "id", "_popup": "1"}
    assert admin_client.get(ADD_PHOTO, popup).status_code == 200

    response = admin_client.post(
        ADD_PHOTO,
        popup
        | {
            "image": SimpleUploadedFile("new.png", image_bytes(), content_type="image/png"),
            "caption": "Fresh upload",
            "credit": "IWPR",
            "alt_text": "A blue square",
        },
    )
    assert response.status_code == 200
    assert "data-popup-response" in response.content.decode()
    assert Photo.objects.get().caption == "Fresh upload"

    response = admin_client.post(
        f"{TOPICS}add/", popup | {"name": "Water", "slug": "water", "kind": "theme"}
    )
    assert "data-popup-response" in response.content.decode()
    assert Topic.objects.filter(name="Water").exists()


def test_duplicate_authors_are_a_form_error(admin_client):
    author = make_person("Ann Lee")
    rows = [{"person": author.pk, "position": "0"}, {"person": author.pk, "position": "1"}]

    response = admin_client.post(ADD_STORY, story_post(bylines=rows))

    assert response.status_code == 200
    assert "Please correct the duplicate data for person" in response.content.decode()
    assert not Story.objects.exists()


def test_two_cross_links_to_one_title_are_a_form_error(admin_client):
    rows = [{"title": "Strike ends", "position": "0"}, {"title": "STRIKE ENDS.", "position": "1"}]

    response = admin_client.post(ADD_STORY, story_post(links=rows))

    assert response.status_code == 200
    assert "“See …” reference to the same title twice" in response.content.decode()
    assert not Story.objects.exists()


def test_taggit_tags_are_not_offered_beside_topics(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/articles/topic/" in html
    assert "/admin/taggit/" not in html


def test_staff_editor_with_newsroom_permissions_can_work(client, django_user_model, count_queries):
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "people"])
    )
    client.force_login(editor)
    make_person("Ann Lee")
    story = make_rich_story()

    assert client.get(ADD_STORY).status_code == 200
    one, other = (count_queries(client, change_url(s)) for s in (story, make_rich_story()))
    assert one.queries == other.queries
    assert (
        saved_inline_rows(one.response)
        == saved_inline_rows(other.response)
        == {
            "bylines": 2,
            "sources": 4,
            "outgoing_links": 0,
            "notes": 0,
        }
    )
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "byline", "field_name": "person", "term": "ann"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Ann Lee"]


def test_who_may_only_look_at_a_photo_sees_it_without_its_original(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_photo"))
    client.force_login(viewer)
    photo = make_photo()
    response = client.get(f"{PHOTOS}{photo.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert photo.thumbnail.url in html
    assert "originals" not in html

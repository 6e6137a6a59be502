"""The service that writes one parsed legacy story into the models."""

import datetime
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from articles.models import CrossLink, Story, Topic
from articles.models import Photo as PhotoModel
from articles.tests.factories import make_story, make_topic
from legacy import services as importing
from legacy.cache import ImportCache
from legacy.result import Author, ParsedStory, Photo, Source
from legacy.services import (
    StoryImportError,
    body_html,
    content_checksum,
    import_story,
    plan_story,
    publication_datetime,
)
from newsroom.tests.factories import image_bytes, located_jpeg
from people.models import Person, PersonAlias
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def parsed_story(**changes) -> ParsedStory:
    story = ParsedStory(
        title="Cold Winds From Janaozen",
        standfirst="Repression has worsened.",
        published=datetime.date(2012, 12, 14),
        photo=Photo(caption="The oil company’s building.", credit="Serik Kovlanbaev"),
        body=["Last year’s violence <in> Janaozen & after.", "“It’s very worrying,” he said."],
        cross_links=["Kazakstan: Opposition Activist Jailed", "Janaozen Trial Gets Under Way"],
        authors=[
            Author("Alexandra Kazakova", "IWPR’s country director in Kazakstan"),
            Author("Saule Mukhametrakhimova", "IWPR Central Asia editor"),
        ],
        sources=[
            Source("Sergei Duvanov", "journalist and political commentator"),
            Source("Yevgeny Zhovtis", "head of the Bureau", aliases=("Zhovtos",)),
        ],
        topics=["Kazakhstan", "Protests", "Frontline Updates"],
    )
    return replace(story, **changes)


def run(parsed=None, *, legacy_id="cold-winds", status="published", overwrite=False, **kw):
    return import_story(
        parsed=parsed or parsed_story(),
        legacy_id=legacy_id,
        image_path=kw.pop("image_path", None),
        status=status,
        overwrite=overwrite,
        **kw,
    )


# --- pure helpers ---------------------------------------------------------------


def test_body_is_one_escaped_paragraph_each_with_quotes_kept():
    assert body_html(["A <b> & C", "“Curly” it’s"]) == (
        "<p>A &lt;b&gt; &amp; C</p>\n<p>“Curly” it’s</p>"
    )


def test_publication_time_is_noon_utc_on_the_dateline_date():
    moment = publication_datetime(datetime.date(2012, 12, 14))
    assert moment == datetime.datetime(2012, 12, 14, 12, tzinfo=datetime.UTC)
    assert timezone.is_aware(moment)


def test_checksum_follows_content_and_status():
    base = content_checksum(parsed_story(), status="published")
    assert base == content_checksum(parsed_story(), status="published")
    assert base != content_checksum(parsed_story(), status="draft")
    assert base != content_checksum(parsed_story(standfirst="Other."), status="published")


# --- creating -------------------------------------------------------------------


def test_creates_a_complete_story():
    outcome = run()

    story = Story.objects.get(legacy_id="cold-winds")
    assert outcome.action == "created" and outcome.story == story
    assert story.headline == "Cold Winds From Janaozen"
    assert story.slug == "cold-winds-from-janaozen"
    assert story.standfirst == "Repression has worsened."
    assert story.body == (
        "<p>Last year’s violence &lt;in&gt; Janaozen &amp; after.</p>\n"
        "<p>“It’s very worrying,” he said.</p>"
    )
    assert story.status == Story.Status.PUBLISHED
    assert story.published_at == datetime.datetime(2012, 12, 14, 12, tzinfo=datetime.UTC)
    assert story.language == "en"
    assert story.imported_at == story.updated_at
    assert story.legacy_checksum == content_checksum(parsed_story(), status="published")
    assert [(b.person.name, b.role, b.position) for b in story.bylines.all()] == [
        ("Alexandra Kazakova", "IWPR’s country director in Kazakstan", 0),
        ("Saule Mukhametrakhimova", "IWPR Central Asia editor", 1),
    ]
    assert [(s.person.name, s.description) for s in story.sources.all()] == [
        ("Sergei Duvanov", "journalist and political commentator"),
        ("Yevgeny Zhovtis", "head of the Bureau"),
    ]
    assert Person.objects.find("Zhovtos").name == "Yevgeny Zhovtis"
    assert sorted(story.topics.values_list("name", "kind")) == [
        ("Frontline Updates", "series"),
        ("Kazakhstan", "country"),
        ("Protests", "theme"),
    ]
    assert [(link.title, link.target) for link in story.outgoing_links.all()] == [
        ("Kazakstan: Opposition Activist Jailed", None),
        ("Janaozen Trial Gets Under Way", None),
    ]
    assert outcome.pending_links == 2


def test_photo_without_an_image_keeps_caption_credit_and_alt_text():
    story = run().story
    photo = story.lead_photo
    assert not photo.image
    assert photo.caption == "The oil company’s building."
    assert photo.credit == "Serik Kovlanbaev"
    assert photo.alt_text == photo.caption


def test_no_photo_line_means_no_lead_photo():
    assert run(parsed_story(photo=None)).story.lead_photo is None


def test_image_is_validated_and_attached(tmp_path):
    image = tmp_path / "cold-winds.png"
    image.write_bytes(image_bytes(size=(300, 200)))

    photo = run(image_path=image).story.lead_photo

    assert photo.image and photo.rendition and photo.thumbnail
    assert (photo.width, photo.height) == (300, 200)
    assert photo.credit == "Serik Kovlanbaev"


def test_invalid_image_fails_before_anything_is_written(tmp_path):
    image = tmp_path / "cold-winds.png"
    image.write_bytes(b"<svg onload=alert(1)></svg>")

    with pytest.raises(StoryImportError, match="cold-winds.png"):
        run(image_path=image)
    assert Story.objects.count() == Person.objects.count() == 0


def test_links_point_at_existing_stories_and_pending_ones_resolve_later():
    jailed = make_story("Kazakstan: Opposition Activist Jailed")

    story = run().story

    links = list(story.outgoing_links.all())
    assert links[0].target == jailed and links[1].is_pending
    trial = run(
        parsed_story(title="Janaozen Trial Gets Under Way", cross_links=[]), legacy_id="trial"
    )
    assert trial.resolved_links == 1
    assert CrossLink.objects.get(title="Janaozen Trial Gets Under Way").target == trial.story


def test_a_link_to_the_story_itself_is_dropped():
    story = run(parsed_story(cross_links=["Cold winds from Janaozen."])).story
    assert not story.outgoing_links.exists()


def test_people_are_found_by_name_or_alias_and_aliases_are_not_stolen():
    duvanov = make_person("Sergei Duvanov")
    zhovtis = make_person("Yevgeny Zhovtis")
    PersonAlias.objects.create(person=zhovtis, name="Y. Zhovtis")
    other = make_person("Zhovtos Nurlanov")
    PersonAlias.objects.create(person=other, name="Zhovtos")

    story = run(
        parsed_story(sources=[Source("Y. Zhovtis", "lawyer", ("Zhovtos",))], authors=[])
    ).story

    assert story.sources.get().person == zhovtis
    assert PersonAlias.objects.get(name="Zhovtos").person == other
    second = run(parsed_story(sources=[], authors=[Author("sergei  duvanov", "")]), legacy_id="b")
    assert second.story.bylines.get().person == duvanov


def test_existing_topics_are_reused_whatever_their_case_and_keep_their_kind():
    topic = make_topic("protests", kind=Topic.Kind.SERIES)

    story = run().story

    assert topic in story.topics.all()
    assert Topic.objects.get(pk=topic.pk).kind == Topic.Kind.SERIES
    assert Topic.objects.count() == 3


def test_a_value_too_long_for_its_column_fails_the_story(row_counts):
    with pytest.raises(ValidationError):
        run(parsed_story(authors=[Author("Ann Long", "x" * 300)]))
    assert row_counts() == dict.fromkeys(row_counts(), 0)


# --- re-importing ---------------------------------------------------------------


def test_importing_again_is_unchanged_and_writes_nothing(django_assert_num_queries, row_counts):
    run()
    before = row_counts()

    with django_assert_num_queries(3):  # savepoint, the story, release
        outcome = run()

    assert outcome.action == "unchanged"
    assert row_counts() == before


def test_a_changed_file_updates_the_story_in_place_and_keeps_its_slug():
    first = run().story

    outcome = run(
        parsed_story(title="Colder Winds", authors=[Author("Alexandra Kazakova", "editor")])
    )

    story = Story.objects.get()
    assert outcome.action == "updated" and story.pk == first.pk
    assert story.headline == "Colder Winds" and story.slug == "cold-winds-from-janaozen"
    assert [(b.person.name, b.role) for b in story.bylines.all()] == [
        ("Alexandra Kazakova", "editor")
    ]
    assert story.lead_photo_id == first.lead_photo_id
    assert PhotoModel.objects.count() == 1
    assert story.imported_at == story.updated_at


def test_status_change_is_an_update():
    run()
    outcome = run(status="draft")
    assert outcome.action == "updated"
    assert Story.objects.get().status == Story.Status.DRAFT


def test_editor_changes_are_skipped_unless_overwriting():
    story = run().story
    story.standfirst = "An editor's better standfirst."
    story.save()

    skipped = run()
    assert skipped.action == "skipped" and "edited" in skipped.reason
    assert Story.objects.get().standfirst == "An editor's better standfirst."

    assert run(overwrite=True).action == "updated"
    story = Story.objects.get()
    assert story.standfirst == "Repression has worsened."
    assert run().action == "unchanged"


def test_a_photo_caption_gone_from_the_file_removes_the_imageless_photo():
    run()
    run(parsed_story(photo=None))
    assert Story.objects.get().lead_photo is None
    assert PhotoModel.objects.count() == 0


# --- failures and the run cache -------------------------------------------------


def test_a_failure_halfway_leaves_no_rows_and_the_cache_forgets(monkeypatch, row_counts):
    cache = ImportCache(preload=True)

    def explode(*args, **kwargs):
        assert Story.objects.filter(legacy_id="cold-winds").exists()  # written, then…
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importing, "_link_rows", explode)
    with pytest.raises(RuntimeError):
        run(cache=cache)

    assert row_counts() == dict.fromkeys(row_counts(), 0)
    assert not cache.people and not cache.topics and not cache.titles
    monkeypatch.undo()
    assert run(cache=cache).action == "created"


def stored_files(settings):
    roots = (Path(settings.MEDIA_ROOT), Path(settings.ORIGINALS_ROOT))
    return sorted(
        str(p.relative_to(root)) for root in roots for p in root.rglob("*") if p.is_file()
    )


def test_a_failure_after_the_photo_was_saved_deletes_its_files(monkeypatch, settings, tmp_path):
    image = tmp_path / "cold-winds.jpg"
    image.write_bytes(located_jpeg())
    monkeypatch.setattr(importing, "_link_rows", lambda *a, **k: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        run(image_path=image)

    assert stored_files(settings) == []


def test_a_replaced_image_takes_its_old_files_with_it(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    image = tmp_path / "cold-winds.png"
    image.write_bytes(image_bytes(size=(300, 200)))
    first = run(image_path=image).story.lead_photo
    old_files = {name for _, name in first.stored_files()}
    assert len(old_files) > 3  # the original, the renditions and the responsive ones

    image.write_bytes(image_bytes(size=(200, 300)))
    with django_capture_on_commit_callbacks(execute=True):
        photo = run(image_path=image).story.lead_photo

    assert set(stored_files(settings)) == {name for _, name in photo.stored_files()}
    assert old_files.isdisjoint(stored_files(settings))


def test_an_image_that_is_the_stored_original_is_not_decoded_again(monkeypatch, tmp_path):
    image = tmp_path / "cold-winds.png"
    image.write_bytes(image_bytes(size=(300, 200)))
    run(image_path=image)

    def no_decoding(file):
        raise AssertionError("checked again an image already stored")

    monkeypatch.setattr(importing, "validate_photo_file", no_decoding)
    assert run(image_path=image).action == "unchanged"


def test_a_located_image_imported_again_is_unchanged(tmp_path):
    image = tmp_path / "cold-winds.jpg"
    image.write_bytes(located_jpeg())
    first = run(image_path=image).story.lead_photo

    outcome = run(image_path=image)

    assert outcome.action == "unchanged"
    assert outcome.story.lead_photo.image.name == first.image.name


def test_with_a_warm_cache_a_new_story_costs_only_its_writes(django_assert_max_num_queries):
    cache = ImportCache(preload=True)
    run(cache=cache)

    # savepoint, photo, story, 4 × bulk insert, imported_at, release, and
    # the search index: one UPDATE on PostgreSQL; on SQLite the names, the
    # story's text, and the FTS5 row's DELETE and INSERT.
    with django_assert_max_num_queries(13 if connection.vendor == "sqlite" else 10):
        outcome = run(parsed_story(title="Another Story"), legacy_id="another", cache=cache)
    assert outcome.action == "created"
    assert outcome.story.outgoing_links.filter(target__isnull=True).count() == 2


def test_the_preloaded_cache_sees_stories_written_earlier_in_the_run():
    cache = ImportCache(preload=True)
    jailed = run(
        parsed_story(title="Kazakstan: Opposition Activist Jailed", cross_links=[]),
        legacy_id="jailed",
        cache=cache,
    ).story

    story = run(cache=cache).story

    assert story.outgoing_links.first().target == jailed
    assert cache.free_slug("Cold Winds From Janaozen") == "cold-winds-from-janaozen-2"


def test_plan_story_writes_nothing(row_counts):
    make_story("Kazakstan: Opposition Activist Jailed")
    before = row_counts()

    outcome = plan_story(
        parsed=parsed_story(),
        legacy_id="cold-winds",
        image_path=None,
        status="published",
        overwrite=False,
    )

    assert outcome.action == "created" and outcome.pending_links == 1
    assert row_counts() == before

"""`manage.py import_legacy`, as the person running it sees it."""

import datetime
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from articles.models import CrossLink, Photo, Story
from legacy import batch, report
from legacy import services as importing
from newsroom.tests.factories import (
    ARTIST,
    PLACE,
    cut_in_the_middle,
    exif_text,
    image_bytes,
    located_jpeg,
    metadata_of,
    photo_bytes,
)
from people.models import Person

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "import_corpus"
DEMO = Path(settings.BASE_DIR) / "fixtures" / "legacy"


def run(*args, **options):
    """Run the command; return (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("import_legacy", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*args, **options):
    """Run a command expected to fail; return (stdout, stderr, the CommandError)."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_legacy", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue(), failure.value


def good_copy(tmp_path) -> Path:
    folder = tmp_path / "good"
    shutil.copytree(CORPUS / "good", folder)
    return folder


# --- the real sample --------------------------------------------------------------


def test_the_sample_becomes_a_fully_linked_story(shared_sample):
    run(shared_sample)

    story = Story.objects.get(legacy_id="janaozen-cold-winds")
    assert story.headline == "Cold Winds From Janaozen"
    assert story.published_at.date() == datetime.date(2012, 12, 14)
    assert story.status == Story.Status.PUBLISHED
    assert story.lead_photo.credit == "Serik Kovlanbaev"
    assert story.lead_photo.caption.startswith("The building of Ozenmunaigaz")
    assert [(b.person.name, b.role) for b in story.bylines.all()] == [
        ("Alexandra Kazakova", "IWPR’s country director in Kazakstan"),
        ("Saule Mukhametrakhimova", "IWPR Central Asia editor"),
    ]
    sources = {s.person.name: s.description for s in story.sources.all()}
    assert len(sources) == 4 and all(sources.values())
    assert sources["Sergei Duvanov"] == "journalist and political commentator"
    zhovtis = Person.objects.get(name="Yevgeny Zhovtis")
    assert list(zhovtis.aliases.values_list("name", flat=True)) == ["Zhovtos"]
    assert [link.title for link in story.outgoing_links.all()] == [
        "Kazakstan: Opposition Activist Jailed",
        "Janaozen Trial Gets Under Way in Kazakstan",
        "Kazakstan's Politicised Labour Disputes",
    ]
    assert CrossLink.objects.pending().count() == 3
    assert dict(story.topics.values_list("name", "kind")) == {
        "Kazakhstan": "country",
        "Protests": "theme",
        "Frontline Updates": "series",
    }
    assert "’" in story.body and "<p>" in story.body


def test_importing_the_story_a_link_names_resolves_it(shared_sample):
    run(shared_sample)

    out, _ = run(CORPUS / "good" / "activist-jailed.txt")

    jailed = Story.objects.get(legacy_id="activist-jailed")
    link = CrossLink.objects.get(title="Kazakstan: Opposition Activist Jailed")
    assert link.target == jailed
    assert "Cross-links still pending: 2." in out
    # The same person across stories is the same record.
    assert Person.objects.filter(name="Yevgeny Zhovtis").count() == 1


# --- re-running -----------------------------------------------------------------


def test_importing_the_demo_archive_twice_changes_nothing(row_counts):
    files = len(list(DEMO.glob("*.txt")))
    first, _ = run(DEMO)
    after_first = row_counts()

    second, _ = run(DEMO)

    assert f"{files} created" in first
    assert f"0 created, 0 updated, {files} unchanged" in second
    assert row_counts() == after_first
    assert after_first["Story"] == files


def test_editor_changes_are_skipped_then_overwritten_on_request(tmp_path):
    folder = good_copy(tmp_path)
    run(folder)
    story = Story.objects.get(legacy_id="oil-and-water")
    story.headline = "Oil and Water: an Editor's Headline"
    story.save()

    out, _ = run(folder)
    assert "oil-and-water.txt: skipped, edited in the admin" in out
    assert "0 updated, 2 unchanged, 1 skipped" in out
    assert Story.objects.get(pk=story.pk).headline == "Oil and Water: an Editor's Headline"

    out, _ = run(folder, overwrite=True)
    assert "1 updated, 2 unchanged, 0 skipped" in out
    assert Story.objects.get(pk=story.pk).headline == "Oil and Water in Mangistau"


def test_a_changed_file_updates_its_story(tmp_path):
    folder = good_copy(tmp_path)
    run(folder)
    path = folder / "oil-and-water.txt"
    path.write_text(path.read_text().replace("spoiled", "ruined"))

    out, _ = run(folder)

    assert "0 created, 1 updated, 2 unchanged" in out
    assert Story.objects.get(legacy_id="oil-and-water").standfirst.endswith("ruined.")
    assert Story.objects.count() == 3


# --- what gets linked -------------------------------------------------------------


def test_see_clauses_split_on_titles_of_the_run():
    # "Oil and Water in Mangistau" contains "and": only the first pass over
    # the run's titles keeps it whole.
    run(CORPUS / "good")

    story = Story.objects.get(legacy_id="see-several")
    assert [(link.title, link.target.legacy_id) for link in story.outgoing_links.all()] == [
        ("Oil and Water in Mangistau", "oil-and-water"),
        ("Kazakstan: Opposition Activist Jailed", "activist-jailed"),
    ]


# --- failures -------------------------------------------------------------------


def test_bad_files_are_reported_and_the_rest_imported(tmp_path):
    folder = good_copy(tmp_path)
    for bad in (CORPUS / "bad").iterdir():
        shutil.copy(bad, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"Title\n\nStandfirst\x00\x01\x02")
    (folder / "latin1.txt").write_bytes("Caf\xe9 Society\n".encode("latin-1"))

    out, err, error = run_failing(folder)

    assert str(error) == "5 of 8 files could not be imported."
    assert "5 files failed:" in err
    assert "empty.txt: file is empty" in err
    assert "binary.txt, line 3: not a UTF-8 text file" in err
    assert "latin1.txt, line 1: not a UTF-8 text file" in err
    assert "no-dateline.txt, line 5: no dateline" in err
    assert "single-line.txt, line 1: only a title" in err
    assert "3 created, 0 updated, 0 unchanged, 0 skipped, 5 failed" in out
    assert Story.objects.count() == 3


def test_a_file_failing_halfway_leaves_nothing_behind(tmp_path, monkeypatch):
    folder = good_copy(tmp_path)
    real_link_rows = importing._link_rows

    def fail_for_one(story, titles, cache):
        if story.legacy_id == "activist-jailed":
            raise RuntimeError("the disk is on fire")
        return real_link_rows(story, titles, cache)

    monkeypatch.setattr(importing, "_link_rows", fail_for_one)

    _, err, _ = run_failing(folder)

    assert "activist-jailed.txt: unexpected error RuntimeError: the disk is on fire" in err
    assert not Story.objects.filter(legacy_id="activist-jailed").exists()
    assert not Person.objects.filter(name="Yevgeny Zhovtis").exists()  # only quoted there
    assert not Photo.objects.filter(credit="IWPR").exists()
    assert Story.objects.count() == 2
    # The others still link, and the failed story's title stays pending.
    assert CrossLink.objects.pending().get().title == "Kazakstan: Opposition Activist Jailed"


def test_an_invalid_image_fails_its_file(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "oil-and-water.png").write_bytes(b"GIF89a not really")

    _, err, _ = run_failing(CORPUS / "good", images=images)

    assert "oil-and-water.txt: image oil-and-water.png: This is not a JPEG, PNG or WebP" in err
    assert set(Story.objects.values_list("legacy_id", flat=True)) == {
        "activist-jailed",
        "see-several",
    }


def test_the_same_file_name_in_two_folders_fails_the_second(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(CORPUS / "good" / "oil-and-water.txt", tmp_path / name)

    _, err, _ = run_failing(tmp_path)

    assert "b/oil-and-water.txt: " in err and "must be unique" in err
    assert Story.objects.count() == 1


def test_exit_status_is_one_when_a_file_failed(monkeypatch, capsys):
    # run_from_argv closes connections when it is done; keep the test's one.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "import_legacy", str(CORPUS / "bad")])

    assert exit_.value.code == 1
    assert "CommandError: 2 of 2 files could not be imported." in capsys.readouterr().err


# --- paths ----------------------------------------------------------------------


def test_folders_are_searched_recursively_and_patterns_expanded(tmp_path):
    nested = tmp_path / "archive" / "2012" / "12"
    nested.mkdir(parents=True)
    shutil.copy(CORPUS / "good" / "activist-jailed.txt", nested)
    shutil.copy(CORPUS / "good" / "oil-and-water.txt", tmp_path / "archive")
    (tmp_path / "archive" / "notes.md").write_text("not a story")

    out, _ = run(tmp_path / "archive")
    assert "2 files in" in out

    out, _ = run(f"{tmp_path}/archive/**/activist-*.txt", CORPUS / "good" / "see-several.txt")
    assert "1 created, 0 updated, 1 unchanged" in out
    assert Story.objects.count() == 3


def test_bad_paths_are_named(tmp_path):
    with pytest.raises(CommandError, match="nowhere.txt: no such file or folder"):
        run(tmp_path / "nowhere.txt")
    with pytest.raises(CommandError, match=r"\*\.txt: no file matches this pattern"):
        run(f"{tmp_path}/*.txt")
    with pytest.raises(CommandError, match="this folder holds no .txt files"):
        run(tmp_path)
    with pytest.raises(CommandError, match="--images .*: no such folder"):
        run(CORPUS / "good", images=tmp_path / "missing")
    assert Story.objects.count() == 0


def test_files_are_imported_in_sorted_order(tmp_path):
    out, _ = run(CORPUS / "good", verbosity=2)
    lines = [line.split(":")[0] for line in out.splitlines() if ": created:" in line]
    assert [Path(line).name for line in lines] == [
        "activist-jailed.txt",
        "oil-and-water.txt",
        "see-several.txt",
    ]


# --- options --------------------------------------------------------------------


def test_draft_option():
    run(CORPUS / "good" / "oil-and-water.txt", draft=True)
    assert Story.objects.get().status == Story.Status.DRAFT


def test_images_are_attached_by_file_name(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "activist-jailed.PNG").write_bytes(image_bytes(size=(320, 200)))
    (images / "unrelated.png").write_bytes(image_bytes(size=(10, 10)))

    run(CORPUS / "good", images=images)

    photo = Story.objects.get(legacy_id="activist-jailed").lead_photo
    assert photo.image and (photo.width, photo.height) == (320, 200)
    assert photo.caption == "Supporters of the defendant wait outside the court building in Almaty."
    assert photo.credit == "IWPR" and photo.alt_text == photo.caption
    assert Story.objects.get(legacy_id="oil-and-water").lead_photo is None
    assert Photo.objects.count() == 1

    out, _ = run(CORPUS / "good", images=images)
    assert "3 unchanged" in out and Photo.objects.count() == 1


def test_a_damaged_image_fails_its_file_with_the_reason(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "oil-and-water.jpg").write_bytes(cut_in_the_middle(photo_bytes("JPEG")))
    (images / "activist-jailed.jpg").write_bytes(photo_bytes("JPEG"))

    _, err, _ = run_failing(CORPUS / "good", images=images)

    assert "oil-and-water.txt: image oil-and-water.jpg: The image is damaged or incomplete" in err
    assert not Story.objects.filter(legacy_id="oil-and-water").exists()
    assert Story.objects.get(legacy_id="activist-jailed").lead_photo.image
    stored = [p for p in Path(settings.ORIGINALS_ROOT).rglob("*") if p.is_file()]
    assert len(stored) == 1  # activist-jailed's: the damaged one left nothing


def test_imported_images_are_stored_without_location_and_stay_unchanged(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "activist-jailed.jpg").write_bytes(located_jpeg())

    run(CORPUS / "good", images=images)

    photo = Story.objects.get(legacy_id="activist-jailed").lead_photo
    with photo.image.open("rb") as file:
        stored = metadata_of(file.read())
    assert stored.gps == {} and not stored.mentions(PLACE)
    assert exif_text(stored.exif[315]) == ARTIST
    # The file again: what it would store is what is stored.
    out, _ = run(CORPUS / "good", images=images)
    assert "3 unchanged" in out
    assert Photo.objects.get().image.name == photo.image.name


def test_dry_run_json_prints_the_contract_and_writes_nothing(row_counts):
    out, _ = run(CORPUS / "good" / "oil-and-water.txt", dry_run=True, json=True)

    result = json.loads(out)
    assert result["file"] == "oil-and-water.txt"
    assert result["title"] == "Oil and Water in Mangistau"
    assert result["published"] == "2013-01-03"
    assert result["photo"] is None
    assert result["topics"] == ["Kazakhstan", "Environment"]
    assert result["warnings"] == ["dateline says Tuesday but 3 January 2013 was a Thursday"]
    assert set(result) >= {"standfirst", "body", "cross_links", "authors", "sources"}
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_dry_run_json_for_several_files_is_an_array_with_failures_on_stderr(tmp_path, row_counts):
    folder = good_copy(tmp_path)
    (folder / "empty.txt").write_text("")

    out, err, _ = run_failing(folder, dry_run=True, json=True)

    assert [item["file"] for item in json.loads(out)] == [
        "activist-jailed.txt",
        "oil-and-water.txt",
        "see-several.txt",
    ]
    assert "empty.txt: file is empty" in err
    assert "“" in out  # ensure_ascii=False: curly quotes as written
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_dry_run_says_what_would_happen():
    run(CORPUS / "good" / "oil-and-water.txt")

    out, _ = run(CORPUS / "good", dry_run=True)

    assert "activist-jailed.txt: would create: Kazakstan: Opposition Activist Jailed" in out
    assert "oil-and-water.txt: unchanged" in out
    assert "2 to create, 0 to update, 1 unchanged" in out
    assert Story.objects.count() == 1


def test_json_needs_dry_run():
    with pytest.raises(CommandError, match="--json only works together with --dry-run"):
        run(CORPUS / "good", json=True)


# --- output ---------------------------------------------------------------------


def test_warnings_are_printed_from_verbosity_one():
    out, _ = run(CORPUS / "good" / "oil-and-water.txt")
    assert "oil-and-water.txt: warning: dateline says Tuesday" in out

    out, _ = run(CORPUS / "good" / "oil-and-water.txt", verbosity=0)
    assert out == ""


def test_plain_progress_lines_when_not_on_a_terminal(monkeypatch):
    monkeypatch.setattr(report, "PROGRESS_EVERY", 2)

    _, err = run(CORPUS / "good")
    assert "imported 2/3 files" in err

    _, err = run(CORPUS / "good", no_progress=True)
    assert "imported" not in err


def test_parsing_in_a_second_process_gives_the_same_stories(monkeypatch, tmp_path):
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    monkeypatch.setattr(batch, "CHUNK", 1)
    monkeypatch.setattr(batch, "AHEAD", 2)
    folder = good_copy(tmp_path)
    shutil.copy(CORPUS / "bad" / "no-dateline.txt", folder)

    _, err, _ = run_failing(folder)

    assert "no-dateline.txt, line 5: no dateline" in err
    story = Story.objects.get(legacy_id="see-several")
    assert story.outgoing_links.filter(target__isnull=False).count() == 2

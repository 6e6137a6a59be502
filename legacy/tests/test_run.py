"""legacy.run.import_files: the per-file loop, called as the command and the benchmark call it."""

import shutil
from pathlib import Path

import pytest

from articles.models import CrossLink, Story
from legacy import services
from legacy.batch import collect_files
from legacy.run import FileResult, ImportOptions, OptionError, import_files

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "import_corpus"


def good_and_bad(tmp_path) -> list[Path]:
    """The corpus, and a story that links to one never written."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "corpus" / "good" / "waiting.txt").write_text(
        "Waiting for the Report\n\nA short one.\n\nMonday, 7 January, 2013\n\n"
        "The commission has still not published. (See The Report Nobody Wrote.)\n\n"
        "Ann Lee is a reporter.\n\nKazakhstan\n"
    )
    return collect_files([str(tmp_path / "corpus")])


def test_every_file_is_reported_in_order_and_failures_do_not_stop_the_run(tmp_path):
    files = good_and_bad(tmp_path)
    seen: list[FileResult] = []
    summary = import_files(files, ImportOptions(), on_file=seen.append)

    assert [result.path for result in seen] == files
    failed = {result.path.name: result.failure.reason for result in seen if result.failure}
    assert set(failed) == {"no-dateline.txt", "single-line.txt"}
    assert "no dateline" in failed["no-dateline.txt"]
    assert summary.counts == {"created": 4, "failed": 2}
    assert [result.path.name for result in summary.failures] == sorted(failed)
    assert Story.objects.count() == 4
    assert summary.pending_links == 1
    assert CrossLink.objects.pending().get().title == "The Report Nobody Wrote"


def test_a_second_run_finds_everything_unchanged(tmp_path):
    files = collect_files([str(CORPUS / "good")])
    import_files(files, ImportOptions())
    again = import_files(files, ImportOptions())
    assert again.counts == {"unchanged": 3}
    assert not again.failures


def test_a_dry_run_plans_and_writes_nothing(row_counts):
    files = collect_files([str(CORPUS / "good")])
    before = row_counts()
    results: list[FileResult] = []
    summary = import_files(files, ImportOptions(dry_run=True), on_file=results.append)
    assert summary.counts == {"created": 3}
    assert all(result.outcome.story is None for result in results)
    assert row_counts() == before


def test_drafts_overwrite_and_images_come_from_the_options(tmp_path):
    files = collect_files([str(CORPUS / "good")])
    import_files(files, ImportOptions(draft=True))
    assert set(Story.objects.values_list("status", flat=True)) == {Story.Status.DRAFT}
    summary = import_files(files, ImportOptions())
    assert summary.counts == {"updated": 3}
    assert set(Story.objects.values_list("status", flat=True)) == {Story.Status.PUBLISHED}


def test_an_images_folder_that_is_not_there_is_named():
    with pytest.raises(OptionError, match="--images /no/such/folder: no such folder"):
        ImportOptions(images=Path("/no/such/folder"))


def test_a_bug_in_one_file_is_its_failure_with_the_traceback(monkeypatch):
    files = collect_files([str(CORPUS / "good")])
    real = services._link_rows

    def broken_for_one(story, titles, cache):
        if story.legacy_id == files[1].stem:
            raise KeyError("boom")
        return real(story, titles, cache)

    monkeypatch.setattr(services, "_link_rows", broken_for_one)
    summary = import_files(files, ImportOptions())
    (failed,) = summary.failures
    assert failed.path == files[1]
    assert failed.failure.reason == "unexpected error KeyError: 'boom'"
    assert "Traceback" in failed.failure.details and "broken_for_one" in failed.failure.details
    assert summary.counts == {"created": 2, "failed": 1}
    assert not Story.objects.filter(legacy_id=files[1].stem).exists()

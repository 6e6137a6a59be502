"""Optimistic concurrency for stories: no save silently overwrites another.

Every change to a story raises `Story.version`. An edit form carries the
version it was loaded at; saving it first claims the next version with one
compare-and-set statement, `UPDATE … SET version = n + 1 WHERE version = n`,
which only one of any number of concurrent saves can win:

- on PostgreSQL the losers' UPDATE waits for the winner's row lock, then
  re-reads the row, finds version n + 1 and changes nothing;
- on SQLite writers are serialised (immediate transactions, see settings):
  a later save starts after the winner committed and finds n + 1 at once.

Either way the loser changes nothing and is told who saved what.
"""

from django.db.models import F

from articles.models import Story


class ConcurrentSave(Exception):
    """Another save claimed the version this one started from."""


def claim_version(story: Story, expected: int) -> bool:
    """Move the stored story from version `expected` to the next, or do
    nothing and return False when it is at another version by now."""
    claimed = Story.objects.filter(pk=story.pk, version=expected).update(version=expected + 1)
    if claimed:
        story.version = expected + 1
    return bool(claimed)


def bump_version(story: Story) -> None:
    """Raise the stored version whatever it is (a change that started from
    the stored row itself, such as a workflow transition), and read it back."""
    Story.objects.filter(pk=story.pk).update(version=F("version") + 1)
    story.version = Story.objects.values_list("version", flat=True).get(pk=story.pk)

"""Writes that touch several models: keep link and slug bookkeeping in one place."""

from django.db import transaction

from articles.models import CrossLink, Story, StoryRedirect


def resolve_pending_links(story: Story) -> int:
    """Point every pending cross-link whose title matches `story` at it.

    Returns how many links were resolved.
    """
    return (
        CrossLink.objects.pending()
        .filter(title_key=story.headline_key)
        .exclude(source=story)
        .update(target=story)
    )


def resolve_outgoing_links(story: Story) -> int:
    """Point `story`'s own pending cross-links at stories that now have their titles.

    Returns how many links were resolved.
    """
    pending = list(CrossLink.objects.pending().filter(source=story))
    targets = dict(
        # A story in the trash is no link's target (restoring it resolves them).
        Story.objects.live()
        .filter(headline_key__in={link.title_key for link in pending})
        .exclude(pk=story.pk)
        .values_list("headline_key", "pk")
    )
    resolved = [link for link in pending if link.title_key in targets]
    for link in resolved:
        link.target_id = targets[link.title_key]
    CrossLink.objects.bulk_update(resolved, ["target"])
    return len(resolved)


@transaction.atomic
def record_slug_change(*, story: Story, old_slug: str) -> None:
    """Keep `old_slug` answering with a redirect to the story's current address."""
    StoryRedirect.objects.filter(old_slug=story.slug).delete()
    if old_slug and old_slug != story.slug:
        StoryRedirect.objects.update_or_create(old_slug=old_slug, defaults={"story": story})


@transaction.atomic
def story_saved(*, story: Story, old_slug: str | None = None) -> None:
    """Bookkeeping after an editor saves a story: redirects and pending links,
    both those pointing at it and its own."""
    if old_slug is not None:
        record_slug_change(story=story, old_slug=old_slug)
    resolve_pending_links(story)
    resolve_outgoing_links(story)

"""Writes that touch several models: keep link and slug bookkeeping in one place."""

from django.db import transaction

from articles.models import CrossLink, Story, StoryRedirect
from articles.rendering import links_in_text
from newsroom.text import normalise_title


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


def record_links_in_text(story: Story) -> None:
    """Make the story's cross-links agree with its text.

    A story link in the body (articles.rendering) to a story without a
    cross-link gets one, titled with that story's headline; a cross-link
    the text carries (by story link or by its title) is marked `in_text`;
    one that was in the text and has left it (the editor removed the link
    or the reference) is deleted. Cross-links never in the text (added in
    the admin, or an imported title the text does not spell out) stay.
    """
    links = list(CrossLink.objects.filter(source=story))
    titles, story_ids = links_in_text(story.body, [link.title for link in links])
    story_ids.discard(story.pk)
    changed, gone, kept = [], [], []
    for link in links:
        present = link.title_key in titles or link.target_id in story_ids
        if present and not link.in_text:
            link.in_text = True
            changed.append(link)
        if link.in_text and not present:
            gone.append(link.pk)
        else:
            kept.append(link)
    CrossLink.objects.filter(pk__in=gone).delete()
    new = _links_for_story_links(story, story_ids - {link.target_id for link in kept}, kept)
    for link in new:
        if link.pk is not None:
            changed.append(link)
    unique = list({link.pk: link for link in changed}.values())
    CrossLink.objects.bulk_update(unique, ["target", "in_text"])
    CrossLink.objects.bulk_create([link for link in new if link.pk is None])


def _links_for_story_links(
    story: Story, target_ids: set[int], links: list[CrossLink]
) -> list[CrossLink]:
    """Cross-links for story links to `target_ids`: a pending link of the
    target's headline, resolved, or a new link (saved or not, in_text)."""
    if not target_ids:
        return []
    by_key = {link.title_key: link for link in links}
    position = max((link.position for link in links), default=-1) + 1
    made = []
    targets = Story.objects.filter(pk__in=target_ids).only("headline", "headline_key")
    for target in targets.order_by("pk"):
        pending = by_key.get(target.headline_key)
        if pending is not None and pending.target_id is None:
            pending.target, pending.in_text = target, True
            made.append(pending)
            continue
        title = _free_title(target.headline, by_key)
        link = CrossLink(source=story, title=title, target=target, in_text=True, position=position)
        link.title_key = normalise_title(title)
        by_key[link.title_key] = link
        made.append(link)
        position += 1
    return made


def _free_title(headline: str, by_key: dict[str, CrossLink]) -> str:
    """`headline`, or "headline (2)", … when another link has that title already."""
    title, n = headline, 2
    while normalise_title(title) in by_key:
        title, n = f"{headline} ({n})", n + 1
    return title


@transaction.atomic
def story_saved(*, story: Story, old_slug: str | None = None) -> None:
    """Bookkeeping after an editor saves a story: redirects, pending links
    (both those pointing at it and its own) and the links its text carries."""
    if old_slug is not None:
        record_slug_change(story=story, old_slug=old_slug)
    resolve_pending_links(story)
    resolve_outgoing_links(story)
    record_links_in_text(story)

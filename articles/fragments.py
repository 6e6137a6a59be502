"""The articles' fragments (see newsroom.fragments): story cards and bylines."""

from collections.abc import Iterable, Sequence
from typing import Any

import jinja2
from django.utils.safestring import SafeString

from articles.models import Byline, QuotedSource, Story, Topic
from newsroom import fragments


def byline_entries(bylines: Iterable[Byline], *, roles: bool = True) -> list[dict[str, Any]]:
    """ "By A, role, and B, role" or "By A, B and C": each credit with the
    words before it; a comma before "and" only to close a role."""
    credits = list(bylines)
    entries = []
    for i, entry in enumerate(credits):
        if i == 0:
            separator = ""
        elif i < len(credits) - 1:
            separator = ", "
        elif roles and credits[i - 1].role:
            separator = ", and "
        else:
            separator = " and "
        entries.append({"separator": separator, "byline": entry})
    return entries


def byline(bylines: Iterable[Byline], roles: bool = True) -> SafeString:
    """The credits' names linked to their pages, with roles as printed."""
    entries = byline_entries(bylines, roles=roles)
    return fragments.render("byline.html", {"entries": entries, "roles": roles})


def story_cards(stories: Sequence[Story], *, lead: bool = False) -> SafeString:
    """A card for each of `stories` (as StoryQuerySet.for_listing() reads
    them); `lead` makes the first one large, its picture loaded first."""
    return fragments.render("story_cards.html", {"stories": stories, "lead": lead})


def credit_links(credits: Iterable[Byline | QuotedSource], *, quoted: bool = False) -> SafeString:
    """A list item linking each credit's story, dated, with the role it was
    written in, or (`quoted`) how the source was described."""
    return fragments.render("credit_links.html", {"credits": credits, "quoted": quoted})


def topic_links(topics: Iterable[Topic]) -> SafeString:
    """A list item for each of `topics`, as Topic.objects.with_published_counts() reads them."""
    return fragments.render("topic_links.html", {"topics": topics})


def environment(**options: Any) -> jinja2.Environment:
    env = fragments.environment(**options)
    env.globals.update(byline=byline)
    return env

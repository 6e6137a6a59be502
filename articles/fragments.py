"""The articles' fragments (see newsroom.fragments): story cards and bylines."""

from collections.abc import Iterable, Sequence
from typing import Any

import jinja2
from django.utils.safestring import SafeString

from articles.models import Byline, Story
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


def environment(**options: Any) -> jinja2.Environment:
    env = fragments.environment(**options)
    env.globals.update(byline=byline)
    return env

"""Fragments a page repeats many times (story cards, link lists, bylines,
pictures): Jinja2 templates in templates/fragments/, rendered by the
"fragments" engine of settings.TEMPLATES.

Jinja2 compiles a template to Python, so a card costs a fraction of what
Django's template language spends resolving each variable of it; on a
listing of twenty cards that was most of the page's time (docs/performance.md).
The pages around the fragments stay Django templates, whose tags render a
fragment with `render()`: one template per fragment, whichever page shows it.
"""

from datetime import date, datetime
from typing import Any

import jinja2
from django.template import engines
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from newsroom import responsive
from newsroom.process_memo import per_process

ENGINE = "fragments"

# House style: "Friday, 14 December, 2012".
DATELINE_FORMAT = "l, j F, Y"


def local(value: date) -> date:
    """An aware datetime in the site's time zone, as a Django template shows it."""
    return timezone.template_localtime(value)  # type: ignore[attr-defined]  # not in django-stubs


def dateline(value: date | None) -> str:
    """A date or datetime in the house dateline style, in the site's time zone."""
    if not value:
        return ""
    day = local(value)
    return _dateline(day.date() if isinstance(day, datetime) else day, get_language())


@per_process(maxsize=20_000)
def _dateline(day: date, language: str | None) -> str:
    """A listing's twenty datelines, each worked out once per day and language."""
    return dateformat.format(day, DATELINE_FORMAT)


def isoformat(value: date | None) -> str:
    """`value` as ISO 8601 in the site's time zone: a <time> element's datetime."""
    return local(value).isoformat() if value else ""


def render(name: str, context: dict[str, Any]) -> SafeString:
    """The fragment `name` rendered with `context`, safe to put in a page:
    Jinja2 escaped every value the fragment prints."""
    template = engines[ENGINE].get_template(name)
    return mark_safe(template.render(context))  # noqa: S308


def picture(
    image: Any, *, sizes: str, eager: bool = False, css_class: str = "", alt: str | None = None
) -> SafeString:
    """`image` as a <picture> of its renditions (see responsive.picture_context)."""
    context = responsive.picture_context(
        image, sizes=sizes, eager=eager, css_class=css_class, alt=alt
    )
    return render("picture.html", context)


def environment(**options: Any) -> jinja2.Environment:
    """The fragments' Jinja2 environment: the house dates and `picture`.
    Apps above this package add their own helpers (articles.fragments)."""
    # Django's backend turns autoescape on; a misspelt name fails loudly.
    options.update(undefined=jinja2.StrictUndefined, trim_blocks=True)
    env = jinja2.Environment(**options)  # noqa: S701
    env.filters.update(dateline=dateline, isoformat=isoformat)
    env.globals.update(picture=picture)
    return env

"""Template helpers for the people's pages."""

from django import template
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext

from newsroom.sharing import DESCRIPTION_LENGTH
from people.models import Person

register = template.Library()


@register.simple_tag
def person_description(person: Person) -> str:
    """Who the person is: their biography, or a sentence saying what their page lists."""
    text = person.bio or gettext("Stories by and quoting %(person)s in %(site)s.") % {
        "person": person.name,
        "site": settings.SITE_NAME,
    }
    return Truncator(text).chars(DESCRIPTION_LENGTH)

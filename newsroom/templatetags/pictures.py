"""`{% picture %}`: a photo or headshot as a `<picture>` of its responsive renditions."""

from django import template

from newsroom import fragments

register = template.Library()

register.simple_tag(fragments.picture, name="picture")

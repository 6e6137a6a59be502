"""Checks on values before they are written, with messages that name the problem."""

from django.core.exceptions import ValidationError
from django.db.models import Model


def check_length(model: type[Model], field_name: str, value: str, *, what: str) -> str:
    """`value`, or a ValidationError saying how much too long it is for the field."""
    limit = model._meta.get_field(field_name).max_length
    if limit and len(value) > limit:
        raise ValidationError(
            f"{what} is {len(value)} characters long; at most {limit} fit: {value[:60]!r}…"
        )
    return value

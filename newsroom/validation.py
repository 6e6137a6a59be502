"""Checks on values before they are written, with messages that name the problem."""

from django.core.exceptions import ValidationError
from django.db.models import Field, Model


def check_length(model: type[Model], field_name: str, value: str, *, what: str) -> str:
    """`value`, or a ValidationError saying how much too long it is for the field."""
    field = model._meta.get_field(field_name)
    limit = field.max_length if isinstance(field, Field) else None
    if limit and len(value) > limit:
        raise ValidationError(
            f"{what} is {len(value)} characters long; at most {limit} fit: {value[:60]!r}…"
        )
    return value

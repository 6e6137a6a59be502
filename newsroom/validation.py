"""Checks on values before they are written, with messages that name the problem."""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model


def max_length(model: type[Model], field_name: str) -> int:
    """The most characters that the text field `field_name` of `model` holds."""
    limit = getattr(model._meta.get_field(field_name), "max_length", None)
    if not isinstance(limit, int):
        raise ImproperlyConfigured(f"{model.__name__}.{field_name} has no max_length.")
    return limit


def check_length(model: type[Model], field_name: str, value: str, *, what: str) -> str:
    """`value`, or a ValidationError saying how much too long it is for the field."""
    limit = max_length(model, field_name)
    if len(value) > limit:
        raise ValidationError(
            f"{what} is {len(value)} characters long; at most {limit} fit: {value[:60]!r}…"
        )
    return value

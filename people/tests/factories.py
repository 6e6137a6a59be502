"""Builders for people in tests. Each returns a saved Person."""

import itertools

from people.models import Person

_seq = itertools.count(1)


def make_person(name: str | None = None, **kwargs) -> Person:
    return Person.objects.create(name=name or f"Person Number{next(_seq)}", **kwargs)

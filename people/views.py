"""Public pages (being written)."""

from django.http import Http404


def person_detail(request, slug):
    raise Http404

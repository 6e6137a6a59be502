"""Public pages (being written)."""

from django.http import Http404


def home(request):
    raise Http404


story_detail = topic_list = topic_detail = home

"""Builders for stories, photos and topics in tests. Each returns saved model instances."""

import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, Topic
from newsroom.tests.factories import image_bytes
from people.tests.factories import make_person

_seq = itertools.count(1)


def make_photo(**kwargs) -> Photo:
    data = image_bytes()
    defaults = {
        "image": SimpleUploadedFile("lead.png", data, content_type="image/png"),
        "caption": "Oil workers gather in the town square.",
        "credit": "IWPR",
        "alt_text": "A crowd of oil workers in a town square",
    }
    return Photo.objects.create(**(defaults | kwargs))


def make_topic(name=None, kind=Topic.Kind.THEME, **kwargs) -> Topic:
    name = name or f"Topic {next(_seq)}"
    return Topic.objects.create(name=name, kind=kind, **kwargs)


def make_story(
    headline=None,
    *,
    status=Story.Status.PUBLISHED,
    published_at=None,
    authors=(),
    sources=(),
    topics=(),
    links_to=(),
    **kwargs,
) -> Story:
    """A story; `authors`/`sources` are people, or (person, role or description)
    pairs, `topics` topics, `links_to` titles."""
    n = next(_seq)
    story = Story.objects.create(
        headline=headline or f"Story number {n}",
        standfirst=kwargs.pop("standfirst", f"Standfirst of story {n}."),
        body=kwargs.pop("body", f"<p>Body of story {n}.</p>"),
        status=status,
        published_at=published_at or timezone.now() - timedelta(hours=n),
        **kwargs,
    )
    for i, (person, role) in enumerate(_credited(authors, "reporter")):
        Byline.objects.create(story=story, person=person, role=role, position=i)
    for i, (person, description) in enumerate(_credited(sources, "expert")):
        QuotedSource.objects.create(story=story, person=person, description=description, position=i)
    if topics:
        story.topics.add(*topics)
    for i, title in enumerate(links_to):
        target = Story.objects.with_title(title).first()
        CrossLink.objects.create(source=story, title=title, target=target, position=i)
    return story


def _credited(people, label):
    """(person, text) pairs: pairs as given, people with a numbered `label`."""
    return [
        entry if isinstance(entry, tuple) else (entry, f"{label} {i}")
        for i, entry in enumerate(people)
    ]


def make_rich_story(*, authors=(), sources=(), **kwargs) -> Story:
    """A story with 3 topics, 2 authors, 4 quoted sources and a lead photo:
    enough related rows to expose a query per row (`authors` and `sources`
    are added to those)."""
    return make_story(
        authors=[make_person() for _ in range(2)] + list(authors),
        sources=[make_person() for _ in range(4)] + list(sources),
        topics=[make_topic() for _ in range(3)],
        lead_photo=kwargs.pop("lead_photo", None) or make_photo(),
        **kwargs,
    )

"""Builders for test data. Each returns saved model instances."""

import io
import itertools
import struct
import zlib
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Byline, CrossLink, Photo, QuotedSource, Story, Topic
from people.models import Person

_seq = itertools.count(1)


def image_bytes(fmt="PNG", size=(1600, 900), color=(40, 90, 140)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def png_declaring(width, height) -> bytes:
    """A tiny PNG file whose header claims `width`×`height` pixels: a decompression bomb."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def make_photo(**kwargs) -> Photo:
    data = image_bytes()
    defaults = {
        "image": SimpleUploadedFile("lead.png", data, content_type="image/png"),
        "caption": "Oil workers gather in the town square.",
        "credit": "IWPR",
        "alt_text": "A crowd of oil workers in a town square",
    }
    return Photo.objects.create(**(defaults | kwargs))


def make_person(name=None, **kwargs) -> Person:
    return Person.objects.create(name=name or f"Person Number{next(_seq)}", **kwargs)


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
    """A story; `authors`/`sources` are people, `topics` topics, `links_to` titles."""
    n = next(_seq)
    story = Story.objects.create(
        headline=headline or f"Story number {n}",
        standfirst=kwargs.pop("standfirst", f"Standfirst of story {n}."),
        body=kwargs.pop("body", f"<p>Body of story {n}.</p>"),
        status=status,
        published_at=published_at or timezone.now() - timedelta(hours=n),
        **kwargs,
    )
    for i, person in enumerate(authors):
        Byline.objects.create(story=story, person=person, role=f"reporter {i}", position=i)
    for i, person in enumerate(sources):
        QuotedSource.objects.create(
            story=story, person=person, description=f"expert {i}", position=i
        )
    if topics:
        story.topics.add(*topics)
    for i, title in enumerate(links_to):
        target = Story.objects.with_title(title).first()
        CrossLink.objects.create(source=story, title=title, target=target, position=i)
    return story


def make_rich_story(**kwargs) -> Story:
    """A story with 3 topics, 2 authors, 4 quoted sources and a lead photo:
    enough related rows to expose a query per row."""
    return make_story(
        authors=[make_person() for _ in range(2)],
        sources=[make_person() for _ in range(4)],
        topics=[make_topic() for _ in range(3)],
        lead_photo=kwargs.pop("lead_photo", None) or make_photo(),
        **kwargs,
    )

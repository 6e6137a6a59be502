"""`extract_sources`: the extraction of a story's quoted sources, stage by
stage."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from legacy.result import Source

from .reading import Paragraph, read_paragraph
from .resolution import (
    Authors,
    choose_sources,
    mark_pronoun_speakers,
    register_people,
    resolve_references,
)

__all__ = ["extract_sources"]


def extract_sources(
    paragraphs: Sequence[str] | str, *, exclude: Collection[str] = ()
) -> list[Source]:
    """The people quoted in a story's body paragraphs, in order of first
    appearance, each with the description the story gives them.

    `exclude` holds names that are never sources (the story's authors); their
    surnames alone are excluded too.  Never raises on odd text.
    """
    read = read_paragraphs(paragraphs)
    story = register_people(read, Authors.of(exclude))
    resolve_references(story)
    mark_pronoun_speakers(story)
    return choose_sources(story)


def read_paragraphs(paragraphs: Sequence[str] | str) -> list[Paragraph]:
    """Each non-empty paragraph, read on its own; odd items are skipped."""
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    return [
        read_paragraph(text, index)
        for index, text in enumerate(paragraphs or ())
        if isinstance(text, str) and text
    ]

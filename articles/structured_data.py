"""schema.org JSON-LD for a story page: what search engines and aggregators
read about it (its kind of journalism, authors, publisher and corrections)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.html import strip_tags

from articles.models import Story
from newsroom.publisher import publisher_logo

# schema.org's NewsArticle subtypes. A feature is reporting from the scene
# (ReportageNewsArticle); an interview has no subtype of its own, so it is a
# NewsArticle whose genre says so.
ARTICLE_TYPES = {
    Story.TypeOfWork.NEWS: "NewsArticle",
    Story.TypeOfWork.ANALYSIS: "AnalysisNewsArticle",
    Story.TypeOfWork.OPINION: "OpinionNewsArticle",
    Story.TypeOfWork.FEATURE: "ReportageNewsArticle",
    Story.TypeOfWork.INTERVIEW: "NewsArticle",
    Story.TypeOfWork.EXPLAINER: "BackgroundNewsArticle",
}


def story_json_ld(story: Story, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The JSON-LD object for `story` (from for_detail()); `absolute` turns a
    path into an absolute URL."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES[Story.TypeOfWork(story.type_of_work)],
        "headline": story.headline,
        "description": strip_tags(story.standfirst),
        "inLanguage": story.language,
        "mainEntityOfPage": absolute(story.get_absolute_url()),
        "author": [
            {
                "@type": "Person",
                "name": byline.person.name,
                "url": absolute(byline.person.get_absolute_url()),
            }
            for byline in story.bylines.all()
        ],
        "publisher": publisher(absolute),
    }
    if story.type_of_work == Story.TypeOfWork.INTERVIEW:
        data["genre"] = "Interview"
    if story.published_at:
        data["datePublished"] = story.published_at.isoformat()
        data["dateModified"] = story.updated_at.isoformat()
    photo = story.lead_photo
    if photo is not None and photo.rendition:
        # The 16:9, 4:3 and 1:1 crops around the focal point, as search
        # engines ask; the plain rendition for a photo without them yet.
        crops = photo.crops()
        urls = [crops[ratio].url for ratio in ("16:9", "4:3", "1:1") if ratio in crops]
        data["image"] = [absolute(url) for url in urls or [photo.rendition.url]]
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": note.text,
            "datePublished": note.noted_at.isoformat(),
        }
        for note in story.notes.all()
        if not note.is_withdrawn and note.noted_at
    ]
    if corrections:
        data["correction"] = corrections
    return data


def publisher(absolute: Callable[[str], str]) -> dict[str, Any]:
    """The newsroom as the Organization that publishes its stories, with its logo."""
    logo = publisher_logo()
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(logo.url),
            "width": logo.width,
            "height": logo.height,
        },
    }


def as_script_text(data: dict[str, Any]) -> str:
    """`data` as JSON safe inside a <script> element: no "<", ">" or "&" in it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

"""Template helpers for the public pages: datelines, bylines, story bodies."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from articles import fragments, structured_data
from articles.models import Photo, Story, Topic
from articles.rendering import BodyLink, render_story_body
from newsroom.fragments import dateline
from newsroom.sharing import DESCRIPTION_LENGTH

register = template.Library()

register.filter("dateline", dateline)  # in the site's time zone by itself


@register.simple_tag
def story_body(story: Story) -> SafeString:
    """The story's body, sanitised, with its cross-links linked to their
    targets, and those the text does not carry listed after it, under "See also".

    Uses the `outgoing_links` prefetched by StoryQuerySet.for_detail() (only
    those readers may follow), with each target's current address, so a
    link survives the target's renaming.
    """
    links = [
        BodyLink(
            link.title,
            link.target_id,
            link.target.get_absolute_url() if link.target is not None else None,
        )
        for link in story.outgoing_links.all()
    ]
    # render_story_body sanitises the stored HTML and escapes everything it adds.
    rendered = render_story_body(story.body, links)
    html = mark_safe(rendered.html)
    if rendered.see_also:
        html += format_html(
            '<p class="see-also"><span class="see-also__label">See also:</span> {}</p>',
            format_html_join(
                "; ", '<a href="{}">{}</a>', ((link.href, link.title) for link in rendered.see_also)
            ),
        )
    return html


@register.simple_tag
def story_updated(story: Story) -> datetime | None:
    """When readers last saw the story change: its newest correction or
    update note, appended, amended or withdrawn. None without notes.

    Reads the `notes` prefetched by StoryQuerySet.for_detail()."""
    return max((note.changed_at for note in story.notes.all()), default=None)


register.simple_tag(fragments.byline, name="byline")
register.simple_tag(fragments.credit_links, name="credit_links")
register.simple_tag(fragments.topic_links, name="topic_links")


@register.simple_tag
def story_cards(page: Any, *, lead_first: bool = False) -> SafeString:
    """The cards of a listing's `page` (articles.listing); with `lead_first`
    the first card of the newest page is the large one."""
    return fragments.story_cards(page.stories, lead=lead_first and not page.newer)


@register.simple_tag
def topic_description(topic: Topic) -> str:
    """What the topic's page is about: its description, or a sentence saying so."""
    text = topic.description or gettext("Stories about %(topic)s from %(site)s.") % {
        "topic": topic.name,
        "site": settings.SITE_NAME,
    }
    return Truncator(text).chars(DESCRIPTION_LENGTH)


@register.simple_tag
def first_lead_photo(stories: Iterable[Story]) -> Photo | None:
    """The lead photo of the first of `stories` (newest first, as listed) that
    has one to share, None if none has: what a listing's page is shared with."""
    photos = (story.lead_photo for story in stories if story.lead_photo_id)
    return next((photo for photo in photos if photo and photo.share_image()), None)


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, path: str) -> str:
    """`path` as an absolute URL on the host the page was requested from."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag(takes_context=True)
def story_json_ld(context: template.Context, story: Story) -> SafeString:
    """A <script type="application/ld+json"> describing `story` for search
    engines. It is data, never run, so the Content-Security-Policy lets it be."""
    request = context.get("request")

    def absolute(path: str) -> str:
        return request.build_absolute_uri(path) if request is not None else path

    text = structured_data.as_script_text(structured_data.story_json_ld(story, absolute))
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308

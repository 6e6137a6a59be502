"""The body editor's tools on the story edit page.

- **Link to a story**: a toolbar button (the `StoryLink` extension in
  static/admin-extra/story-editor.js) that finds a story by part of its
  headline (`link_search_view`, offering only stories the user may see) and
  inserts a story link, stored as articles.rendering describes; saving makes
  it a cross-link (articles.services.record_links_in_text).
- Imported "(See …)" references show in the editor as the story links they
  are (`body_for_editor`).
- Spell-checking in the body, headline and standfirst, in the story's
  language, and a live word count under the body (`SpellCheck`, `WordCount`).
- A cross-link chosen in the inline takes its title from the story chosen
  (static/admin-extra/cross-links.js, and `articles.forms.CrossLinkForm`).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from js_asset import Media, Script

from articles.models import CrossLink, Story, StoryQuerySet
from articles.rendering import body_for_editor, story_link
from articles.workflow import state_label
from newsroom.admin import ModelAdminMixin

SEARCH_RESULTS = 12
SEARCH_MIN_LENGTH = 2
SPELL_CHECKED = ("headline", "standfirst")


def editor_config(
    config: dict[str, Any], *, search_url: str, story: Story | None
) -> dict[str, Any]:
    """The body widget's configuration with the newsroom's tools added.

    A copy: the field's own configuration is shared by every form."""
    extensions = dict(config.get("extensions", {}))
    extensions.update(
        {
            # django-prose-editor turns the browser's spell-checker off unless told.
            "NoSpellCheck": False,
            "SpellCheck": {"languageField": "id_language", "fields": list(SPELL_CHECKED)},
            "WordCount": True,
            "StoryLink": {
                "searchUrl": search_url,
                "exclude": story.pk if story is not None else None,
                "minLength": SEARCH_MIN_LENGTH,
            },
        }
    )
    return config | {"extensions": extensions}


def search_results(user: Any, term: str, *, exclude: int | None) -> list[dict[str, Any]]:
    """Stories `user` may see whose headline holds `term`, newest first."""
    stories = Story.objects.visible_to(user).filter(headline__icontains=term)
    if exclude is not None:
        stories = stories.exclude(pk=exclude)
    rows = stories.only("headline", "status", "published_at", "embargo_until").order_by(
        F("published_at").desc(nulls_last=True), "-pk"
    )[:SEARCH_RESULTS]
    return [
        {
            "id": story.pk,
            "headline": story.headline,
            "href": story_link(story.pk),
            "state": state_label(story.state),
            "date": (
                dateformat.format(timezone.localtime(story.published_at), "d M Y")
                if story.published_at
                else ""
            ),
        }
        for story in rows
    ]


class BodyEditorMixin(ModelAdminMixin):
    """The story admin's body editor tools (see the module's docstring)."""

    def get_urls(self) -> list[Any]:
        search = self.admin_site.admin_view(self.link_search_view)
        return [
            path("link-search/", search, name="articles_story_link_search"),
            *super().get_urls(),
        ]

    @property
    def media(self) -> Any:
        return super().media + Media(
            css={"all": ["admin-extra/story-editor.css"]},
            js=[Script("admin-extra/cross-links.js", type="module")],
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        body = form.base_fields.get("body")
        if body is not None:
            body.widget.config = editor_config(
                body.widget.config,
                search_url=reverse("admin:articles_story_link_search"),
                story=obj,
            )
        for name in SPELL_CHECKED:
            if name in form.base_fields:
                form.base_fields[name].widget.attrs["spellcheck"] = "true"
        return form

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        story = context.get("original")
        adminform = context.get("adminform")
        form = adminform.form if adminform is not None else None
        if story is not None and form is not None and not form.is_bound and "body" in form.fields:
            links = self._resolved_links(story, context.get("inline_admin_formsets", []))
            form.initial["body"] = body_for_editor(story.body, links)
        return super().render_change_form(request, context, *args, **kwargs)

    def _resolved_links(self, story: Story, inline_formsets: list[Any]) -> list[tuple[str, int]]:
        """The story's resolved cross-links as (title, target id): from the
        cross-link inline's rows when the page has them, else read."""
        for inline in inline_formsets:
            if inline.formset.model is CrossLink:
                rows = inline.formset.get_queryset()
                break
        else:
            rows = CrossLink.objects.filter(source=story)
        return [(link.title, link.target_id) for link in rows if link.target_id is not None]

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            # Choosing a story (a cross-link's target): only those the user may see.
            queryset = cast(StoryQuerySet, queryset).visible_to(request.user)
        return queryset

    def link_search_view(self, request: HttpRequest) -> JsonResponse:
        """The "Link to a story" tool's search: ?term=part of a headline,
        ?exclude=the story being edited."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        exclude = request.GET.get("exclude", "")
        if len(term) < SEARCH_MIN_LENGTH:
            return JsonResponse({"results": []})
        excluded = (
            int(exclude) if exclude.isascii() and exclude.isdigit() and len(exclude) < 19 else None
        )
        return JsonResponse({"results": search_results(request.user, term, exclude=excluded)})

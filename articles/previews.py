"""Previews: a story as readers would see it, before they can.

- From the edit page, **Preview** posts the form as it is (saved or not) to
  `PreviewAdminMixin.preview_view`, which validates it like a save, builds an
  unsaved story from it (`preview_from_form`: nothing is written) and renders
  the public story template with a banner. Invalid input is a page naming
  each problem.
- A **preview link** (`PreviewLink`) lets someone without an account read
  one story as it is saved, until it expires or is revoked. Only the hash of
  its token is stored, so the link is shown once, when it is made
  (`create_preview_link`); `shared_preview` answers it.

Every preview page is private and never cached or indexed (`private_page`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.forms.formsets import DELETION_FIELD_NAME, all_valid
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from js_asset import Media, Script

from articles import workflow
from articles.models import (
    VIEW_UNPUBLISHED,
    Byline,
    CrossLink,
    PreviewLink,
    QuotedSource,
    Story,
    StoryNote,
)
from articles.rendering import links_in_text
from articles.views import story_context
from newsroom.admin import ModelAdminMixin
from newsroom.slugs import slug_candidates
from newsroom.text import normalise_title

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser
    from django.forms import BaseFormSet, ModelForm

    User = AbstractUser | AnonymousUser


def private_page(response: HttpResponse, *, referrer: bool = True) -> HttpResponse:
    """Never stored by a browser or a cache, never indexed; with `referrer`
    False, never named in a Referer header either (a link's token is secret)."""
    add_never_cache_headers(response)  # "private, no-store" among the rest
    response["X-Robots-Tag"] = "noindex, nofollow"
    if not referrer:
        response["Referrer-Policy"] = "no-referrer"
    return response


def may_preview(user: User, story: Story) -> bool:
    """Whoever may view unpublished stories and edit this one (or, for a
    new story, add one) may preview it and share preview links to it."""
    return user.has_perm(VIEW_UNPUBLISHED) and workflow.can_edit(user, story)


# --- A story built from the edit form ------------------------------------------


class Rows:
    """What the story template reads from a related manager, for rows that
    are not (all) saved: `.all()`, `.exists()` and iteration."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = list(rows)

    def all(self) -> list[Any]:
        return self._rows

    def exists(self) -> bool:
        return bool(self._rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


class PreviewStory:
    """An unsaved Story with its related rows as the form holds them.

    Reads every attribute it does not have from the story, so templates,
    template tags and `related_stories` treat it as a story from
    `StoryQuerySet.for_detail()`.
    """

    def __init__(self, story: Story, **related: Iterable[Any]) -> None:
        self._story = story
        for name, rows in related.items():
            setattr(self, name, Rows(rows))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._story, name)


@dataclass
class FormPreview:
    story: PreviewStory | None
    errors: list[str] = field(default_factory=list)


def preview_from_form(model_admin: Any, request: HttpRequest, obj: Story | None) -> FormPreview:
    """The story that saving `request.POST` would make, unsaved, or what is
    wrong with the form. Validates exactly as the admin's save does (the
    same form and inline formsets) and writes nothing."""
    change = obj is not None
    form_class = model_admin.get_form(request, obj, change=change)
    form = form_class(request.POST, request.FILES, instance=obj)
    form_valid = form.is_valid()
    formsets, inlines = model_admin._create_formsets(request, form.instance, change=change)
    if not (all_valid(formsets) and form_valid):
        return FormPreview(None, form_errors(form, formsets, inlines))
    story = form.instance
    if not story.slug:
        story.slug = next(slug_candidates(story.headline, max_length=255, fallback="story"))
    rows = {formset.model: rows_of(formset) for formset in formsets}
    related = {
        "bylines": rows.get(Byline, _saved(obj, "bylines")),
        "sources": rows.get(QuotedSource, _saved(obj, "sources")),
        "notes": rows.get(StoryNote, _saved(obj, "notes")),
        "topics": _topics(form, obj),
        "incoming_links": _saved(obj, "incoming_links"),
    }
    links = rows.get(CrossLink, _saved(obj, "outgoing_links"))
    related["outgoing_links"] = readers_links(story, links)
    return FormPreview(PreviewStory(story, **related))


def rows_of(formset: BaseFormSet[Any]) -> list[Model]:
    """The rows an inline formset would leave: saved ones not deleted and new ones filled in."""
    rows = []
    for form in formset.forms:
        if form.instance.pk is None and not form.has_changed():
            continue
        if formset.can_delete and getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME):
            continue
        rows.append(form.instance)
    return sorted(rows, key=lambda row: (getattr(row, "position", 0), row.pk or 0))


def _saved(obj: Story | None, relation: str) -> list[Any]:
    """A saved story's related rows, for an inline the user cannot see in the form."""
    if obj is None:
        return []
    manager = getattr(obj, relation)
    if relation == "incoming_links":
        return list(manager.with_story("source"))
    if relation == "outgoing_links":
        return list(manager.with_story("target"))
    if relation in ("bylines", "sources"):
        return list(manager.with_names())
    return list(manager.all())


def _topics(form: ModelForm[Any], obj: Story | None) -> list[Any]:
    if "topics" in form.cleaned_data:
        return list(form.cleaned_data["topics"] or [])
    return list(obj.topics.all()) if obj is not None else []


def readers_links(story: Story, links: list[CrossLink]) -> list[CrossLink]:
    """`links` as they will be once the story is saved, filtered as readers
    see them: titles that name a story resolved, a link for each story link
    in the body (see articles.services.record_links_in_text), and links to
    stories readers cannot see left out."""
    pending = {link.title_key or normalise_title(link.title) for link in links if not link.target}
    _titles, story_ids = links_in_text(story.body, [])
    story_ids -= {link.target_id for link in links} | {story.pk}
    by_key: dict[str, Story] = {}
    by_pk: dict[int, Story] = {}
    if pending or story_ids:
        found = Story.objects.filter(headline_key__in=pending) | Story.objects.filter(
            pk__in=story_ids
        )
        for target in found.exclude(pk=story.pk).order_by("pk"):
            by_key.setdefault(target.headline_key, target)
            by_pk[target.pk] = target
    for link in links:
        if link.target is None:
            link.target = by_key.get(link.title_key or normalise_title(link.title))
    linked = {link.target_id for link in links}
    for pk in sorted(story_ids - linked):
        if pk in by_pk:
            links.append(CrossLink(title=by_pk[pk].headline, target=by_pk[pk]))
    return [link for link in links if link.target is None or link.target.is_published]


def form_errors(
    form: ModelForm[Any], formsets: list[BaseFormSet[Any]], inlines: list[Any]
) -> list[str]:
    """Every problem of the form and its inlines, each naming where it is."""
    lines = []
    for name, errors in form.errors.items():
        label = None if name == NON_FIELD_ERRORS else form.fields[name].label or name
        lines += [f"{label}: {error}" if label else str(error) for error in errors]
    for formset, inline in zip(formsets, inlines, strict=True):
        title = str(inline.verbose_name_plural).capitalize()
        lines += [f"{title}: {error}" for error in formset.non_form_errors()]
        for i, row in enumerate(formset.forms, start=1):
            for name, errors in row.errors.items():
                where = gettext("%(inline)s, row %(row)d") % {"inline": title, "row": i}
                if name != NON_FIELD_ERRORS:
                    where += f", {str(row.fields[name].label or name).lower()}"
                lines += [f"{where}: {error}" for error in errors]
    return lines


# --- Preview links ------------------------------------------------------------


LIFETIMES = {
    "1h": (_("1 hour"), timedelta(hours=1)),
    "1d": (_("1 day"), timedelta(days=1)),
    "7d": (_("7 days"), timedelta(days=7)),
}
# token_urlsafe(32) makes 43 characters of [A-Za-z0-9_-].
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class PreviewLinkForm(forms.Form):
    lifetime = forms.ChoiceField(
        label=_("Works for"),
        choices=[(key, label) for key, (label, _lifetime) in LIFETIMES.items()],
        initial="1d",
    )
    note = forms.CharField(
        label=_("Shared with"),
        max_length=200,
        required=False,
        help_text=_("Whom it is for, e.g. “our lawyer”, so you know which link to revoke."),
    )


@transaction.atomic
def create_preview_link(
    *, story: Story, user: User, lifetime: timedelta, note: str = ""
) -> tuple[PreviewLink, str]:
    """A new preview link to `story` and its token: the only time the token exists."""
    token = PreviewLink.new_token()
    now = timezone.now()
    link = PreviewLink.objects.create(
        story=story,
        token_hash=PreviewLink.hash_token(token),
        note=note,
        created_by_id=user.pk,
        created_at=now,
        expires_at=now + lifetime,
    )
    return link, token


def revoke_preview_link(*, link: PreviewLink, user: User) -> None:
    """Stop `link` working, now and for good (a revoked link stays revoked)."""
    PreviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by_id=user.pk
    )


def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The page a preview link opens: the story as saved, with a banner; or,
    for a link revoked, expired or never made (a token tampered with), a page
    saying it no longer works."""
    link = PreviewLink.objects.for_token(token).first() if _TOKEN.fullmatch(token) else None
    if link is None or not link.is_active:
        status = 404 if link is None else 410
        response = render(request, "articles/preview_link_gone.html", status=status)
        return private_page(response, referrer=False)
    story = Story.objects.for_detail().get(pk=link.story_id)
    PreviewLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now())
    context = story_context(story, preview="shared") | {"preview_link": link}
    with translation.override(story.language):  # as readers will see it
        return private_page(render(request, "articles/story.html", context), referrer=False)


# --- The admin ----------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    # Not request.accepts(): a browser's form post accepts */* too.
    return request.headers.get("Accept", "").startswith("application/json")


class PreviewAdminMixin(ModelAdminMixin):
    """The story admin's previews: the Preview button's view, and the
    preview links of a story, made and revoked from its edit page."""

    def get_urls(self) -> list[Any]:
        def view(function: Any) -> Any:
            return self.admin_site.admin_view(function)

        return [
            path("preview/", view(self.preview_view), name="articles_story_preview_new"),
            path(
                "<path:object_id>/preview/", view(self.preview_view), name="articles_story_preview"
            ),
            path(
                "<path:object_id>/preview-links/",
                view(self.preview_link_create_view),
                name="articles_story_preview_links",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                view(self.preview_link_revoke_view),
                name="articles_story_preview_link_revoke",
            ),
            *super().get_urls(),
        ]

    @property
    def media(self) -> Any:
        return super().media + Media(js=[Script("admin-extra/preview-links.js", type="module")])

    def _story_or_404(self, request: HttpRequest, object_id: str) -> Story:
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404("No such story.")
        return story

    def preview_view(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        obj = self._story_or_404(request, object_id) if object_id else None
        if not may_preview(request.user, obj or Story()):
            raise PermissionDenied
        if request.method != "POST":
            # A preview is of the form: there is none to show without it.
            back = obj.get_absolute_url() if obj else reverse("admin:articles_story_add")
            return HttpResponseRedirect(back)
        preview = preview_from_form(self, request, obj)
        if preview.story is None:
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("The preview could not be made"),
                "errors": preview.errors,
                "opts": self.opts,
                "original": obj,
            }
            response = TemplateResponse(
                request, "admin/articles/story/preview_invalid.html", context, status=400
            )
            return private_page(response.render())
        context = story_context(preview.story, preview="unsaved")  # type: ignore[arg-type]
        # As readers will see it: in the story's language, not the editor's.
        with translation.override(preview.story.language):
            return private_page(render(request, "articles/story.html", context))

    def preview_links_context(self, request: HttpRequest, story: Story | None) -> dict[str, Any]:
        """What the edit page's "Share a preview" panel shows."""
        if story is None or story.pk is None or not may_preview(request.user, story):
            return {"can_share_preview": False}
        return {
            "can_share_preview": True,
            "preview_link_form": PreviewLinkForm(),
            "preview_links": list(story.preview_links.active().select_related("created_by")),
        }

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        story = context.get("original")
        context.update(self.preview_links_context(request, story))
        context["may_preview"] = may_preview(request.user, story or Story())
        if story is not None:
            context["preview_url"] = reverse("admin:articles_story_preview", args=[story.pk])
        else:
            context["preview_url"] = reverse("admin:articles_story_preview_new")
        return super().render_change_form(request, context, *args, **kwargs)

    def preview_link_create_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self._story_or_404(request, object_id)
        if not may_preview(request.user, story):
            raise PermissionDenied
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            errors = [f"{form[name].label}: {e}" for name, es in form.errors.items() for e in es]
            if _wants_json(request):
                return JsonResponse({"errors": errors}, status=400)
            for error in errors:
                messages.error(
                    request, gettext("No preview link made. %(error)s") % {"error": error}
                )
            return HttpResponseRedirect(reverse("admin:articles_story_change", args=[story.pk]))
        label, lifetime = LIFETIMES[form.cleaned_data["lifetime"]]
        link, token = create_preview_link(
            story=story, user=request.user, lifetime=lifetime, note=form.cleaned_data["note"]
        )
        url = request.build_absolute_uri(reverse("articles:shared_preview", args=[token]))
        if link.note:
            made = gettext("Made a preview link for %(lifetime)s, shared with %(note)s.")
        else:
            made = gettext("Made a preview link for %(lifetime)s.")
        self.log_change(request, story, made % {"lifetime": label, "note": link.note})
        if _wants_json(request):
            return private_page(JsonResponse(self._link_json(request, link) | {"url": url}))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Preview link made"),
            "opts": self.opts,
            "original": story,
            "link": link,
            "url": url,
            "lifetime": label,
        }
        response = TemplateResponse(
            request, "admin/articles/story/preview_link_created.html", context
        )
        return private_page(response.render())

    def _link_json(self, request: HttpRequest, link: PreviewLink) -> dict[str, Any]:
        expires = timezone.localtime(link.expires_at)
        return {
            "id": link.pk,
            "note": link.note,
            "created_by": link.created_by.get_username() if link.created_by else "",
            "expires": dateformat.format(expires, "d M Y, H:i"),
            "revoke_url": reverse(
                "admin:articles_story_preview_link_revoke", args=[link.story_id, link.pk]
            ),
        }

    def preview_link_revoke_view(
        self, request: HttpRequest, object_id: str, link_id: int
    ) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self._story_or_404(request, object_id)
        link = story.preview_links.filter(pk=link_id).first()
        if link is None:
            raise Http404("No such preview link.")
        # Whoever made a link may always revoke it, even once they may no
        # longer edit the story (a reporter's draft gone to review).
        mine = link.created_by_id is not None and link.created_by_id == request.user.pk
        if not (mine or may_preview(request.user, story)):
            raise PermissionDenied
        revoke_preview_link(link=link, user=request.user)
        if link.note:
            revoked = gettext("Revoked a preview link shared with %(note)s.")
        else:
            revoked = gettext("Revoked a preview link.")
        self.log_change(request, story, revoked % {"note": link.note})
        if _wants_json(request):
            return JsonResponse({"revoked": link.pk})
        messages.success(request, gettext("Preview link revoked: it no longer opens the story."))
        return HttpResponseRedirect(reverse("admin:articles_story_change", args=[story.pk]))

"""Corrections and updates: dated notes an editor appends to a story.

Notes are append-only. An editor (`articles.publish_story`) adds one from the
story's edit page; amends its text only with a reason, the earlier text kept
as a StoryNoteRevision; withdraws it only with a reason. Nobody deletes one,
nor a story that has one (the models refuse, and so does the admin). Readers
see them on the story page, with the story's "Updated" time, and on
/corrections/ (articles.views.corrections).

The writes are the services below; `StoryNoteInline` and `StoryNoteAdmin`
are their admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import caching, workflow
from articles.models import VIEW_UNPUBLISHED, Story, StoryNote, StoryNoteRevision
from newsroom.admin import ModelAdminMixin

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AbstractUser, AnonymousUser

    User = AbstractUser | AnonymousUser

# A format of django.utils.dateformat, month names in the admin's language: "02 Dec 2026, 14:02".
NOTE_TIME_FORMAT = "d M Y, H:i"


def note_time(value: datetime) -> str:
    """When something happened to a note, in the site's time zone."""
    return dateformat.format(timezone.localtime(value), NOTE_TIME_FORMAT)


def _check_editor(user: User) -> None:
    if not workflow.is_editor(user):
        raise ValidationError(_("Only an editor may correct a story."), code="not_editor")


def _touch(story_id: int, now: datetime) -> None:
    """The story changed for readers: its record says so (and the importer
    then leaves it alone as edited)."""
    Story.objects.filter(pk=story_id).update(updated_at=now)
    caching.story_changed(story_id)


@transaction.atomic
def add_note(*, story: Story, kind: str, text: str, user: User) -> StoryNote:
    """Append a correction or update note, dated now."""
    _check_editor(user)
    text = text.strip()
    if not text:
        raise ValidationError(_("A correction needs its text."), code="empty")
    now = timezone.now()
    note = StoryNote.objects.create(
        story=story, kind=kind, text=text, noted_at=now, created_by_id=user.pk
    )
    _touch(story.pk, now)
    return note


@transaction.atomic
def amend_note(*, note: StoryNote, text: str, reason: str, user: User) -> StoryNoteRevision:
    """Give `note` a new text, keeping the one it had and why it changed."""
    _check_editor(user)
    current = StoryNote.objects.select_for_update().get(pk=note.pk)
    text, reason = text.strip(), reason.strip()
    problems = []
    if current.is_withdrawn:
        problems.append(_("A withdrawn note stays as it was withdrawn."))
    if not text:
        problems.append(_("A correction needs its text."))
    elif text == current.text:
        problems.append(_("The text is unchanged."))
    if not reason:
        problems.append(_("Say why the note changes: readers were told something else."))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    revision = StoryNoteRevision.objects.create(
        note=current, text=current.text, reason=reason, edited_by_id=user.pk, edited_at=now
    )
    StoryNote.objects.filter(pk=note.pk).update(text=text, amended_at=now)
    _touch(current.story_id, now)
    return revision


@transaction.atomic
def withdraw_note(*, note: StoryNote, reason: str, user: User) -> None:
    """Withdraw `note`: readers see that it was, and why, no longer its text."""
    _check_editor(user)
    current = StoryNote.objects.select_for_update().get(pk=note.pk)
    reason = reason.strip()
    problems = []
    if current.is_withdrawn:
        problems.append(_("This note is withdrawn already."))
    if not reason:
        problems.append(_("Say why the note is withdrawn: readers are told."))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    StoryNote.objects.filter(pk=note.pk).update(
        withdrawn_at=now, withdrawn_by_id=user.pk, withdrawal_reason=reason
    )
    _touch(current.story_id, now)


def note_state(note: StoryNote) -> str:
    if note.withdrawn_at is not None:
        return gettext("Withdrawn on %(time)s: %(reason)s") % {
            "time": note_time(note.withdrawn_at),
            "reason": note.withdrawal_reason,
        }
    if note.amended_at is not None:
        return gettext("Amended on %(time)s") % {"time": note_time(note.amended_at)}
    return gettext("As first written")


# --- The admin ----------------------------------------------------------------


def _may_see_notes(request: HttpRequest, story: Story | None) -> bool:
    """The notes inline shows on a saved story's edit page: to editors, and
    to others who may see unpublished stories once it is past the draft
    (and so may have notes)."""
    if story is None or not request.user.has_perm(VIEW_UNPUBLISHED):
        return False
    return workflow.is_editor(request.user) or story.state != workflow.DRAFT


class StoryNoteInline(admin.TabularInline):
    """The story's notes on its edit page: those there read-only, a new one
    added by an editor. Amending and withdrawing go through StoryNoteAdmin."""

    model = StoryNote
    fields = ["kind", "text", "dated", "state", "manage"]
    readonly_fields = ["dated", "state", "manage"]
    extra = 1
    verbose_name = _("correction or update")
    verbose_name_plural = _("corrections and updates (shown to readers, dated, never deleted)")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

    # Whether the page is an editor's (the admin makes inlines afresh for
    # each request, so this is the request's own).
    for_editor = False

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        self.for_editor = workflow.is_editor(request.user)
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request: HttpRequest) -> Any:
        # Not the inline's own, which asks has_view_permission without a story
        # (so, here, no): the page showing the inline has asked with one.
        if not request.user.has_perm(VIEW_UNPUBLISHED):
            return StoryNote.objects.none()
        return StoryNote.objects.order_by("noted_at", "pk")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_see_notes(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and workflow.is_editor(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Dated"))
    def dated(self, note: StoryNote) -> str:
        if note.pk is None:
            return gettext("when saved")
        return note_time(note.noted_at)

    @admin.display(description=_("State"))
    def state(self, note: StoryNote) -> str:
        return "—" if note.pk is None else note_state(note)

    @admin.display(description="")
    def manage(self, note: StoryNote) -> str:
        if note.pk is None:
            return ""
        url = reverse("admin:articles_storynote_change", args=[note.pk])
        changeable = self.for_editor and not note.is_withdrawn
        label = gettext("Amend or withdraw…") if changeable else gettext("History…")
        return format_html('<a href="{}">{}</a>', url, label)


class CorrectionsAdminMixin(ModelAdminMixin):
    """The story admin's part: notes added from the edit page go through
    `add_note`, never a plain save."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not StoryNote:
            super().save_formset(request, form, formset, change)
            return
        added = []
        for note_form in formset.extra_forms:
            data = getattr(note_form, "cleaned_data", None)
            if note_form.has_changed() and data and data.get("text"):
                note = add_note(
                    story=form.instance, kind=data["kind"], text=data["text"], user=request.user
                )
                added.append(note)
        # What construct_change_message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], []


class NoteChangeForm(forms.ModelForm):
    """Amend the text, or withdraw: either way, with a reason."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Recorded with the change; for a withdrawal, readers see it."),
    )
    withdraw = forms.BooleanField(
        required=False,
        label=_("Withdraw this note"),
        help_text=_("Readers then see that it was withdrawn and why, no longer its text."),
    )

    class Meta:
        model = StoryNote
        fields = ["text"]
        labels = {"text": _("Text")}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.instance.is_withdrawn:
            raise ValidationError(_("This note is withdrawn: it stays as it was withdrawn."))
        if not data.get("withdraw") and data.get("text", "").strip() == self.instance_text:
            raise ValidationError(_("Change the text, or tick “Withdraw this note”."))
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance_text = self.instance.text


class StoryNoteAdmin(admin.ModelAdmin):
    """Every note, newest first, for editors to find one and amend or withdraw it."""

    form = NoteChangeForm
    list_display = ["__str__", "story", "kind", "state"]
    list_filter = ["kind"]
    list_select_related = ["story"]
    search_fields = ["story__headline", "text"]
    ordering = ["-noted_at", "-pk"]
    readonly_fields = ["story_link", "kind", "dated", "state", "earlier_texts"]
    fields = ["story_link", "kind", "dated", "state", "text", "earlier_texts", "reason", "withdraw"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("story").prefetch_related("revisions")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_UNPUBLISHED)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # notes are added from their story's edit page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return workflow.is_editor(request.user) and not (obj is not None and obj.is_withdrawn)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and self.has_change_permission(request, obj):
            return self.fields
        return [name for name in self.fields if name not in ("reason", "withdraw")]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if data["withdraw"]:
            withdraw_note(note=obj, reason=data["reason"], user=request.user)
        else:
            amend_note(note=obj, text=data["text"], reason=data["reason"], user=request.user)

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        obj.refresh_from_db()
        messages.success(request, NOTE_CHANGED[obj.kind, obj.is_withdrawn])
        return HttpResponseRedirect(reverse("admin:articles_story_change", args=[obj.story_id]))

    @admin.display(description=_("Story"))
    def story_link(self, note: StoryNote) -> str:
        url = reverse("admin:articles_story_change", args=[note.story_id])
        return format_html('<a href="{}">{}</a>', url, note.story.headline)

    @admin.display(description=_("Dated"))
    def dated(self, note: StoryNote) -> str:
        return note_time(note.noted_at)

    @admin.display(description=_("State"))
    def state(self, note: StoryNote) -> str:
        return note_state(note)

    @admin.display(description=_("Earlier texts"))
    def earlier_texts(self, note: StoryNote) -> str:
        revisions = note.revisions.all()
        if not revisions:
            return gettext("None: the text is as first written.")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        format_html(
                            gettext("{text} — changed {time} because: {reason}"),
                            text=format_html("<q>{}</q>", r.text),
                            time=note_time(r.edited_at),
                            reason=r.reason,
                        ),
                    )
                    for r in revisions
                ),
            ),
        )


# What the editor is told once a note is amended or withdrawn, by (kind, withdrawn).
NOTE_CHANGED = {
    (StoryNote.Kind.CORRECTION, False): _("The correction is amended."),
    (StoryNote.Kind.CORRECTION, True): _("The correction is withdrawn."),
    (StoryNote.Kind.UPDATE, False): _("The update is amended."),
    (StoryNote.Kind.UPDATE, True): _("The update is withdrawn."),
}

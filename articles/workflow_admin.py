"""The story admin's side of the editorial workflow (articles.workflow).

- Who may change what, decided on the server: a reporter gets the read-only
  view of a story they may not edit (another's, or their own once
  submitted), only editors delete, and the publication date, embargo and
  assigned editor are editors' fields.
- The edit page offers the actions the user may take in the story's state
  as buttons instead of a status menu. The content is saved first; then the
  chosen action goes through `workflow.apply`, and when it is refused the
  page says every reason at once and the content stays saved. Whatever the
  button, the user lands back on the story's page, which shows its new
  state and the actions open from there.
- The story's transitions, as a table on its page; its state, assigned and
  last editor in the list, with "state" and "mine" filters.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import SCHEDULED, Story
from articles.workflow import Action

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin
    from django.contrib.admin.options import InlineModelAdmin

    ModelAdminBase = ModelAdmin[Story]
    InlineBase = InlineModelAdmin[Any, Story]
else:
    ModelAdminBase = InlineBase = object

# The request's fields that carry the chosen action and its inputs.
ACTION_FIELD = "_action"
PUBLISH_AT_FIELD = "_publish_at"
NOTE_FIELD = "_note"

# Fields only editors set: a reporter sees them read-only, and a value a
# reporter's hand-made request carries for them is not part of their form.
EDITOR_FIELDS = ("published_at", "embargo_until", "assigned_editor")

DONE = {
    Action.SAVE: _("Saved “%(story)s”."),
    Action.SUBMIT: _("Saved “%(story)s” and submitted it for review."),
    Action.RETURN: _("Saved “%(story)s” and returned it to draft."),
    Action.PUBLISH: _("Saved and published “%(story)s”."),
    Action.SCHEDULE: _("Saved “%(story)s” and scheduled it for %(when)s."),
    Action.UNPUBLISH: _("Saved “%(story)s” and unpublished it."),
}
# Each followed by the reasons: "Not published: publishing needs a standfirst."
NOT_DONE = {
    Action.SAVE: _("Not saved: %(reasons)s."),
    Action.SUBMIT: _("Not submitted for review: %(reasons)s."),
    Action.RETURN: _("Not returned to draft: %(reasons)s."),
    Action.PUBLISH: _("Not published: %(reasons)s."),
    Action.SCHEDULE: _("Not scheduled: %(reasons)s."),
    Action.UNPUBLISH: _("Not unpublished: %(reasons)s."),
}

# "Thursday, 3 December 2026, 14:00" (a format of django.utils.dateformat:
# a language may want its month in another case).
WHEN_FORMAT = pgettext_lazy("date and time format", "l, j F Y, H:i")
SHORT_WHEN_FORMAT = "j M Y, H:i"


def when(value: datetime, fmt: str | None = None) -> str:
    """A time as editors read it (by default as WHEN_FORMAT), in the site's
    time zone, which it names."""
    local = timezone.localtime(value)
    return f"{dateformat.format(local, fmt or str(WHEN_FORMAT))} {local.tzname()}"


def person(user: Any) -> str:
    """A user as the newsroom calls them: their name, or their username."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def editors() -> Any:
    """Active staff who may publish: those a story can be assigned to."""
    may_publish = Q(is_superuser=True)
    for via in ("user_permissions", "groups__permissions"):
        may_publish |= Q(
            **{
                f"{via}__codename": "publish_story",
                f"{via}__content_type__app_label": "articles",
            }
        )
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return users.filter(pk__in=users.filter(may_publish).values("pk")).order_by("username")


def state_summary(story: Story) -> str:
    """The story's state in words, with the time that matters for it."""
    label = workflow.state_label(story.state)
    if story.state == SCHEDULED:
        assert story.published_at is not None
        label = gettext("%(state)s for %(time)s") % {
            "state": label,
            "time": when(story.published_at),
        }
    if story.embargo_until is not None and story.embargo_until > timezone.now():
        label = gettext("%(state)s; embargoed until %(time)s") % {
            "state": label,
            "time": when(story.embargo_until),
        }
    return label


class EditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person(obj)


class PublicationDateForm(forms.ModelForm):
    """An editor corrects a dateline with the publication date field, but
    schedules and publishes only with the actions, which are recorded."""

    def clean_published_at(self) -> datetime | None:
        value = self.cleaned_data.get("published_at")
        story: Story = self.instance
        old = story.published_at if story.pk is not None else None
        if _same_second(value, old):
            return value
        if story.pk is not None and story.state == SCHEDULED:
            raise ValidationError(
                _(
                    "The story is scheduled: choose its new time with “Schedule…”, "
                    "or publish it with “Publish now”."
                ),
                code="scheduled",
            )
        if value is None and story.status == Story.Status.PUBLISHED:
            raise ValidationError(
                _("A published story needs its publication date."), code="required"
            )
        if value is not None and value > timezone.now():
            raise ValidationError(
                _(
                    "A publication date in the future would schedule the story: "
                    "use “Schedule…” below to choose the time."
                ),
                code="future",
            )
        return value


def _same_second(a: datetime | None, b: datetime | None) -> bool:
    # The form shows whole seconds; the stored time may have microseconds.
    if a is None or b is None:
        return a is b
    return a.replace(microsecond=0) == b.replace(microsecond=0)


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(workflow.STATE_LABELS.items())

    def queryset(self, request, queryset):
        value = self.value()
        now = timezone.now()
        if value is None:
            return queryset
        if value == SCHEDULED:
            return queryset.scheduled()
        if value == Story.Status.PUBLISHED:
            return queryset.filter(status=value, published_at__lte=now)
        if value in workflow.STATE_LABELS:
            return queryset.filter(status=value)
        return queryset.none()


class MineFilter(admin.SimpleListFilter):
    title = _("whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Mine (written or assigned to me)"))]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() != "1":
            return queryset.none()
        return queryset.filter(Q(created_by=request.user) | Q(assigned_editor=request.user))


class EditableStoryInlineMixin(InlineBase):
    """A story's inline rows are changed only by those who may change the story."""

    def _story_editable(self, request, obj) -> bool:
        return obj is None or workflow.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):  # type: ignore[override]
        return self._story_editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._story_editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._story_editable(request, obj) and super().has_delete_permission(request, obj)


class WorkflowAdminMixin(ModelAdminBase):
    """StoryAdmin's roles, action buttons, history and list columns (see the module)."""

    workflow_readonly_fields = ("workflow_state", "created_by", "last_edited_by", "history")

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin-extra/workflow.css"]})

    def get_queryset(self, request):
        users = ("created_by", "assigned_editor", "last_edited_by")
        return super().get_queryset(request).select_related(*users)

    # --- Who may do what ---------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.workflow_readonly_fields]
        if not workflow.is_editor(request.user):
            fields += EDITOR_FIELDS
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:  # a new story has no history
            return fieldsets
        return [*fieldsets, (_("Editorial history"), {"fields": ["history"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", self.form)
        kwargs["form"] = type(f"Publication{base.__name__}", (PublicationDateForm, base), {})
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_editor":
            kwargs |= {"queryset": editors(), "form_class": EditorChoiceField}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        super().save_model(request, obj, form, change)

    # --- The action buttons ------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        story = obj if obj is not None else Story()
        allowed = workflow.allowed_actions(request.user, story)
        if obj is not None and not self.has_change_permission(request, obj):
            allowed = []
        context["workflow_actions"] = [
            {"value": action.value, "label": workflow.label(action, story)} for action in allowed
        ]
        scheduled = obj is not None and obj.state == SCHEDULED and obj.published_at
        context["workflow_schedule"] = {
            "value": _local_input(obj.published_at) if scheduled else "",
            "min": _local_input(timezone.now()),
            "zone": timezone.get_current_timezone_name(),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self.take_action(request, obj)
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self._back_to_story(request, obj)

    def response_change(self, request, obj):
        self.take_action(request, obj)
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        return self._back_to_story(request, obj)

    def take_action(self, request, story: Story) -> bool:
        """The chosen action on the saved story, reported; False if refused."""
        name = request.POST.get(ACTION_FIELD) or Action.SAVE.value
        try:
            action = Action(name)
        except ValueError:
            self.message_user(request, DONE[Action.SAVE] % {"story": story})
            self.message_user(
                request,
                gettext("Nothing else was done: “%(name)s” is not an action.") % {"name": name},
                messages.ERROR,
            )
            return False
        publish_at, reasons = self._publication_time(request, action)
        try:
            if reasons:
                raise workflow.TransitionRefused(reasons)
            workflow.apply(
                story=story,
                action=action,
                user=request.user,
                publish_at=publish_at,
                note=request.POST.get(NOTE_FIELD, "").strip() if action is Action.RETURN else "",
            )
        except workflow.TransitionRefused as refusal:
            self.message_user(request, DONE[Action.SAVE] % {"story": story})
            self.message_user(
                request,
                NOT_DONE[action] % {"reasons": "; ".join(refusal.reasons)},
                messages.WARNING,
            )
            return False
        scheduled = when(story.published_at) if story.published_at else ""
        self.message_user(
            request, DONE[action] % {"story": story, "when": scheduled}, messages.SUCCESS
        )
        return True

    def _publication_time(self, request, action: Action) -> tuple[datetime | None, list[str]]:
        """The time a schedule asks for, and what is wrong with it if it is no time."""
        if action is not Action.SCHEDULE:
            return None, []
        raw = request.POST.get(PUBLISH_AT_FIELD, "").strip()
        try:
            return forms.DateTimeField(required=False).clean(raw), []
        except ValidationError:
            message = gettext("the publication time “%(time)s” is not a date and time")
            return None, [message % {"time": raw}]

    def _back_to_story(self, request, story: Story) -> HttpResponseRedirect:
        opts = self.opts
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[story.pk],
            current_app=self.admin_site.name,
        )
        preserved: Any = {"preserved_filters": self.get_preserved_filters(request), "opts": opts}
        return HttpResponseRedirect(add_preserved_filters(preserved, url))

    # --- What the pages show -----------------------------------------------

    def changelist_view(self, request, extra_context=None):
        # The list's columns need the width at 1280 px: the app menu beside
        # it repeats the breadcrumbs, so this page goes without it.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("State"))
    def workflow_state(self, story: Story) -> str:
        if story.pk is None:
            return gettext("Draft (not saved yet)")
        return state_summary(story)

    @admin.display(description=_("Transitions"))
    def history(self, story: Story) -> str:
        rows = [] if story.pk is None else story.transitions.select_related("user")
        return render_to_string(
            "admin/articles/story/includes/workflow_history.html",
            {"transitions": [_history_row(t) for t in rows]},
        )

    @admin.display(description=_("State"), ordering="published_at")
    def state_column(self, story: Story) -> str:
        state = story.state
        label = workflow.state_label(state)
        if story.published_at is None or state in (workflow.DRAFT, workflow.IN_REVIEW):
            return label
        local = timezone.localtime(story.published_at)
        return format_html(
            '{}<span class="story-state-time">{}</span>',
            label,
            dateformat.format(local, SHORT_WHEN_FORMAT),
        )

    @admin.display(description=_("Editor"), ordering="assigned_editor__username")
    def assigned_editor_name(self, story: Story) -> str:
        return person(story.assigned_editor)

    @admin.display(description=_("Last edited by"), ordering="last_edited_by__username")
    def last_edited_by_name(self, story: Story) -> str:
        return person(story.last_edited_by)


def _local_input(value: datetime) -> str:
    """A time as a datetime-local input's value, in the site's time zone."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _history_row(transition: Any) -> dict[str, str]:
    return {
        "at": when(transition.at, SHORT_WHEN_FORMAT),
        "who": person(transition.user),
        "change": f"{workflow.state_label(transition.from_state)} → "
        f"{workflow.state_label(transition.to_state)}",
        "publish_at": when(transition.publish_at, SHORT_WHEN_FORMAT)
        if transition.publish_at
        else "",
        "note": transition.note,
    }

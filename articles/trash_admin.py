"""The story admin's trash (articles.trash): deleting moves a story there.

The admin's delete, on a story's page or of the selected stories, moves the
stories to the trash instead of deleting them. Editors see the trash as a
filter of the story list, with who moved each story there and when, and
restore stories from it, one by one or selected. Every other admin page,
autocompletes included, shows only stories out of the trash.
"""

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import trash, workflow
from articles.models import TRASH_DAYS, Story

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    ModelAdminBase = ModelAdmin[Story]
else:
    ModelAdminBase = object

TRASH_PARAMETER = "trash"


class TrashFilter(admin.SimpleListFilter):
    """Switches the list between the stories and the trash (TrashAdminMixin.get_queryset)."""

    title = _("trash")
    parameter_name = TRASH_PARAMETER

    def lookups(self, request, model_admin):
        return [("1", _("Trash"))]

    def queryset(self, request, queryset):
        return queryset

    def choices(self, changelist):
        in_trash = self.value() == "1"
        yield {
            "selected": not in_trash,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": gettext("Stories"),
        }
        yield {
            "selected": in_trash,
            "query_string": changelist.get_query_string({self.parameter_name: "1"}),
            "display": gettext("Trash (restorable for %(days)d days)") % {"days": TRASH_DAYS},
        }


class TrashAdminMixin(ModelAdminBase):
    trash_columns = [
        "headline",
        "trashed_state",
        "deleted_at",
        "trashed_by",
        "purged_on",
        "restore",
    ]
    delete_confirmation_template = "admin/articles/story/delete_confirmation.html"

    def showing_trash(self, request) -> bool:
        """Whether this request is an editor's look at the trash."""
        match = request.resolver_match
        return (
            match is not None
            and match.url_name == f"{self.opts.app_label}_{self.opts.model_name}_changelist"
            and request.GET.get(TRASH_PARAMETER) == "1"
            and workflow.is_editor(request.user)
        )

    def get_queryset(self, request):
        stories: Any = super().get_queryset(request)
        if self.showing_trash(request):
            return stories.trashed().select_related("deleted_by").order_by("-deleted_at", "-pk")
        return stories.live()

    def get_list_filter(self, request):
        # First: it switches what the whole list is of.
        filters = list(super().get_list_filter(request))
        return [TrashFilter, *filters] if workflow.is_editor(request.user) else filters

    def get_list_display(self, request):
        if self.showing_trash(request):
            return self.trash_columns
        return super().get_list_display(request)

    def get_list_display_links(self, request, list_display):
        # A trashed story has no edit page until it is restored.
        if self.showing_trash(request):
            return None
        return super().get_list_display_links(request, list_display)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.showing_trash(request):
            return {"restore_selected": self.get_action("restore_selected")}
        if "delete_selected" in actions:
            actions["delete_selected"] = self.get_action("delete_selected")
        return actions

    def get_urls(self):
        restore = self.admin_site.admin_view(require_POST(self.restore_view))
        name = f"{self.opts.app_label}_{self.opts.model_name}_restore"
        return [path("<path:object_id>/restore/", restore, name=name), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if self.showing_trash(request):
            title = gettext("Stories in the trash: an editor restores them for %(days)d days") % {
                "days": TRASH_DAYS
            }
            extra_context = {"title": title, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    # --- Into the trash ----------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {"trash_days": TRASH_DAYS, **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted: the stories alone move, their rows intact.
        stories = list(objs)
        return [str(story) for story in stories], {"stories": len(stories)}, set(), []

    def log_deletions(self, request, queryset):
        self._log(request, queryset, gettext("Moved to the trash."))

    def delete_model(self, request, obj):
        trash.move_to_trash(stories=Story.objects.filter(pk=obj.pk), user=request.user)

    def delete_queryset(self, request, queryset):
        trash.move_to_trash(stories=queryset, user=request.user)

    def response_delete(self, request, obj_display, obj_id):
        message = gettext(
            "Moved “%(story)s” to the trash; an editor can restore it for %(days)d days."
        )
        self.message_user(
            request, message % {"story": obj_display, "days": TRASH_DAYS}, messages.SUCCESS
        )
        changelist = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(changelist)

    @admin.action(description=_("Move selected stories to the trash"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        if not request.POST.get("post"):
            confirmation: Any = django_delete_selected(self, request, queryset)
            if confirmation is not None:
                confirmation.context_data["trash_days"] = TRASH_DAYS
            return confirmation
        stories = list(queryset)
        self.log_deletions(request, stories)
        moved = trash.move_to_trash(stories=queryset, user=request.user)
        message = ngettext(
            "Moved %(count)d story to the trash; an editor can restore it for %(days)d days.",
            "Moved %(count)d stories to the trash; an editor can restore them for %(days)d days.",
            len(moved),
        )
        self.message_user(
            request, message % {"count": len(moved), "days": TRASH_DAYS}, messages.SUCCESS
        )
        return None

    # --- Out of the trash --------------------------------------------------

    def has_restore_permission(self, request) -> bool:
        return workflow.is_editor(request.user)

    @admin.action(description=_("Restore selected stories"), permissions=["restore"])
    def restore_selected(self, request, queryset):
        self._restore(request, queryset)

    def restore_view(self, request, object_id):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        story = get_object_or_404(Story.objects.trashed(), pk=_integer(object_id))
        self._restore(request, Story.objects.filter(pk=story.pk))
        trash_list = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(f"{trash_list}?{TRASH_PARAMETER}=1")

    def _restore(self, request, queryset) -> None:
        restored = trash.restore(stories=queryset)
        self._log(request, restored, gettext("Restored from the trash."))
        for story in restored:
            self.message_user(request, _restored_message(story), messages.SUCCESS)

    def _log(self, request, stories, message: str) -> None:
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=stories,
            action_flag=CHANGE,
            change_message=message,
        )

    # --- The trash's columns -----------------------------------------------

    @admin.display(description=_("State it keeps"))
    def trashed_state(self, story: Story) -> str:
        return workflow.state_label(story.state)

    @admin.display(description=_("Moved there by"))
    def trashed_by(self, story: Story) -> str:
        user: Any = story.deleted_by
        return "—" if user is None else (user.get_full_name() or user.get_username())

    @admin.display(description=_("Deleted for good on"))
    def purged_on(self, story: Story) -> Any:
        assert story.deleted_at is not None
        return (story.deleted_at + timedelta(days=TRASH_DAYS)).date()

    @admin.display(description="")
    def restore(self, story: Story) -> str:
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_restore",
            args=[story.pk],
            current_app=self.admin_site.name,
        )
        # The list is one form: this button sends it to the story's restore address.
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
            url,
            gettext("Restore"),
        )


def _integer(value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise Http404("No such story in the trash.")
    return int(value)


def _restored_message(story: Story) -> str:
    """What restoring `story` (as it was in the trash) did."""
    when = story.published_at
    if story.deleted_at is not None and when is not None and story.deleted_at < when:
        if story.status == Story.Status.PUBLISHED and when <= timezone.now():
            message = gettext(
                "Restored “%(story)s”: its scheduled time passed while it was in the trash, "
                "so readers see it now."
            )
            return message % {"story": story}
    return gettext("Restored “%(story)s”, %(state)s as before.") % {
        "story": story,
        "state": workflow.state_label(story.state).lower(),
    }

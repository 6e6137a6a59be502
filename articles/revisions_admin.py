"""The story edit page's side of revisions, autosave, presence and concurrency.

`RevisionsAdminMixin` goes first in StoryAdmin's bases. It adds:

- to the edit form, a hidden `version`: the story's version the form was
  loaded at. Saving claims the next version (articles.concurrency); a form
  from an older version is refused, re-rendered with the user's text as
  they posted it, a message naming who changed the story when, and a diff
  of their changes (articles.revisions.changes_since);
- a revision after every explicit save (articles.revisions), and the story's
  History page: every revision with who and when, any two compared, any one
  restored by someone who may edit the story;
- `autosave/` (GET, POST, DELETE): the user's working copy of the story, or
  of a new one (articles.autosave); `?restore=autosave` on the edit page
  renders the form bound to it;
- `presence/` (POST): the heartbeat behind "Dana has had this story open
  since 14:02" (articles.presence).

The page's script is static/admin-extra/story-editing.js; its pieces of
template are in templates/admin/articles/story/includes/.
"""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext

from articles import autosave, presence, revisions, workflow
from articles.concurrency import ConcurrentSave, claim_version
from articles.models import StoryRevision
from articles.snapshots import Snapshot, compare
from newsroom.admin import ModelAdminMixin

# The request attribute that carries a working copy being restored.
RESTORING = "_restoring_working_copy"


class VersionedStoryForm(forms.ModelForm):
    """An edit form that knows the story version it was loaded at, and is
    refused when the story has moved on since."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    restored_data = None  # a working copy to bind to instead of the stored story
    conflict = None  # a revisions.Conflict once a stale save was refused
    started_from = None  # the version a valid save claims from

    def __init__(self, *args, **kwargs):
        if not args and kwargs.get("data") is None and self.restored_data is not None:
            kwargs["data"] = self.restored_data
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["version"] = str(self.instance.version)

    def clean(self):
        cleaned = super().clean()
        story = self.instance
        if story.pk is None:
            return cleaned
        posted = autosave.version_posted(self.data)
        if posted is None or posted > story.version:
            raise ValidationError(
                gettext(
                    "This form does not say which version of the story it was loaded at, so "
                    "saving it could overwrite someone else's changes. Copy your changes, "
                    "reload the page and make them again."
                ),
                code="no_version",
            )
        if posted != story.version:
            self.conflict = revisions.changes_since(story, posted)
            # The next save starts from what the user has now been shown.
            self.data = data = cast(QueryDict, self.data).copy()
            data["version"] = str(story.version)
            raise ValidationError(conflict_message(self.conflict), code="stale")
        self.started_from = posted
        return cleaned


def conflict_message(conflict):
    changes = "; ".join(change.text for change in conflict.changes)
    if changes:
        message = gettext(
            "Not saved: this story was changed after you opened it: %(changes)s. Their "
            "changes are shown below, then your version as you left it: merge what you "
            "want to keep, then save again."
        )
    else:
        message = gettext(
            "Not saved: this story was changed after you opened it. Their changes are "
            "shown below, then your version as you left it: merge what you want to keep, "
            "then save again."
        )
    return message % {"changes": changes}


class RevisionsAdminMixin(ModelAdminMixin):
    # --- the edit form and its saves -------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {"restored_data": getattr(request, RESTORING, None), "__module__": __name__}
        return type(f"Versioned{form.__name__}", (VersionedStoryForm, form), attrs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        restored = getattr(request, RESTORING, None)
        if restored is not None and request.method != "POST":
            kwargs["data"] = restored
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and request.GET.get("restore") == "autosave":
            self._restore_working_copy(request, object_id)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentSave:
            # Another save won the race after this one was validated; its
            # transaction is rolled back. Run again: the form now sees the
            # newer version and is refused with what changed.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            if not claim_version(obj, form.started_from):
                raise ConcurrentSave
            revisions.record_baseline(story_id=obj.pk, version=form.started_from)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The admin logs other things about a story too (a preview link made):
        # only the log entry of a saved form is a revision.
        request._story_form_saved = True

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if getattr(request, "_story_form_saved", False):
            message = entry.get_change_message() or gettext("Created")
            self._record_save(request, obj, message, new=True)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(request, "_story_form_saved", False):
            message = entry.get_change_message() or gettext("Saved")
            self._record_save(request, obj, message, new=False)
        return entry

    def _record_save(self, request, story, comment, *, new):
        """After the story and its inlines are saved: keep a revision, drop the working copy."""
        revisions.record(story=story, user=request.user, comment=comment)
        autosave.discard(request.user, None if new else story)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["story_editing"] = self._editing_context(request, obj, context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _editing_context(self, request, story, context):
        """What the notices above the form need; reads the cache, never the database."""
        adminform = context.get("adminform")
        editing = {
            "restored": getattr(request, RESTORING, None) is not None,
            "conflict": getattr(adminform.form, "conflict", None) if adminform else None,
            "heartbeat": presence.HEARTBEAT,
        }
        if story is None:
            editing["autosave_url"] = reverse("admin:articles_story_autosave_new")
            return editing
        presence.beat(story_id=story.pk, user=request.user)
        editing |= {
            "autosave_url": reverse("admin:articles_story_autosave", args=[story.pk]),
            "presence_url": reverse("admin:articles_story_presence", args=[story.pk]),
            "visitors": presence.visitors(story.pk, besides=request.user),
            "can_edit": workflow.can_edit(request.user, story),
        }
        return editing

    def _restore_working_copy(self, request, object_id):
        story = self._story_or_none(request, object_id) if object_id else None
        if object_id and story is None:
            return
        copy = autosave.working_copy(request.user, story)
        if copy is None:
            messages.warning(request, gettext("There are no unsaved changes to restore."))
            return
        setattr(request, RESTORING, autosave.as_form_data(copy))
        message = gettext(
            "Restored your unsaved changes from %(time)s. "
            "They are not saved yet: save the story to keep them."
        )
        messages.info(request, message % {"time": presence.clock_label(copy.saved_at)})

    def _story_or_none(self, request, object_id):
        return self.get_object(request, unquote(str(object_id)))

    # --- URLs --------------------------------------------------------------------

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("autosave/", view(self.autosave_view), name="articles_story_autosave_new"),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_story_autosave",
            ),
            path(
                "<path:object_id>/presence/",
                view(self.presence_view),
                name="articles_story_presence",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.revision_compare_view),
                name="articles_story_revision_compare",
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.revision_restore_view),
                name="articles_story_revision_restore",
            ),
            *super().get_urls(),
        ]

    # --- autosave and presence ---------------------------------------------------

    def autosave_view(self, request, object_id=None):
        """GET: the user's working copy, if any; POST: replace it with the
        posted form; DELETE: discard it. JSON, for story-editing.js."""
        if request.method not in ("GET", "POST", "DELETE"):
            return HttpResponseNotAllowed(["GET", "POST", "DELETE"])
        story = None
        if object_id is not None:
            story = self._story_or_none(request, object_id)
            if story is None:
                return JsonResponse({"error": gettext("There is no such story.")}, status=404)
            if not (
                self.has_change_permission(request, story)
                and workflow.can_edit(request.user, story)
            ):
                return JsonResponse({"error": gettext("You may not edit this story.")}, status=403)
        elif not self.has_add_permission(request):
            return JsonResponse({"error": gettext("You may not add stories.")}, status=403)
        if request.method == "DELETE":
            autosave.discard(request.user, story)
            return JsonResponse({"working_copy": None})
        if request.method == "POST":
            fields = autosave.kept_fields(request.POST, self._form_shape(request, story))
            version = autosave.version_posted(request.POST)
            autosave.save(user=request.user, story=story, fields=fields, base_version=version)
        copy = autosave.working_copy(request.user, story)
        return JsonResponse({"working_copy": self._working_copy_json(request, copy, story)})

    def _form_shape(self, request, story):
        fields = flatten_fieldsets(self.get_fieldsets(request, story))
        form = self.get_form(request, story, change=story is not None, fields=fields)
        prefixes = [
            inline.get_formset(request, story).get_default_prefix()
            for inline in self.get_inline_instances(request, story)
        ]
        return autosave.FormShape(fields=set(form.base_fields), inline_prefixes=prefixes)

    def _working_copy_json(self, request, copy, story):
        if copy is None:
            return None
        if story is None:
            page = reverse("admin:articles_story_add")
        else:
            page = reverse("admin:articles_story_change", args=[story.pk])
        return {
            "saved_at": copy.saved_at.isoformat(),
            "label": presence.clock_label(copy.saved_at),
            "restore_url": f"{page}?restore=autosave",
            "stale": story is not None
            and copy.base_version is not None
            and copy.base_version != story.version,
        }

    def presence_view(self, request, object_id):
        """POST: a heartbeat (`unsaved=1` while the page has unsaved changes,
        `leave=1` when it closes). Answers who else has the story open, and
        what was saved since the page's `version`."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self._story_or_none(request, object_id)
        if story is None:
            return JsonResponse({"error": gettext("There is no such story.")}, status=404)
        if not self.has_view_or_change_permission(request, story):
            return JsonResponse({"error": gettext("You may not see this story.")}, status=403)
        if request.POST.get("leave") == "1":
            presence.leave(story_id=story.pk, user=request.user)
            return JsonResponse({"others": []})
        presence.beat(
            story_id=story.pk, user=request.user, unsaved=request.POST.get("unsaved") == "1"
        )
        others = presence.visitors(story.pk, besides=request.user)
        answer = {"others": [v.as_json() for v in others], "version": story.version, "changes": []}
        loaded = autosave.version_posted(request.POST)
        if loaded is not None and loaded < story.version:
            answer["changes"] = [c.text for c in revisions.changes_after(story, loaded)]
        return JsonResponse(answer)

    # --- history, compare, restore -----------------------------------------------

    def _viewable_story(self, request, object_id):
        story = self._story_or_none(request, object_id)
        if story is None:
            raise Http404("There is no such story.")
        if not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        return story

    def _page_context(self, request, story, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": story,
            "title": title,
            "subtitle": str(story),
            "can_restore": self.has_change_permission(request, story)
            and workflow.can_edit(request.user, story),
        }

    def history_view(self, request, object_id, extra_context=None):
        """The story's revisions, newest first, and its editorial steps."""
        story = self._story_or_none(request, object_id)
        if story is None:
            # As Django's own history page: a story gone (or in the trash)
            # sends the editor back to the admin with a message.
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        if not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        history = revisions.history(story)
        context = self._page_context(request, story, gettext("History")) | {
            # Each with the one before it, for its "Changes" link.
            "revisions": list(zip(history, [*history[1:], None], strict=True)),
            "transitions": _with_change(story.transitions.select_related("user")[:50]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/story/revision_history.html", context)

    def revision_compare_view(self, request, object_id):
        """Two revisions of the story, `a` (older) and `b` (newer), as a readable diff."""
        story = self._viewable_story(request, object_id)
        chosen = self._revisions(story, request.GET.get("a"), request.GET.get("b"))
        if chosen is None:
            messages.error(request, gettext("Choose two revisions of this story to compare."))
            return redirect("admin:articles_story_history", story.pk)
        old, new = sorted(chosen, key=lambda r: r.version)
        context = self._page_context(request, story, gettext("Compare revisions")) | {
            "old": old,
            "new": new,
            "old_saved": _saved_label(old),
            "new_saved": _saved_label(new),
            "current": revisions.latest_revision(story.pk),
            "comparison": compare(revisions.snapshot_of(old), revisions.snapshot_of(new)),
        }
        return TemplateResponse(request, "admin/articles/story/revision_compare.html", context)

    def _revisions(self, story, *ids):
        if not all(value and value.isascii() and value.isdigit() for value in ids):
            return None
        found = list(
            StoryRevision.objects.filter(story=story, pk__in=ids).select_related("revision__user")
        )
        return found if len(found) == len(set(ids)) == 2 else None

    def revision_restore_view(self, request, object_id, revision_id):
        """GET: what restoring the revision would change; POST: restore it."""
        story = self._viewable_story(request, object_id)
        revision = (
            StoryRevision.objects.filter(story=story, pk=revision_id)
            .select_related("revision__user")
            .first()
        )
        if revision is None:
            raise Http404("This story has no such revision.")
        if not self._page_context(request, story, "")["can_restore"]:
            raise PermissionDenied
        if request.method == "POST":
            restored = revisions.restore(story=story, revision=revision, user=request.user)
            messages.success(
                request,
                gettext("Restored version %(version)s as a new revision.")
                % {"version": restored.version},
            )
            for line in restored.left_out:
                messages.warning(request, gettext("Not restored: %(what)s.") % {"what": line})
            return redirect("admin:articles_story_history", story.pk)
        context = self._page_context(request, story, gettext("Restore a revision")) | {
            "revision": revision,
            "comparison": compare(Snapshot.from_story(story), revisions.snapshot_of(revision)),
        }
        return TemplateResponse(request, "admin/articles/story/revision_restore.html", context)


def _with_change(transitions):
    """The transitions, each with its `change` in words: "Draft → In review"."""
    transitions = list(transitions)
    for step in transitions:
        step.change = (
            f"{workflow.state_label(step.from_state)} → {workflow.state_label(step.to_state)}"
        )
    return transitions


def _saved_label(story_revision):
    """When a revision was saved, and by whom if anyone: "3 Dec 2026, 14:02, Dana Kim"."""
    saved = story_revision.revision
    when = dateformat.format(timezone.localtime(saved.date_created), "j M Y, H:i")
    return f"{when}, {revisions.display_name(saved.user)}" if saved.user else when

"""The editors' admin: stories with their bylines, sources and cross-links,
topics and photos.

Every list and edit page runs a fixed number of queries however many rows or
related rows it shows (articles/tests/test_admin.py pins them).
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from js_asset import InlineStyle, Media
from taggit.models import Tag

from articles import services, workflow
from articles.corrections import CorrectionsAdminMixin, StoryNoteAdmin, StoryNoteInline
from articles.editor import BodyEditorMixin
from articles.forms import (
    CreditFormSet,
    CrossLinkForm,
    CrossLinkFormSet,
    PhotoForm,
    PreloadedAutocompleteForm,
    PreloadedAutocompleteSelect,
)
from articles.models import (
    Byline,
    CrossLink,
    PathRedirect,
    Photo,
    QuotedSource,
    Story,
    StoryNote,
    Topic,
)
from articles.previews import PreviewAdminMixin
from articles.redirects import check_redirect
from articles.redirects_admin import RedirectImportMixin
from articles.revisions_admin import RevisionsAdminMixin
from articles.translations_admin import TranslationsAdminMixin
from articles.trash_admin import TrashAdminMixin
from articles.workflow_admin import (
    EditableStoryInlineMixin,
    MineFilter,
    StateFilter,
    WorkflowAdminMixin,
)
from newsroom.admin import (
    ADMIN_CSS,
    BaseModelAdminMixin,
    ListQuerySetMixin,
    OriginalImageMixin,
    YesNoFilter,
    image_tag,
)
from newsroom.text import shorten

# How much of a caption the photo list shows, cut at a word.
CAPTION_EXCERPT = 90


def photo_thumbnail(photo, *, display_width):
    return image_tag(
        photo.thumbnail,
        photo.thumbnail_width,
        photo.thumbnail_height,
        display_width=display_width,
        alt=photo.alt_text,
    )


class PreloadedAutocompleteMixin(BaseModelAdminMixin):
    """Autocomplete foreign keys that label their selection from the object
    the form already loaded (see articles.forms.PreloadedAutocompleteSelect)."""

    form = PreloadedAutocompleteForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def is_autocomplete(request) -> bool:
    match = request.resolver_match
    return match is not None and match.url_name == "autocomplete"


# taggit's own free-form tags are unused: stories are filed under Topics.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


# --- Story ------------------------------------------------------------------


class TopicListFilter(admin.SimpleListFilter):
    """Stories filed under one topic, by a subquery rather than Django's join
    plus SELECT DISTINCT over every story column."""

    title = _("topic")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return Topic.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdigit()):  # not "²", which int() refuses
            return queryset.none()
        # The topic id, not a Topic with its size hint: the hint saves nothing
        # here (measured at 100,000 stories: PostgreSQL walks the date index
        # either way, SQLite sorts the topic's stories either way) and costs
        # a query.
        return queryset.filed_under(int(value))


class BylineInline(EditableStoryInlineMixin, PreloadedAutocompleteMixin, admin.TabularInline):
    model = Byline
    formset = CreditFormSet
    fields = ["person", "role", "position"]
    autocomplete_fields = ["person"]
    extra = 1
    verbose_name = _("author")
    verbose_name_plural = _("authors")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class QuotedSourceInline(EditableStoryInlineMixin, PreloadedAutocompleteMixin, admin.TabularInline):
    model = QuotedSource
    formset = CreditFormSet
    fields = ["person", "description", "position"]
    autocomplete_fields = ["person"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class CrossLinkInline(EditableStoryInlineMixin, PreloadedAutocompleteMixin, admin.TabularInline):
    model = CrossLink
    form = CrossLinkForm
    formset = CrossLinkFormSet
    fk_name = "source"
    fields = ["title", "target", "position", "link_status"]
    readonly_fields = ["link_status"]
    autocomplete_fields = ["target"]
    extra = 1
    verbose_name_plural = _("cross-links (“See …” references)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")

    @admin.display(description=_("Status"))
    def link_status(self, obj):
        if obj.pk is None:
            return "—"
        if obj.is_pending:
            return gettext("Pending: no story has this title yet, shown as plain text")
        if not obj.in_text:
            return gettext("Linked; not in the text, so listed under “See also”")
        return gettext("Linked in the text")


# What the list's publish and unpublish actions report: how many stories
# they moved, and each one refused with the reasons.
ACTION_REPORTS = {
    workflow.Action.PUBLISH: (
        ngettext_lazy("Published %(count)d story.", "Published %(count)d stories.", "count"),
        _("Not published: “%(story)s”: %(reasons)s."),
    ),
    workflow.Action.UNPUBLISH: (
        ngettext_lazy("Unpublished %(count)d story.", "Unpublished %(count)d stories.", "count"),
        _("Not unpublished: “%(story)s”: %(reasons)s."),
    ),
}


@admin.register(Story)
class StoryAdmin(
    # The body editor's tools go on the form the others have built: first.
    BodyEditorMixin,
    RevisionsAdminMixin,
    TrashAdminMixin,
    WorkflowAdminMixin,
    PreviewAdminMixin,
    CorrectionsAdminMixin,
    TranslationsAdminMixin,
    ListQuerySetMixin,
    PreloadedAutocompleteMixin,
    admin.ModelAdmin,
):
    list_display = [
        "lead_thumbnail",
        "headline",
        "state_column",
        "author_names",
        "topic_names",
        "assigned_editor_name",
        "last_edited_by_name",
        "translation_column",
        "link",
    ]
    list_display_links = ["lead_thumbnail", "headline"]
    list_filter = [StateFilter, MineFilter, TopicListFilter, "published_at", "language"]
    search_fields = ["headline", "standfirst", "body"]
    search_help_text = _("Searches headlines, standfirsts and story text.")
    date_hierarchy = "published_at"
    list_per_page = 50
    # The filtered count is enough; a second COUNT(*) over every story is not,
    # nor are facet counts for every filter choice.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["publish_selected", "unpublish_selected", "mark_translations_up_to_date"]

    fieldsets = [
        (None, {"fields": ["headline", "slug", "type_of_work", "standfirst", "body"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "workflow_state",
                    "published_at",
                    "embargo_until",
                    "assigned_editor",
                    "language",
                    "topics",
                ]
            },
        ),
        (_("Lead photo"), {"fields": ["lead_photo", "lead_photo_preview"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("created_at", "created_by"),
                    ("updated_at", "last_edited_by"),
                    "legacy_id",
                    "imported_at",
                ],
            },
        ),
    ]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_photo"]
    readonly_fields = ["lead_photo_preview", "created_at", "updated_at", "legacy_id", "imported_at"]
    inlines = [BylineInline, QuotedSourceInline, CrossLinkInline, StoryNoteInline]

    def list_queryset(self, queryset):
        # The original of each translation, for its "out of date" flag.
        return (
            queryset.for_admin_list().select_related("translation_of").defer("translation_of__body")
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lead_photo")

    def get_search_fields(self, request):
        # Choosing a cross-link target searches headlines only: a LIKE over
        # every story body on each keystroke would be far too slow.
        if is_autocomplete(request):
            return ["headline"]
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        # The readers' full-text index and ranking (StoryQuerySet.search),
        # words matched by their beginning: the story with the word in its
        # headline before one that mentions it in passing, unless the editor
        # sorts by a column. Autocompletes keep Django's headline search.
        if search_term.strip() and not is_autocomplete(request):
            found = queryset.search(search_term)
            if ORDER_VAR in request.GET:
                found = found.order_by(*queryset.query.order_by)
            return found, False
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            # taggit's own field is free text that creates topics on a typo;
            # editors pick existing topics instead (or add one with "+").
            return forms.ModelMultipleChoiceField(
                queryset=Topic.objects.all(),
                required=False,
                label=_("Topics"),
                help_text=_("Countries, themes and series the story is filed under."),
                widget=RelatedFieldWidgetWrapper(
                    AutocompleteSelectMultiple(db_field, self.admin_site),
                    db_field.remote_field,
                    self.admin_site,
                    can_add_related=self.admin_site.get_model_admin(Topic).has_add_permission(
                        request
                    ),
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    class Media:
        css = {"all": [ADMIN_CSS]}

    # The rich-text editor needs an import map (an inline script), so edit
    # pages allow scripts and styles that carry this response's nonce.
    @method_decorator(csp_update({"script-src": [NONCE], "style-src": [NONCE]}))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        editor_styles = Media(
            css={
                "all": [
                    "admin-extra/prose-editor.css",
                    # Tiptap injects its base stylesheet as an inline <style>,
                    # which the CSP blocks, unless a <style data-tiptap-style>
                    # is there already: this empty one carries the nonce, and
                    # prose-editor.css has the rules.
                    InlineStyle("", **{"data-tiptap-style": True}),
                ]
            }
        )
        context["media"] = Media.from_media(
            context["media"] + editor_styles, nonce=request.csp_nonce
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines, so that a story's own cross-links are in place.
        old_slug = form.initial.get("slug") if change else None
        services.story_saved(story=form.instance, old_slug=old_slug)

    @admin.display(description=_("Photo"))
    def lead_thumbnail(self, story):
        if story.lead_photo_id is None:
            return "—"
        return photo_thumbnail(story.lead_photo, display_width=48)

    @admin.display(description=_("Topics"))
    def topic_names(self, story):
        return ", ".join(topic.name for topic in story.topics.all())

    @admin.display(description=_("Authors"))
    def author_names(self, story):
        return ", ".join(byline.person.name for byline in story.bylines.all())

    @admin.display(description=_("On site"))
    def link(self, story):
        return format_html('<a href="{}">{}</a>', story.get_absolute_url(), gettext("View"))

    @admin.display(description=_("Preview"))
    def lead_photo_preview(self, story):
        if story.lead_photo_id is None:
            return "—"
        return photo_thumbnail(story.lead_photo, display_width=240)

    @admin.action(description=_("Publish selected stories now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._act_on_each(request, queryset, workflow.Action.PUBLISH)

    @admin.action(description=_("Unpublish selected stories"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._act_on_each(request, queryset, workflow.Action.UNPUBLISH)

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    def _act_on_each(self, request, queryset, action):
        """The workflow's action on each selected story; refusals reported by headline."""
        done, not_done = ACTION_REPORTS[action]
        taken, refused = 0, []
        for story in queryset.select_related("lead_photo"):
            try:
                workflow.apply(story=story, action=action, user=request.user)
            except workflow.TransitionRefused as refusal:
                refused.append({"story": story.headline, "reasons": "; ".join(refusal.reasons)})
            else:
                taken += 1
        self.message_user(request, done % {"count": taken})
        for params in refused:
            self.message_user(request, not_done % params, level=messages.WARNING)


admin.site.register(StoryNote, StoryNoteAdmin)


# --- Topic ------------------------------------------------------------------


@admin.register(Topic)
class TopicAdmin(ListQuerySetMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "story_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "kind", "description"]
    list_per_page = 100

    def list_queryset(self, queryset):
        return queryset.with_story_counts()

    @admin.display(description=_("Published stories"), ordering="story_count")
    def story_count(self, topic):
        return topic.story_count


# --- Photo ------------------------------------------------------------------


class UsedAsLeadFilter(YesNoFilter):
    title = _("used as a lead photo")
    parameter_name = "used"
    yes, no = "used_as_lead", "unused"


class HasImageFilter(YesNoFilter):
    title = _("has an image")
    parameter_name = "has_image"
    yes, no = "with_image", "without_image"


@admin.register(Photo)
class PhotoAdmin(OriginalImageMixin, ListQuerySetMixin, admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail_preview", "caption_excerpt", "credit", "story_count", "uploaded"]
    list_display_links = ["thumbnail_preview", "caption_excerpt"]
    list_filter = [UsedAsLeadFilter, HasImageFilter]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = [
        "image",
        "preview",
        ("focal_x", "focal_y"),
        "caption",
        "credit",
        "alt_text",
        "stories_using",
    ]
    readonly_fields = ["preview", "stories_using"]

    class Media:
        css = {"all": [ADMIN_CSS]}
        js = ["admin-extra/focal-point.js"]

    def list_queryset(self, queryset):
        return queryset.with_story_counts()

    @admin.display(description=_("Image"))
    def thumbnail_preview(self, photo):
        return photo_thumbnail(photo, display_width=80)

    @admin.display(description=_("Caption"), ordering="caption")
    def caption_excerpt(self, photo):
        return shorten(photo.caption, CAPTION_EXCERPT) or "—"

    @admin.display(description=_("Uploaded"), ordering="created_at")
    def uploaded(self, photo):
        return timezone.localdate(photo.created_at)

    @admin.display(description=_("Preview"))
    def preview(self, photo):
        if photo.pk is None:
            return gettext("Shown after saving.")
        return photo_thumbnail(photo, display_width=Photo.THUMBNAIL_WIDTH)

    @admin.display(description=_("Lead photo of"), ordering="story_count")
    def story_count(self, photo):
        return photo.story_count

    @admin.display(description=_("Lead photo of"))
    def stories_using(self, photo):
        if photo.pk is None:
            return "—"
        count = photo.stories.count()
        return ngettext("%(count)d story", "%(count)d stories", count) % {"count": count}


class PathRedirectForm(forms.ModelForm):
    class Meta:
        model = PathRedirect
        fields = ["old_path", "story"]

    def clean(self):
        cleaned = super().clean() or {}
        old_path = cleaned.get("old_path")
        if old_path is not None:
            try:
                cleaned["old_path"] = check_redirect(old_path=old_path, story=cleaned.get("story"))
            except forms.ValidationError as error:
                self.add_error("old_path", error)
                return cleaned
            clash = PathRedirect.objects.filter(old_path=cleaned["old_path"])
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("old_path", gettext("Another redirect has this old path."))
        return cleaned


@admin.register(PathRedirect)
class PathRedirectAdmin(RedirectImportMixin, admin.ModelAdmin):
    """Old addresses of stories (legacy URLs); "Import from CSV" (and
    `manage.py import_redirects`) imports a CSV of them."""

    form = PathRedirectForm
    list_display = ["old_path", "story", "created_at"]
    list_select_related = ["story"]
    search_fields = ["old_path", "story__headline", "story__slug"]
    search_help_text = _("Searches old paths and the headlines and slugs of their stories.")
    autocomplete_fields = ["story"]
    list_per_page = 100
    show_full_result_count = False

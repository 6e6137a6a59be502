"""The story admin's side of translations (articles.translations): the
"Add translation" buttons, the group's versions on the edit page, the
"out of date" flag in the list and on the edit page with what changed in
the original since, and the "brought up to date" checkbox and action."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import translations, workflow
from articles.models import Story
from newsroom.admin import ModelAdminMixin


class TranslationForm(forms.ModelForm):
    """A translation's edit form, with the translator's "up to date" box."""

    brought_up_to_date = forms.BooleanField(
        label=_("Translation brought up to date"),
        required=False,
        help_text=_(
            "Tick when this translation now follows the original as it is: "
            "the “out of date” flag goes until the original changes again."
        ),
    )


class TranslationsAdminMixin(ModelAdminMixin):
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and obj.translation_of_id is not None:
            kwargs["form"] = type("TranslationForm", (TranslationForm, self.form), {})
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.translation_of_id is not None:
            fieldsets.append((_("Translation"), {"fields": ["brought_up_to_date"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("brought_up_to_date"):
            translations.mark_up_to_date(translation=obj)

    @admin.display(description=_("Translation"))
    def translation_column(self, story):
        if story.translation_of_id is None:
            return ""
        if translations.is_out_of_date(story):
            return format_html(
                '<strong class="{}">{}</strong>', "translation-stale", gettext("Out of date")
            )
        return gettext("Up to date")

    @admin.action(description=_("Mark selected translations up to date"))
    def mark_translations_up_to_date(self, request, queryset):
        done = 0
        for story in queryset.filter(translation_of__isnull=False):
            if workflow.can_edit(request.user, story):
                translations.mark_up_to_date(translation=story)
                done += 1
        message = ngettext(
            "%(count)d translation marked up to date.",
            "%(count)d translations marked up to date.",
            done,
        )
        self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def render_change_form(self, request, context, *args, **kwargs):
        story = context.get("original")
        if story is not None and story.pk is not None:
            context["translation"] = self.translation_context(request, story)
        return super().render_change_form(request, context, *args, **kwargs)

    def translation_context(self, request, story):
        """What the edit page's "Translations" panel shows."""
        group = list(Story.objects.in_group_of(story).select_related("translation_of"))
        stale = translations.is_out_of_date(story)
        can_add = story.translation_of_id is None and request.user.has_perm("articles.add_story")
        taken = {story.language, *(other.language for other in group)}
        return {
            "versions": [
                {
                    "story": other,
                    "name": translations.language_name(other.language),
                    "is_original": other.pk == story.translation_of_id,
                    "out_of_date": translations.is_out_of_date(other)
                    if other.translation_of_id
                    else False,
                    "url": reverse("admin:articles_story_change", args=[other.pk]),
                }
                for other in sorted(group, key=lambda other: other.language)
            ],
            "out_of_date": stale,
            "changes": translations.changes_since_translated(story) if stale else None,
            "missing": [
                {"code": code, "name": translations.language_name(code)}
                for code, _name in settings.LANGUAGES
                if code not in taken
            ]
            if can_add
            else [],
        }

    def get_urls(self):
        return [
            path(
                "<path:object_id>/translate/",
                self.admin_site.admin_view(self.add_translation_view),
                name="articles_story_translate",
            ),
            *super().get_urls(),
        ]

    def add_translation_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("articles.add_story"):
            raise PermissionDenied
        original = get_object_or_404(Story.objects.live(), pk=object_id)
        change_url = reverse("admin:articles_story_change", args=[original.pk])
        try:
            made = translations.add_translation(
                original=original, language=request.POST.get("language", ""), user=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(change_url)
        name = translations.language_name(made.language)
        message = gettext("A draft in %(language)s is made from the original: translate it.")
        self.message_user(request, message % {"language": name}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_story_change", args=[made.pk]))

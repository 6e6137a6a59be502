"""Form fields and widgets for the editors' admin."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from newsroom.text import normalise_title


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option can come from an object already loaded.

    Django's autocomplete runs one query per widget to label the selected
    option: one per row in an inline. When the form has the related object at
    hand (from `select_related`), it sets `preloaded` and no query is made.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        obj = self.preloaded
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if obj is None or selected != [str(obj.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteForm(forms.ModelForm):
    """A ModelForm that hands its instance's loaded related objects to its
    `PreloadedAutocompleteSelect` widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            # The admin wraps the widget to add the edit/add/view links.
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = self._meta.model._meta.get_field(name)
            if model_field.is_cached(self.instance):
                widget.preloaded = model_field.get_cached_value(self.instance)


def rows_not_shown(formset):
    """The formset's story's saved rows that none of its forms shows: rows
    saved by someone else after the form was loaded."""
    if formset.instance.pk is None:
        return formset.model._default_manager.none()
    shown = [form.instance.pk for form in formset.initial_forms if form.instance.pk]
    return formset.model._default_manager.filter(**{formset.fk.name: formset.instance}).exclude(
        pk__in=shown
    )


class CreditFormSet(BaseInlineFormSet):
    """A story's bylines or quoted sources, refusing a person already in a
    row the form does not show (saved by someone else since it was loaded):
    the database holds each person once per story, and Django checks only
    the rows in the form."""

    def clean(self):
        super().clean()
        taken = set(rows_not_shown(self).values_list("person_id", flat=True))
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            person = data.get("person")
            if person is None or data.get(DELETION_FIELD_NAME) or person.pk not in taken:
                continue
            form.add_error(
                "person",
                ValidationError(
                    _(
                        "%(name)s is already on this story: someone added them after you "
                        "opened it. Remove this row."
                    ),
                    code="saved_meanwhile",
                    params={"name": person},
                ),
            )


class CrossLinkFormSet(BaseInlineFormSet):
    """A story's cross-links, refusing two to the same title.

    The database allows one link per normalised title and story; the key is
    not a form field, so Django's own duplicate check cannot see it. A title
    saved meanwhile by someone else, in a row the form does not show, is
    refused too.
    """

    def clean(self):
        super().clean()
        saved = dict(rows_not_shown(self).values_list("title_key", "title"))
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            title = data.get("title")
            if title and not data.get(DELETION_FIELD_NAME) and normalise_title(title) in saved:
                raise ValidationError(
                    _(
                        "This story already has a “See …” reference to “%(title)s”: someone "
                        "added it after you opened the story. Remove this row."
                    ),
                    code="link_saved_meanwhile",
                    params={"title": title},
                )
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if self.can_delete and data.get(DELETION_FIELD_NAME):
                continue
            title = data.get("title")
            if not title:
                continue
            key = normalise_title(title)
            if key in seen:
                raise ValidationError(
                    _("This story has a “See …” reference to the same title twice: “%(title)s”."),
                    code="duplicate_link",
                    params={"title": title},
                )
            seen.add(key)


class CrossLinkForm(PreloadedAutocompleteForm):
    """A cross-link in the story's inline: choosing a story is enough, the
    link then takes that story's headline as its title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Left blank, the chosen story's headline.")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        target = data.get("target")
        if not (data.get("title") or "").strip():
            if target is None:
                if self.has_changed():
                    self.add_error("title", _("Give the title as written, or choose a story."))
            else:
                data["title"] = target.headline
        return data


class PhotoForm(forms.ModelForm):
    """The admin's photo form: a photo is uploaded with its image, caption,
    credit and alt text, and a missing one is named.

    The model allows them blank: the importer attaches captions and credits
    from the legacy files without an image.
    """

    REQUIRED = {
        "image": _("A photo needs its image file: choose a JPEG, PNG or WebP to upload."),
        "caption": _("A photo needs a caption: say what it shows, as readers will see it."),
        "credit": _("A photo needs a credit: who took it (printed as “Photo: …”)."),
        "alt_text": _(
            "A photo needs alt text: describe the picture for readers who cannot see it."
        ),
    }

    # Where crops centre: the middle unless the editor says.
    FOCAL_FIELDS = ("focal_x", "focal_y")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FOCAL_FIELDS:
            if name in self.fields:
                self.fields[name].required = False
        for name, message in self.REQUIRED.items():
            if name in self.fields:
                field = self.fields[name]
                field.required = field.widget.is_required = True  # no "Clear" box either
                field.error_messages["required"] = message

    def clean_focal_x(self):
        return self._focal("focal_x")

    def clean_focal_y(self):
        return self._focal("focal_y")

    def _focal(self, name):
        value = self.cleaned_data.get(name)
        return 0.5 if value is None else value

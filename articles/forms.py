"""Form fields and widgets for the editors' admin."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet

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


class CrossLinkFormSet(BaseInlineFormSet):
    """A story's cross-links, refusing two to the same title.

    The database allows one link per normalised title and story; the key is
    not a form field, so Django's own duplicate check cannot see it.
    """

    def clean(self):
        super().clean()
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
                    "This story has a “See …” reference to the same title twice: “%(title)s”.",
                    code="duplicate_link",
                    params={"title": title},
                )
            seen.add(key)


class PhotoForm(forms.ModelForm):
    """The admin's photo form: a photo is uploaded with its image, caption,
    credit and alt text, and a missing one is named.

    The model allows them blank: the importer attaches captions and credits
    from the legacy files without an image.
    """

    REQUIRED = {
        "image": "A photo needs its image file: choose a JPEG, PNG or WebP to upload.",
        "caption": "A photo needs a caption: say what it shows, as readers will see it.",
        "credit": "A photo needs a credit: who took it (printed as “Photo: …”).",
        "alt_text": "A photo needs alt text: describe the picture for readers who cannot see it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED.items():
            if name in self.fields:
                field = self.fields[name]
                field.required = field.widget.is_required = True  # no "Clear" box either
                field.error_messages["required"] = message

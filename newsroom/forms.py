"""Form fields and widgets that every app's admin uses."""

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.utils.translation import gettext_lazy as _

from newsroom.images import validate_photo_file


class PhotoImageField(forms.ImageField):
    """An image upload checked by our own rules before Django's Pillow check.

    Django's ImageField opens every upload with Pillow and turns any failure
    into one generic "not an image" message. Running `validate_photo_file`
    first gives editors the reason instead (too large, too many pixels, wrong
    format, damaged), and refuses a decompression bomb before anything else
    opens it.
    """

    def to_python(self, data: Any) -> Any:
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        validate_photo_file(file)
        return super().to_python(data)


class OriginalImageInput(AdminFileWidget):
    """The admin's file input for an original, which never links to it.

    Django's says "Currently: <a href=…>" with the stored file's URL; an
    original has none (newsroom.originals), and the page shows its
    rendition beside the field instead.
    """

    # In the app's templates/: form widgets are rendered by the form
    # renderer, which reads app template folders, not the project's.
    template_name = "newsroom/widgets/original_image_input.html"
    initial_text = _("Stored")  # type: ignore[assignment]  # lazy, as Django's own

    def is_initial(self, value: Any) -> bool:
        # Django's asks the file for its URL, which an original refuses.
        return bool(value and getattr(value, "name", None))

"""Form fields that every app's admin uses."""

from typing import Any

from django import forms

from newsroom.images import validate_photo_file


class PhotoImageField(forms.ImageField):
    """An image upload checked by our own rules before Django's Pillow check.

    Django's ImageField opens every upload with Pillow and turns any failure
    into one generic "not an image" message. Running `validate_photo_file`
    first gives editors the reason instead (too large, too many pixels, wrong
    format), and refuses a decompression bomb before anything else opens it.
    """

    def to_python(self, data: Any) -> Any:
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        validate_photo_file(file)
        return super().to_python(data)

"""The redirects admin's CSV upload: "Import from CSV" on the list of
redirects, a form with the file, and the same all-or-nothing import as
`manage.py import_redirects` (articles.redirects.import_redirects).

Only those who may add redirects see the button or reach the page. A file
that is no CSV text (empty, not UTF-8, too large, too long) and every bad
line of one that is are form errors naming the problem; nothing is
written unless every line is good. The page writes nothing before that,
and a good file is reported with its counts on the list of redirects.
"""

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.redirects import csv_text, import_redirects, import_report
from newsroom.admin import ModelAdminMixin

# An upload past these is refused before any line is checked: the import
# runs within the request, a few queries a line. Larger files go through
# `manage.py import_redirects`, which has no limit.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
# The bad lines a refused file's page lists; the count names the rest.
SHOWN_ERRORS = 100


class RedirectImportForm(forms.Form):
    """A CSV of old paths and their stories, checked as text before its lines."""

    required_css_class = "required"  # the admin's bold label

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 text with the header old_path,story, then one redirect a line: the old "
            "path (e.g. /en/news/12345.html) and the story's id, slug or address."
        ),
        error_messages={
            "empty": _(
                "The file is empty: it needs the header old_path,story and a line per redirect."
            )
        },
    )
    dry_run = forms.BooleanField(
        label=_("Check only"),
        required=False,
        help_text=_("Checks every line and says what the file would do; imports nothing."),
    )

    def clean_file(self) -> list[str]:
        """The file's lines of text (not the upload): UTF-8, within the limits."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                gettext(
                    "The file is %(size)s MB; at most %(limit)s MB can be imported here. "
                    "Split it, or import it with “manage.py import_redirects”."
                )
                % {"size": _megabytes(upload.size), "limit": _megabytes(MAX_UPLOAD_BYTES)}
            )
        # Split only where CSV ends a line, as a file opened with newline="" is.
        lines = list(io.StringIO(csv_text(upload.read()), newline=""))
        if len(lines) > MAX_LINES + 1:  # the header and MAX_LINES redirects
            raise ValidationError(
                gettext(
                    "The file has %(lines)d lines; at most %(limit)d redirects can be "
                    "imported at once here. Split it, or import it with "
                    "“manage.py import_redirects”."
                )
                % {"lines": len(lines), "limit": MAX_LINES}
            )
        return lines


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}"


class RedirectImportMixin(ModelAdminMixin):
    """PathRedirectAdmin's "Import from CSV" page (see the module)."""

    import_template = "admin/articles/pathredirect/import.html"

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.import_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", view, name=name), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RedirectImportForm()
        if request.method == "POST":
            form = RedirectImportForm(request.POST, request.FILES)
            if form.is_valid():
                done = self._import(request, form)
                if done is not None:
                    return done
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import redirects from a CSV file"),
            "opts": self.opts,
            "form": form,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, self.import_template, context)

    def _import(self, request: HttpRequest, form: RedirectImportForm) -> HttpResponse | None:
        """Import the form's file; its bad lines become the form's errors (and None)."""
        dry_run = form.cleaned_data["dry_run"]
        result = import_redirects(lines=form.cleaned_data["file"], dry_run=dry_run)
        if result.errors:
            count = len(result.errors)
            form.add_error(
                None,
                ngettext(
                    "Nothing was imported: %(count)d line of the file is bad.",
                    "Nothing was imported: %(count)d lines of the file are bad.",
                    count,
                )
                % {"count": count},
            )
            shown = [capfirst(str(error)) for error in result.errors[:SHOWN_ERRORS]]
            if count > SHOWN_ERRORS:
                more = count - SHOWN_ERRORS
                shown.append(
                    ngettext(
                        "…and %(count)d more bad line.", "…and %(count)d more bad lines.", more
                    )
                    % {"count": more}
                )
            form.add_error("file", shown)
            return None
        messages.success(request, import_report(result, dry_run=dry_run))
        if dry_run:
            return None
        changelist = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(changelist)

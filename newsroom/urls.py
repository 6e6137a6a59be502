"""The site's URLs: the admin, people and story pages, the site icon and, where
asked, the uploaded media."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says; answer with the icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file under MEDIA_ROOT (renditions), when Django serves media itself
    (DEBUG or SERVE_MEDIA); never anything under ORIGINALS_ROOT, should a
    misconfiguration put it there (`manage.py check` refuses that too)."""
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404
    wanted = (Path(settings.MEDIA_ROOT) / path).resolve()
    originals = Path(settings.ORIGINALS_ROOT).resolve()
    if wanted == originals or originals in wanted.parents:
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", media),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("people/", include("people.urls")),
    path("", include("articles.urls")),
]

"""The admin speaks its editor's language: the one their browser asks for
(Accept-Language) among `settings.ADMIN_LANGUAGES`, the languages the
project's own strings are translated into (locale/).

Only the admin: readers' pages speak the site's language, or their story's
(articles.views.story_detail), whatever the browser says, so the shared
page cache never holds a page in a reader's language. A language matches by
its primary subtag ("ru-RU" asks for "ru", "en-US" for the site's English);
one the admin does not speak is passed over for the next the browser names,
and with none the admin speaks `settings.LANGUAGE_CODE`.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


def primary(code: str) -> str:
    return code.lower().split("-")[0]


def admin_language(accept_language: str) -> str:
    """The admin language an Accept-Language header asks for first."""
    spoken = {primary(code): code for code in settings.ADMIN_LANGUAGES}
    for asked, _quality in parse_accept_lang_header(accept_language):
        if asked != "*" and primary(asked) in spoken:
            return spoken[primary(asked)]
    return str(settings.LANGUAGE_CODE)


class AdminLanguageMiddleware:
    """Activates the admin language the request asks for, for admin pages only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._prefix: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._prefix is None:
            self._prefix = reverse("admin:index")
        if not request.path_info.startswith(self._prefix):
            return self.get_response(request)
        language = admin_language(request.headers.get("Accept-Language", ""))
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language"])
        response.headers.setdefault("Content-Language", language)
        return response

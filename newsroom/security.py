"""Login throttling (django-axes): the lockout page, and whose address a login comes from.

After AXES_FAILURE_LIMIT failed logins for one username from one address,
that pair may not log in until AXES_COOLOFF_TIME has passed with no further
try; a successful login clears the count. Other accounts, and the same
account from elsewhere, are unaffected, so nobody locks an editor out of the
whole newsroom by guessing at their name.
"""

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext


def lockout_message() -> str:
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    message = ngettext(
        "Too many failed logins for this account from your address. Logging in is "
        "paused for %(minutes)d minute after the last try; an administrator can lift "
        "the pause sooner.",
        "Too many failed logins for this account from your address. Logging in is "
        "paused for %(minutes)d minutes after the last try; an administrator can lift "
        "the pause sooner.",
        minutes,
    )
    return message % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The admin's login page, saying why the login was refused (status 429)."""
    username = request.POST.get("username", "")
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": AdminAuthenticationForm(request, initial={"username": username}),
        "lockout_message": lockout_message(),
        REDIRECT_FIELD_NAME: next_url or reverse("admin:index"),
    }
    # Rendered now: the middleware that asks for it runs after responses are rendered.
    return render(request, "admin/login.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """The client's address as the TLS proxy in front saw it: the last one it
    added to X-Forwarded-For (those before it are the client's own say)."""
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded.strip():
        return forwarded.split(",")[-1].strip()
    address: str | None = request.META.get("REMOTE_ADDR")
    return address

"""Template context shared by every public page."""

from django.conf import settings


def site(request):
    return {"site_name": settings.SITE_NAME, "support_cta": settings.SUPPORT_CTA}

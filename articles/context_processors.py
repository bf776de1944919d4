from django.conf import settings


def site(request):
    """{{ SITE_NAME }} and {{ SITE_FOOTER }} in every template rendered with a request."""
    footer = dict(settings.SITE_FOOTER)
    footer["copyright"] = footer["copyright"] or f"© {settings.SITE_NAME} 版权所有，转载请注明出处"
    return {"SITE_NAME": settings.SITE_NAME, "SITE_FOOTER": footer}

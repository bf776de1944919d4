from django.conf import settings


def site(request):
    """{{ SITE_NAME }} in every template rendered with a request."""
    return {"SITE_NAME": settings.SITE_NAME}

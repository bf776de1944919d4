from django.conf import settings
from django.core.exceptions import SuspiciousOperation

from articles import scripts


def site(request):
    """{{ SITE_NAME }}, {{ SITE_FOOTER }} and {{ script }} (this page in either script) in
    every template rendered with a request."""
    footer = dict(settings.SITE_FOOTER)
    footer["copyright"] = footer["copyright"] or f"© {settings.SITE_NAME} 版权所有，转载请注明出处"
    return {"SITE_NAME": settings.SITE_NAME, "SITE_FOOTER": footer, "script": _script(request)}


def _script(request):
    traditional = getattr(request, "traditional", False)
    address = scripts.without_prefix(request.path)
    try:
        query = request.GET.urlencode()
        address = f"{address}?{query}" if query else address
        simplified_url = request.build_absolute_uri(address)
        traditional_url = request.build_absolute_uri(scripts.PREFIX + address)
    except SuspiciousOperation:  # the 400 page for a forged Host or too many parameters
        simplified_url, traditional_url = address, scripts.PREFIX + address
    return {
        "traditional": traditional,
        "lang": "zh-Hant" if traditional else "zh-CN",
        "og_locale": ("zh_HK" if settings.TRADITIONAL_VARIANT == "s2hk" else "zh_TW")
        if traditional
        else "zh_CN",
        "simplified_url": simplified_url,
        "traditional_url": traditional_url,
        "other": scripts.PREFIX + address if not traditional else address,
    }

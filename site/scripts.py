"""/hant/…: every public page in traditional characters, at an address of its own that can be
shared. The prefix is taken off before the URLs are resolved and put on every URL reversed while
the page renders (the script prefix), so its links stay in traditional; the page's text is then
converted (articles.scripts). The admin and the API have one script: /hant/admin/ goes there."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import get_script_prefix, set_script_prefix

from articles import scripts

ONE_SCRIPT = ("/admin/", "/api/", "/accounts/", "/static/", "/media/", "/healthz")


class TraditionalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.traditional = scripts.is_traditional(request.path_info)
        if not request.traditional:
            return self.get_response(request)
        path = scripts.without_prefix(request.path_info)
        if path.startswith(ONE_SCRIPT):
            query = request.GET.urlencode()
            return HttpResponseRedirect(path + (f"?{query}" if query else ""))
        request.path_info = path
        prefix = get_script_prefix()
        set_script_prefix(prefix + scripts.PREFIX.strip("/") + "/")
        try:
            response = self.get_response(request)
        finally:
            set_script_prefix(prefix)
        if not getattr(response, "in_traditional", False):
            convert(response)
        return response


def convert(response):
    """A whole page or feed in traditional (a cached page is stored converted: caching does it)."""
    if response.streaming or not scripts.converts(response.get("Content-Type", "")):
        return
    html = response.content.decode(response.charset)
    response.content = scripts.to_traditional(html, settings.TRADITIONAL_VARIANT).encode(
        response.charset
    )
    response.in_traditional = True

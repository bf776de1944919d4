"""What hostile-input tests look for in a page: anything a browser would run."""

from html.parser import HTMLParser

SCRIPT = "<script>alert(1)</script>"
HANDLER = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + HANDLER
RUNNABLE_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset"}
RUNNABLE_TAGS = {"iframe", "object", "embed", "base"}


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Data blocks (json_script, JSON-LD) are never run by a browser.
        data_types = ("application/json", "application/ld+json")
        if tag == "script" and "src" not in attrs and attrs.get("type") not in data_types:
            self.found.append(f"inline <script> {attrs}")
        if tag in RUNNABLE_TAGS:
            self.found.append(f"<{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(ch for ch in value if ch > " ").lower()
                if squashed.startswith(RUNNABLE_SCHEMES):
                    self.found.append(f"<{tag} {name}={value!r}>")


def runnable_markup(html):
    """Descriptions of every script, event handler or script URL a browser would act on."""
    finder = _Finder()
    finder.feed(html)
    return finder.found

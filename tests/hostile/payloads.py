"""What hostile-input tests send and what they look for in a page: URL parameters a visitor
might forge, and anything a browser would run."""

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


# What /articles/ does with each hostile query string; other pages must not crash on them.
NOT_FOUND = "not found"
REFUSED = "refused"
NOTHING = "nothing"
IGNORED = "ignored"

# (id, raw query string, what /articles/ answers, text of the error shown if refused)
HOSTILE_QUERIES = [
    ("page-letters", "page=abc", NOT_FOUND, ""),
    ("page-negative", "page=-1", NOT_FOUND, ""),
    ("page-zero", "page=0", NOT_FOUND, ""),
    ("page-too-far", "page=99999", NOT_FOUND, ""),
    ("page-exponent", "page=1e9", NOT_FOUND, ""),
    ("page-thirty-digits", "page=" + "9" * 30, NOT_FOUND, ""),
    ("page-nul", "page=%00", NOT_FOUND, ""),
    ("year-letters", "year=abcd", REFUSED, ""),
    ("year-too-late", "year=99999", REFUSED, ""),
    ("year-negative", "year=-1", REFUSED, ""),
    ("from-impossible-date", "from=2025-13-45", REFUSED, ""),
    ("from-after-to", "from=2025-05-01&to=2024-01-01", REFUSED, "起始日期晚于截止日期"),
    ("tag-unknown", "tag=no-such-tag", NOTHING, ""),
    ("tag-empty", "tag=", IGNORED, ""),
    ("city-empty", "city=&city=", IGNORED, ""),
    ("city-unknown", "city=no-such-city", NOTHING, ""),
    ("q-nul", "q=%00", REFUSED, ""),
    ("tag-nul", "tag=%00", REFUSED, "不是有效的名称"),
    ("city-nul", "city=%00", REFUSED, "不是有效的名称"),
    ("from-nul", "from=%00", REFUSED, ""),
    ("q-10000-characters", "q=" + "x" * 10_000, REFUSED, ""),
    ("q-percent", "q=%25", NOTHING, ""),
    ("q-underscore", "q=_", NOTHING, ""),
    ("q-single-quote", "q=%27", NOTHING, ""),
    ("q-double-quote", "q=%22", NOTHING, ""),
    ("q-backslash", "q=%5C", NOTHING, ""),
    ("q-semicolon-comment", "q=%3B--", NOTHING, ""),
    ("q-injection", "q=%27%20OR%201%3D1%3B--", NOTHING, ""),
    ("tag-eleven-values", "&".join(f"tag=t{i}" for i in range(11)), REFUSED, "最多同时筛选 10 项"),
    ("match-bogus", "match=bogus", REFUSED, ""),
    ("sort-bogus", "sort=bogus", REFUSED, ""),
    ("q-invalid-utf8", "q=%FF%FE", NOTHING, ""),
    ("tag-invalid-utf8", "tag=%FF%FE", REFUSED, "不是有效的名称"),
]

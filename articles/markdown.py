"""Markdown bodies to sanitised HTML (markdown-it-py, then nh3), and HTML back to plain text.

Pure: rendering happens once, on save; nothing here touches the database.
"""

import re
from html import unescape
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

# Characters of Markdown a body may hold (a form error beyond): hostile input stays fast below.
MAX_BODY_LENGTH = 100_000


def _demote_h1(state):
    # The page's <h1> is the article's title; a "# heading" in the body becomes <h2>.
    for token in state.tokens:
        if token.tag == "h1":
            token.tag = "h2"


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_markdown.core.ruler.push("demote_h1", _demote_h1)

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(source):
    """Markdown to sanitised HTML. Raw HTML in the source is shown as text, never run."""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"style"}, "td": {"style"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )


SITE_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')


def absolute_links(html, base):
    """html with its site-relative links and images made absolute under base (https://host):
    for a feed, which a reader opens far from the site."""
    return SITE_RELATIVE.sub(lambda m: f'{m[1]}="{base.rstrip("/")}/', html)


def strip_markup(html):
    """Plain text of sanitised HTML, for summaries and matching."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# Where a block of the rendered body begins or ends: paragraph, heading, list item, table cell,
# quote, code block. Inline elements (bold, links, code, mention links) are no break.
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "td", "th", "tr", "table",
    "thead", "tbody", "blockquote", "pre", "hr", "div",
}  # fmt: skip


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._current = [], []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.close_block()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.close_block()

    def handle_data(self, data):
        self._current.append(data)

    def close_block(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []


def blocks(html):
    """The text of each block of sanitised HTML, as readers see it: the pieces of a block
    joined with nothing between them, whitespace collapsed."""
    return list(iter_blocks(html))


def iter_blocks(html, chunk=2_000):
    """blocks(html), each given as soon as the html read so far closes it: a caller that
    stops at the first block it wants (a snippet's) has the rest left unparsed."""
    parser = _Blocks()
    for at in range(0, len(html), chunk):
        parser.feed(html[at : at + chunk])
        yield from parser.blocks
        parser.blocks = []
    parser.close()
    parser.close_block()
    yield from parser.blocks

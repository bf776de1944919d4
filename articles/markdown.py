"""Markdown bodies to sanitised HTML (markdown-it-py, then nh3), and HTML back to plain text.

Pure: rendering happens once, on save; nothing here touches the database. Pictures come only
from the media library: `![替代文字](library:42 "图注")` names library image 42, and the caller
passes what it knows of each named image (figures); any other image is dropped.
"""

import re
from html import escape, unescape
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


LIBRARY_IMAGE = re.compile(r"library:(\d{1,18})")
# The body's column (.prose): the whole width of a phone, at most 42rem on a wider screen.
BODY_IMAGE_SIZES = "(min-width: 46rem) 42rem, 100vw"


def _library_id(src):
    match = LIBRARY_IMAGE.fullmatch(src or "")
    return int(match[1]) if match else None


def _figures_alone(state):
    # A paragraph that holds one picture and nothing else becomes a <figure> of its own.
    tokens = state.tokens
    for i, token in enumerate(tokens[:-2]):
        children = tokens[i + 1].children or []
        if token.type == "paragraph_open" and [c.type for c in children] == ["image"]:
            token.hidden = tokens[i + 2].hidden = True
            children[0].meta["alone"] = True


def _image(renderer, tokens, index, options, env):
    token = tokens[index]
    figure = env.get("figures", {}).get(_library_id(token.attrGet("src")))
    if figure is None:
        return ""  # not from the library: nothing of it reaches the page
    alt = renderer.renderInlineAsText(token.children, options, env).strip() or figure["alt"]
    srcset = f' srcset="{escape(figure["srcset"])}" sizes="{BODY_IMAGE_SIZES}"'
    img = (
        f'<img src="{escape(figure["src"])}"{srcset if figure["srcset"] else ""}'
        f' width="{figure["width"]}" height="{figure["height"]}" alt="{escape(alt)}"'
        ' loading="lazy" decoding="async">'
    )
    if not token.meta.get("alone"):
        return img
    caption = escape(token.attrGet("title") or figure["caption"])
    credit = f"<small>{escape(figure['credit'])}</small>" if figure["credit"] else ""
    figcaption = f"<figcaption>{caption}{credit}</figcaption>" if caption or credit else ""
    return f"<figure>{img}{figcaption}</figure>\n"


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_markdown.core.ruler.push("demote_h1", _demote_h1)
_markdown.core.ruler.push("figures_alone", _figures_alone)
_markdown.add_render_rule("image", _image)

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "img", "small",
}  # fmt: skip
IMAGE_ATTRIBUTES = {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding"}
IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def image_references(source):
    """The ids of the library images the body shows, in order of first appearance."""
    found = {}
    for block in _markdown.parse(source):
        for child in block.children or []:
            image_id = _library_id(child.attrGet("src")) if child.type == "image" else None
            if image_id is not None:
                found.setdefault(image_id, None)
    return list(found)


def render_markdown(source, figures=None):
    """Markdown to sanitised HTML. Raw HTML in the source is shown as text, never run.

    figures: {library image id: {"src", "srcset", "width", "height", "alt", "caption",
    "credit"}} of the images the body names; an <img> whose address is not one of theirs (the
    site's own media) is removed, whatever made it."""
    figures = figures or {}
    html = _markdown.render(source, {"figures": figures})
    ours = {figure["src"] for figure in figures.values()}
    ours |= {figure["srcset"] for figure in figures.values()}

    def only_ours(tag, attribute, value):
        if tag == "img" and attribute in {"src", "srcset"} and value not in ours:
            return None
        return value

    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={
            "a": {"href", "title"},
            "th": {"style"},
            "td": {"style"},
            "img": IMAGE_ATTRIBUTES,
        },
        attribute_filter=only_ours,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    return IMG_WITHOUT_SRC.sub("", html)


SITE_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')
SRCSET = re.compile(r'\bsrcset="([^"]*)"')
SRCSET_RELATIVE = re.compile(r"(^|,\s*)/(?!/)")


def absolute_links(html, base):
    """html with its site-relative links and images made absolute under base (https://host):
    for a feed, which a reader opens far from the site."""
    root = base.rstrip("/")
    html = SITE_RELATIVE.sub(lambda m: f'{m[1]}="{root}/', html)
    return SRCSET.sub(
        lambda m: 'srcset="' + SRCSET_RELATIVE.sub(lambda u: f"{u[1]}{root}/", m[1]) + '"', html
    )


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

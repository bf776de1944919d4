"""Search keeps its promise on real text, checked against a brute-force reading of it.

The promise (README): a query is split on whitespace into parts; an article matches when every
part occurs, after folding width, case and traditional/simplified and ignoring whitespace, in
its title, summary, a tag name or one block of its body (paragraph, heading, list item, table
cell, quote). Results: title and tag matches first, then newest first.

The oracle below is written from that promise alone, not from the search code: its own blocks
(the stored HTML read with the standard library's parser), its own folding (unicodedata NFKC,
OpenCC t2s, casefold), and a substring scan. The text: laws in traditional characters nobody
here wrote (../shared/corpus/tw_laws.jsonl, the first LAWS of them, every one published) and
articles written here with bold, links, mention links, code, headings, tables, numbers with
units, Latin brand names and full-width forms. Runs unchanged on SQLite and PostgreSQL.
"""

import json
import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import opencc
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search.results import ranked

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "tw_laws.jsonl"
LAWS = 120

WRITTEN = [
    dict(
        title="杭州六小龙的底气",
        body="**宁德**时代之外，杭州六小龙里有[宇树](https://example.com/)科技，"
        "还有 `DeepSeek` 的R1模型。\n\n## 杭州\n\n六小龙的故事。",
        tags=["人工智能"],
    ),
    dict(
        title="数字里的经济",
        summary="2008年以来，GDP年均增长3.5%。",
        body="到12月31日，A股新增上市公司100家；iPhone出货量下降0.7%；MP3MP4播放器退场。"
        "\n\n《求是》杂志刊文：1.85万亿元的盘子。",
    ),
    dict(
        title="全角的写法",
        body="ＤｅｅｐＳｅｅｋ发布Ｒ１，增长１２．５％，２０２４年ＧＤＰ达到１８，５００亿元。",
        tags=["ＡＩ"],
    ),
    dict(
        title="表格与列表",
        body="| 城市 | GDP（亿元） |\n|---|---:|\n| 南京 | 18,500.81 |\n| 杭州 | 21,860 |\n\n"
        "- 第一项：南京\n- 第二项：**杭州**市\n\n> 引用：长三角一体化\n> 示范区。",
    ),
    dict(
        title="經濟觀察",
        body="長三角的經濟總量佔全國四分之一，南京為什麼追不上？",
        tags=["經濟"],
    ),
    dict(title="经济草稿", body="尚未发布的经济稿件。", status="draft"),
]

# (query, why): the kinds of query the promise names; each answer comes from the oracle.
CHOSEN = [
    ("杭州六小龙", "phrase through a mention link"),
    ("宁德时代", "phrase through bold"),
    ("宇树科技", "phrase through a link"),
    ("deepseek的r1", "phrase through inline code, any case"),
    ("杭州六小龙的故事", "a heading is not run into its paragraph"),
    ("南京18,500", "table cells are blocks of their own"),
    ("第一项：南京", "a list item"),
    ("示范区", "a quote"),
    ("2008年", "number with unit"),
    ("08年", "number inside a number"),
    ("3.5%", "number with a decimal point and unit"),
    ("12月31日", "date"),
    ("A股", "Latin letter with a unit"),
    ("Phone", "Latin inside a word"),
    ("MP4", "Latin inside a word"),
    ("mp3mp4", "any case"),
    ("《求是》", "punctuation in a part"),
    ("1.85万亿", "number with unit"),
    ("ＤｅｅｐＳｅｅｋ", "full width"),
    ("12.5%", "half width finds full width"),
    ("ＧＤＰ", "full width finds half width"),
    ("18,500", "thousands separator, either width"),
    ("ai", "tag, any case and width"),
    ("經濟", "traditional"),
    ("经济", "simplified finds traditional"),
    ("南京為什麼", "traditional phrase"),
    ("杭 州", "two parts"),
    ("南京 杭州 GDP", "three parts"),
    ("第1條", "whitespace ignored"),
    ("條", "single character"),
    ("臺", "single traditional character"),
    ("的", "single common character"),
    ("，", "only punctuation"),
    ("中華民國", "traditional word"),
    ("主管機關", "traditional word"),
    ("主管机关", "simplified finds traditional"),
    ("新臺幣", "traditional word"),
    ("附表", "word"),
    ("罰鍰", "word"),
    ("本法施行細則", "phrase"),
]

_t2s = opencc.OpenCC("t2s")
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def folded(text):
    """The oracle's folding: NFKC, traditional to simplified, case; whitespace and control
    characters dropped."""
    text = _t2s.convert(unicodedata.normalize("NFKC", text)).casefold()
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cc")


class BlockReader(HTMLParser):
    """The text of each block of the stored HTML: paragraphs, headings, list items, table cells,
    quotes and code blocks; inline elements add their text to the block they are in."""

    EDGES = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "th",
             "td", "thead", "tbody", "blockquote", "pre", "hr"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.text = [], ""

    def edge(self):
        if self.text.strip():
            self.blocks.append(self.text)
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.EDGES:
            self.edge()

    def handle_data(self, data):
        self.text += data


def body_blocks(html):
    reader = BlockReader()
    reader.feed(html)
    reader.close()
    reader.edge()
    return reader.blocks


def oracle_view(article):
    """(title blocks, every block) of an article as the reader sees it, unfolded."""
    head = [article.title, *(tag.name for tag in article.tags.all())]
    return head, [*head, article.summary, *body_blocks(article.body_html)]


def expected(articles, query):
    """Slugs of the articles matching query, title and tag matches first, then newest."""
    query_parts = [folded(part) for part in query.split()]
    query_parts = [part for part in query_parts if part]
    if not query_parts:
        return []

    def holds(blocks):
        return all(any(part in block for block in blocks) for part in query_parts)

    found = [a for a in articles if holds(a.every)]
    found.sort(key=lambda a: (not holds(a.head), -(a.published_at or NEVER).timestamp(), -a.pk))
    return [a.slug for a in found]


def load_laws(make_article):
    now = timezone.now()
    for n, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines()[:LAWS]):
        law = json.loads(line)
        make_article(
            title=law["title"],
            slug=law["id"].lower(),
            summary="",
            body=law["body"],
            tags=law["tags"],
            published_at=now - timedelta(hours=n + 10),
        )


@pytest.fixture(autouse=True)
def unthrottled(settings):
    """These tests ask hundreds of questions a minute from one address; the search throttle
    (SEARCH_RATE) has its own tests in tests/site/test_client_identity.py."""
    settings.SEARCH_RATE = "100000/min"


@pytest.fixture
def corpus(make_article, hangzhou, nanjing):
    if not CORPUS.exists():
        pytest.skip(f"the corpus of real text is not at {CORPUS}")
    load_laws(make_article)
    for n, fields in enumerate(WRITTEN):
        fields = {"summary": "", **fields}
        if fields.get("status") != "draft":
            fields["published_at"] = timezone.now() - timedelta(minutes=n + 1)
        make_article(slug=f"written-{n}", **fields)
    articles = list(Article.objects.defer(None).prefetch_related("tags"))
    for article in articles:
        article.head, article.every = (list(map(folded, part)) for part in oracle_view(article))
    return articles


def sampled_queries(articles, count=160, seed=12):
    """Substrings of the laws' own blocks, as typed (traditional) and folded to simplified;
    pieces across two neighbouring blocks (which must not match that way); and pairs."""
    rng = random.Random(seed)
    laws = [a for a in articles if a.slug.startswith("law-")]
    queries = []
    while len(queries) < count:
        blocks = body_blocks(rng.choice(laws).body_html)
        block = rng.choice(blocks)
        length = rng.choice([1, 2, 2, 3, 4, 6, 9])
        start = rng.randrange(max(1, len(block) - length))
        piece = "".join(block[start : start + length].split())
        if not piece:
            continue
        kind = rng.random()
        if kind < 0.15 and len(blocks) > 1:
            at = rng.randrange(len(blocks) - 1)
            piece = blocks[at].strip()[-3:] + blocks[at + 1].strip()[:3]
        elif kind < 0.35:
            piece = _t2s.convert(piece)
        elif kind < 0.5:
            piece += " " + "".join(rng.choice(blocks)[:2].split())
        queries.append(piece)
    return queries


def test_search_finds_exactly_what_the_brute_force_reading_finds(corpus, client):
    # The mention link is real: 杭州 is linked in the article the phrase runs through.
    linked = Article.objects.get(slug="written-0").body_html
    assert re.search(r'<a href="/cities/hangzhou/"[^>]*>杭州</a>六小龙', linked)
    published = [a for a in corpus if a.status == "published"]
    queries = list(dict.fromkeys([q for q, _ in CHOSEN] + sampled_queries(published)))
    wrong, hits = [], 0
    for query in queries:
        want = expected(published, query)
        got = [a.slug for a in ranked(Article.objects.published(), query)]
        hits += bool(want)
        if got != want:
            missed, extra = set(want) - set(got), set(got) - set(want)
            wrong.append(
                f"{query!r}: missed {sorted(missed)}, extra {sorted(extra)}, order {got == want}"
            )
    assert not wrong, "\n".join(wrong)
    assert hits > len(queries) * 0.7  # most queries find something: the check has teeth
    # The page a reader gets agrees too: the count, and the first page in order.
    for query, _ in CHOSEN:
        response = client.get(reverse("articles:article-list"), {"q": query})
        want = expected(published, query)
        assert response.status_code == 200
        assert response.context["paginator"].count == len(want), query
        assert [a.slug for a in response.context["page_obj"]] == want[:20], query


def test_every_kind_of_query_finds_the_written_articles(corpus):
    """The promise's examples, spelled out: the oracle must agree that each finds its article."""
    published = [a for a in corpus if a.status == "published"]
    for query, slug in [("杭州六小龙", "written-0"), ("宁德时代", "written-0"),
                        ("08年", "written-1"), ("Phone", "written-1"), ("《求是》", "written-1"),
                        ("ＤｅｅｐＳｅｅｋ", "written-2"), ("12.5%", "written-2"),
                        ("经济", "written-4")]:  # fmt: skip
        assert slug in expected(published, query), query
    for query in ["杭州六小龙的故事", "南京18,500", "城市GDP"]:
        assert not any(s.startswith("written") for s in expected(published, query)), query


def _snippet_text(html):
    return unescape(re.sub(r"</?mark>", "", html)).strip("…")


WORDISH = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")


def test_snippets_are_cut_from_one_block_with_no_space_put_in(corpus, client):
    published = {a.slug: a for a in corpus if a.status == "published"}
    queries = [q for q, _ in CHOSEN] + sampled_queries(list(published.values()), count=40)
    queries = list(dict.fromkeys(queries))  # each page once: a second request is cached
    checked = 0
    for query in queries:
        response = client.get(reverse("articles:article-list"), {"q": query})
        for result in response.context["page_obj"]:
            article = published[result.slug]
            blocks = [
                " ".join(b.split()) for b in [article.summary, *body_blocks(article.body_html)]
            ]
            text = _snippet_text(str(result.snippet))
            if not text:
                continue
            home = [b for b in blocks if text in b]
            assert home, f"{query!r} in {result.slug}: {text!r} is not the text of one block"
            # Never cut inside a number or a Latin word.
            block = home[0]
            at = block.index(text)
            end = at + len(text)
            if at and WORDISH.match(block[at - 1]) and WORDISH.match(block[at]):
                pytest.fail(f"{query!r}: the snippet starts inside a word: {text!r}")
            if end < len(block) and WORDISH.match(block[end - 1]) and WORDISH.match(block[end]):
                pytest.fail(f"{query!r}: the snippet ends inside a word: {text!r}")
            # The snippet shows a match when a block of the body holds one.
            parts = [folded(p) for p in query.split() if folded(p)]
            if any(p in folded(b) for b in blocks for p in parts):
                assert "<mark>" in str(result.snippet), (query, result.slug, text)
            checked += 1
    assert checked > 200


def test_admin_search_finds_traditional_text_like_the_public_search(corpus, editor_client, client):
    published = [a for a in corpus if a.status == "published"]
    public = client.get(reverse("articles:article-list"), {"q": "經濟"})
    assert public.context["paginator"].count == len(expected(published, "經濟")) > 1
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"q": "經濟"})
    assert response.status_code == 200
    assert response.context["cl"].result_count < 100  # all on one admin page
    admin_slugs = {a.slug for a in response.context["cl"].result_list}
    # The same articles, and the admin shows drafts too: the draft about 经济 is found there.
    assert admin_slugs == set(expected(corpus, "經濟"))
    assert admin_slugs - set(expected(published, "經濟")) == {"written-5"}

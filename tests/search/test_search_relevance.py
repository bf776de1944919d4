"""The relevance set: what readers type, over a small corpus, and what they should find.

Runs unchanged on SQLite and on PostgreSQL (CI runs the suite on both), so the two engines are
held to the same result sets.
"""

import pytest
from django.urls import reverse

CORPUS = {
    "hz-ai": dict(
        title="DeepSeek为什么会出现在杭州？",
        tags=["人工智能"],
        body="杭州“六小龙”破圈：DeepSeek、宇树科技、游戏科学。阿里云的算力底座之上，"
        "海康威视、新华三沉淀了视觉识别能力。",
    ),
    "nj-why": dict(
        title="为什么南京发展不出“杭州六小龙”？",
        body="南京的高校、科研、人才都不缺。南京为什么很少诞生本土新兴产业巨头？",
    ),
    "nj-has": dict(
        title="杭州有DeepSeek，南京有什么？",
        body="2024年长三角城市经济数据显示，南京以1.85万亿元GDP总量位列第10，"
        "与杭州的差距扩大至3360亿元。",
    ),
    "gd": dict(
        title="广东为何没有诞生AI巨头",
        body="DeepSeek的创始人梁文锋、Kimi创始人杨植麟、人工智能科学家何恺明都是广东人。",
    ),
    "chip": dict(
        title="上海张江的芯片产业",
        tags=["芯片"],
        body="张江集聚了集成电路设计、制造与封测企业，人才向上海汇集。",
    ),
    "hefei": dict(title="合肥的新能源汽车", body="蔚来落户合肥，带动了整条产业链。"),
    "yrd": dict(
        title="长三角一体化的十年",
        body="三省一市在交通、产业上协同：上海、南京、杭州、合肥四个都市圈。",
    ),
    "cq": dict(
        title="重庆的汽车与电子产业",
        body="重庆笔电产量约占全球三分之一，Chongqing 也是长江上游的航运中心。",
    ),
    "kimi": dict(title="月之暗面与Kimi", body="Kimi 是月之暗面推出的大模型产品，总部在北京。"),
    "h3c": dict(title="新华三的网络设备", body="新华三集团总部位于滨江，是紫光旗下企业。"),
    "sz": dict(
        title="深圳：硬件之都",
        body="华为、大疆与比亚迪都在深圳。深圳的GDP在2024年超过3.6万亿元。",
    ),
}
DRAFT = dict(title="草稿：杭州 DeepSeek 内参", body="未发布的草稿专用词。", status="draft")

# (what the reader types, the articles they should get)
QUERIES = [
    # two-character words
    ("杭州", {"hz-ai", "nj-why", "nj-has", "yrd"}),
    ("南京", {"nj-why", "nj-has", "yrd"}),
    ("芯片", {"chip"}),
    ("上海", {"chip", "yrd"}),
    ("合肥", {"hefei", "yrd"}),
    ("北京", {"kimi"}),
    ("汽车", {"hefei", "cq"}),
    # longer words, which segmentation would split
    ("新华三", {"hz-ai", "h3c"}),
    ("阿里云", {"hz-ai"}),
    ("云算力", set()),
    ("新能源汽车", {"hefei"}),
    ("宇树科技", {"hz-ai"}),
    ("人工智能", {"hz-ai", "gd"}),
    ("杭州六小龙", {"nj-why"}),
    # Latin names inside Chinese, any width or case
    ("DeepSeek", {"hz-ai", "nj-has", "gd"}),
    ("deepseek", {"hz-ai", "nj-has", "gd"}),
    ("ＤｅｅｐＳｅｅｋ", {"hz-ai", "nj-has", "gd"}),
    ("Kimi", {"gd", "kimi"}),
    ("GDP", {"nj-has", "sz"}),
    ("Chongqing", {"cq"}),
    ("2024", {"nj-has", "sz"}),
    # traditional characters
    ("長三角", {"nj-has", "yrd"}),
    ("南京為什麼", {"nj-why"}),
    ("為什麼", {"hz-ai", "nj-why"}),
    ("重慶", {"cq"}),
    ("何愷明", {"gd"}),
    ("新華三", {"hz-ai", "h3c"}),
    # mixed
    ("DeepSeek 杭州", {"hz-ai", "nj-has"}),
    ("DeepSeek杭州", set()),  # one part: it must occur as typed
    ("kimi 北京", {"kimi"}),
    ("深圳的GDP", {"sz"}),
    ("3360亿元", {"nj-has"}),
    ("1.85万亿", {"nj-has"}),
    ("蔚来 合肥", {"hefei"}),
    # parts split on whitespace only: each occurs, not side by side; punctuation inside a
    # part is matched like any character
    ("杭州 六小龙", {"hz-ai", "nj-why"}),
    ("杭州，南京", set()),
    ("杭州 南京", {"nj-why", "nj-has", "yrd"}),
    ("上海、南京、杭州", {"yrd"}),
    ("华为、大疆", {"sz"}),
    ("“华为、大疆”", set()),
    ("“杭州六小龙”", {"nj-why"}),
    # single characters match inside words
    ("芯", {"chip"}),
    ("渝", set()),
    # drafts are never found
    ("草稿专用词", set()),
]


@pytest.fixture
def corpus(make_article):
    for slug, fields in CORPUS.items():
        make_article(slug=slug, summary="", **fields)
    make_article(slug="draft", summary="", **DRAFT)


def found(client, query):
    response = client.get(reverse("articles:article-list"), {"q": query})
    assert response.status_code == 200
    return {article.slug for article in response.context["page_obj"]}


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_exactly_the_expected_articles(client, corpus, query, expected):
    assert found(client, query) == expected

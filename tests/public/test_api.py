"""The read-only JSON API under /api/v1/: the same filters as /articles/, counts, figures,
pagination, clear 400s, rate limiting and its schema."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.helpers import ENDPOINTS

CARD_LINK = re.compile(r'<h[23]><a href="/articles/([^"/?]+)/">')


@pytest.fixture
def library(make_article, hangzhou, nanjing):
    now = timezone.now()
    make_article(
        title="杭州人工智能",
        tags=["人工智能", "算力"],
        cities=[hangzhou],
        published_at=now - timedelta(days=400),
    )
    make_article(
        title="南京芯片", tags=["芯片"], cities=[nanjing], published_at=now - timedelta(days=3)
    )
    make_article(
        title="兩地人工智能與芯片",
        tags=["人工智能", "芯片"],
        cities=[hangzhou, nanjing],
        published_at=now - timedelta(days=2),
    )
    make_article(title="只是摘要", summary="講人工智能", published_at=now - timedelta(days=1))
    make_article(title="草稿人工智能", tags=["人工智能"], status=Article.Status.DRAFT)
    make_article(title="未来人工智能", tags=["人工智能"], published_at=now + timedelta(days=1))


def api_slugs(client, query):
    response = client.get("/api/v1/articles/", query)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def page_slugs(client, query):
    response = client.get(reverse("articles:article-list"), query)
    assert response.status_code == 200
    return CARD_LINK.findall(response.content.decode())


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, 4),
        ({"tag": ["人工智能", "芯片"]}, 1),
        ({"tag": ["人工智能", "芯片"], "match": "any"}, 3),
        ({"city": ["hangzhou"]}, 2),
        ({"city": ["hangzhou", "nanjing"], "sort": "oldest"}, 3),
        ({"q": "人工智能"}, 3),
        ({"q": "兩地"}, 1),
        ({"year": str(timezone.now().year)}, None),
        ({"from": (timezone.now() - timedelta(days=5)).date().isoformat()}, 3),
        ({"to": (timezone.now() - timedelta(days=100)).date().isoformat()}, 1),
        ({"tag": "人工智能", "city": "hangzhou", "q": "杭州"}, 1),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
    ),
)
def test_article_list_filters_exactly_as_the_site_does(client, library, query, found):
    slugs = api_slugs(client, query)
    assert slugs == page_slugs(client, query)
    assert found is None or len(slugs) == found


def test_article_list_has_no_drafts_or_scheduled(client, library):
    titles = [item["title"] for item in client.get("/api/v1/articles/").json()["items"]]
    assert len(titles) == 4
    assert "草稿人工智能" not in titles
    assert "未来人工智能" not in titles


def test_search_folds_traditional_and_simplified(client, library):
    assert len(api_slugs(client, {"q": "两地人工智能"})) == 1


def test_article_list_item_has_links_tags_and_cities(client, library):
    [item] = client.get("/api/v1/articles/", {"q": "南京芯片"}).json()["items"]
    assert item["url"] == f"http://testserver/articles/{item['slug']}/"
    assert item["tags"] == [{"name": "芯片", "slug": "芯片"}]
    assert item["cities"] == [{"name": "南京", "slug": "nanjing"}]
    assert "body_html" not in item


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2025-05-01", "to": "2025-01-01"}, "__all__", "起始日期晚于截止日期。"),
        ({"tag": "a b"}, "tag", "“a b”不是有效的名称。"),
        ({"from": "2025-13-01"}, "from", "起始日期要写成 2025-05-01 这样的格式"),
        ({"q": "x" * 101}, "q", "100"),
    ],
)
def test_invalid_filter_is_a_400_with_the_forms_message(client, db, query, field, message):
    response = client.get("/api/v1/articles/", query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "筛选条件有误。"
    assert message in " ".join(body["errors"][field])


@pytest.mark.parametrize(
    "query",
    [{"year": "abc"}, {"match": "some"}, {"sort": "random"}, {"page": "0"}, {"page": "9" * 30}],
)
def test_malformed_parameter_is_a_400(client, db, query):
    response = client.get("/api/v1/articles/", query)
    assert response.status_code == 400
    assert response.json()["detail"] == "参数有误。"


def test_list_is_paginated_by_twenty(client, make_article):
    for _ in range(25):
        make_article()
    first = client.get("/api/v1/articles/").json()
    second = client.get("/api/v1/articles/", {"page": 2}).json()
    assert first["count"] == second["count"] == 25
    assert len(first["items"]) == 20
    assert len(second["items"]) == 5
    assert client.get("/api/v1/articles/", {"page": 3}).json()["items"] == []


def test_article_detail_has_the_sanitised_body_and_sources(client, make_article):
    article = make_article(title="正文", body="**粗体**<script>x</script>")
    article.links.create(title="原文", url="https://example.com/a")
    body = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert "<strong>粗体</strong>" in body["body_html"]
    assert "<script>" not in body["body_html"]
    assert body["links"] == [{"title": "原文", "url": "https://example.com/a"}]


def test_draft_and_scheduled_article_details_are_404(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    for article in (draft, scheduled):
        response = client.get(f"/api/v1/articles/{article.slug}/")
        assert response.status_code == 404
        assert response.json()["detail"] == "没有这篇文章。"
    assert client.get("/api/v1/articles/nothing-here/").status_code == 404
    assert client.get("/api/v1/articles/%00/").status_code == 404


def test_tags_are_counted_over_published_articles_only(client, library):
    counts = {tag["name"]: tag["articles"] for tag in client.get("/api/v1/tags/").json()["items"]}
    assert counts == {"人工智能": 2, "芯片": 2, "算力": 1}


def test_cities_come_with_their_figures_and_article_counts(client, library):
    cities = {city["slug"]: city for city in client.get("/api/v1/cities/").json()["items"]}
    assert cities["hangzhou"]["articles"] == 2
    assert [row["year"] for row in cities["hangzhou"]["figures"]] == [2024, 2023]
    assert cities["hangzhou"]["figures"][0]["gdp"] == 21860
    assert cities["hangzhou"]["figures"][0]["gdp_source"] == "https://example.com/bulletin"
    detail = client.get("/api/v1/cities/nanjing/").json()
    assert detail["figures"][0]["population"] == 957.7
    assert client.get("/api/v1/cities/nowhere/").status_code == 404


def test_unknown_figure_stays_null_not_zero(client, make_city):
    make_city("苏州", "suzhou", figures=[(2024, None, "1298.7")])
    [row] = client.get("/api/v1/cities/suzhou/").json()["figures"]
    assert row["gdp"] is None


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("url", "ceiling"),
    [
        ("/api/v1/articles/?tag=人工智能&q=文章", 5),
        ("/api/v1/tags/", 3),
        ("/api/v1/cities/", 4),
        ("/api/v1/cities/city-0/", 3),
    ],
)
def test_query_count_is_fixed(
    client, make_article, make_city, size, url, ceiling, django_assert_max_num_queries
):
    cities = [make_city(f"城市{n}", f"city-{n}", figures=[(2024, "1", "1")]) for n in range(size)]
    for n in range(size):
        make_article(title=f"文章 {n}", tags=["人工智能", f"标签{n}"], cities=cities[n : n + 2])
    client.get("/")  # each request reads the versions of what it shows once (+1)
    with django_assert_max_num_queries(ceiling + 1):
        assert client.get(url).status_code == 200


def test_anonymous_clients_are_rate_limited(client, settings, make_article):
    settings.API_ANON_RATE = "3/min"
    make_article()
    statuses = [client.get("/api/v1/tags/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/articles/").status_code == 429


def test_schema_is_served_at_a_stable_url(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == ENDPOINTS
    names = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {"q", "tag", "match", "city", "year", "from", "to", "sort", "page"} <= names


def test_organisations_come_with_their_city_aliases_and_published_counts(
    client, make_article, hangzhou
):
    from articles.models import Organisation

    unitree = Organisation.objects.create(
        name="宇树科技", slug="unitree", city=hangzhou, aliases="Unitree、宇树"
    )
    Organisation.objects.create(name="浙江大学", slug="zju", kind="university")
    make_article(title="机器人").organisations.add(unitree)
    make_article(title="草稿", status=Article.Status.DRAFT).organisations.add(unitree)
    items = client.get("/api/v1/organisations/").json()["items"]
    assert [(o["slug"], o["city"], o["articles"]) for o in items] == [
        ("unitree", "hangzhou", 1),
        ("zju", None, 0),
    ]
    detail = client.get("/api/v1/organisations/unitree/").json()
    assert detail["aliases"] == ["Unitree", "宇树"]
    assert detail["url"] == "http://testserver/organisations/unitree/"
    assert client.get("/api/v1/organisations/no-such/").status_code == 404

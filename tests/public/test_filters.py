"""/articles/: every filter alone and combined, chips, facet counts, pagination."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST = reverse("articles:article-list")


def when(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def titles(response):
    return [article.title for article in response.context["page_obj"]]


@pytest.fixture
def corpus(make_article, hangzhou, nanjing, make_city):
    hefei = make_city("合肥", "hefei", region="长三角")
    return {
        "ai_hz": make_article(
            title="杭州的人工智能",
            body="DeepSeek 与阿里云。",
            tags=["人工智能", "DeepSeek"],
            cities=[hangzhou],
            published_at=when(2025, 2, 10, 9),
        ),
        "ai_nj": make_article(
            title="南京的人工智能",
            body="高校与科研院所。",
            tags=["人工智能"],
            cities=[nanjing],
            published_at=when(2024, 11, 5, 9),
        ),
        "compare": make_article(
            title="杭州与南京：GDP 差距",
            body="2024 年杭州 GDP 21,860 亿元，南京 18,500.81 亿元。長三角城市比較。",
            tags=["城市竞争", "DeepSeek"],
            cities=[hangzhou, nanjing],
            published_at=when(2025, 2, 8, 12),
        ),
        "ev": make_article(
            title="合肥的新能源汽车",
            body="产业投资。",
            tags=["新能源汽车"],
            cities=[hefei],
            published_at=when(2024, 3, 1, 9),
        ),
    }


def test_unfiltered_list_is_newest_first(client, corpus):
    assert titles(client.get(LIST)) == [
        "杭州的人工智能",
        "杭州与南京：GDP 差距",
        "南京的人工智能",
        "合肥的新能源汽车",
    ]


def test_sort_oldest_first(client, corpus):
    assert titles(client.get(LIST, {"sort": "oldest"}))[0] == "合肥的新能源汽车"


def test_one_tag(client, corpus):
    assert set(titles(client.get(LIST, {"tag": "人工智能"}))) == {
        "杭州的人工智能",
        "南京的人工智能",
    }


def test_two_tags_must_all_match(client, corpus):
    response = client.get(LIST, {"tag": ["人工智能", "deepseek"]})
    assert titles(response) == ["杭州的人工智能"]


def test_two_tags_with_match_any(client, corpus):
    response = client.get(LIST, {"tag": ["新能源汽车", "城市竞争"], "match": "any"})
    assert set(titles(response)) == {"合肥的新能源汽车", "杭州与南京：GDP 差距"}


def test_one_city(client, corpus):
    assert set(titles(client.get(LIST, {"city": "nanjing"}))) == {
        "南京的人工智能",
        "杭州与南京：GDP 差距",
    }


def test_two_cities_give_articles_about_either(client, corpus):
    assert len(titles(client.get(LIST, {"city": ["hefei", "nanjing"]}))) == 3


def test_year(client, corpus):
    assert set(titles(client.get(LIST, {"year": "2024"}))) == {"南京的人工智能", "合肥的新能源汽车"}


def test_year_follows_shanghai_time(client, make_article):
    # 2025-01-01 00:30 in Shanghai is still 2024 in UTC.
    make_article(title="新年第一篇", published_at=when(2025, 1, 1, 0, 30))
    assert titles(client.get(LIST, {"year": "2025"})) == ["新年第一篇"]
    assert titles(client.get(LIST, {"year": "2024"})) == []


def test_date_range_includes_both_ends(client, corpus):
    response = client.get(LIST, {"from": "2025-02-08", "to": "2025-02-10"})
    assert titles(response) == ["杭州的人工智能", "杭州与南京：GDP 差距"]


def test_from_alone_and_to_alone(client, corpus):
    assert len(titles(client.get(LIST, {"from": "2025-01-01"}))) == 2
    assert titles(client.get(LIST, {"to": "2024-03-01"})) == ["合肥的新能源汽车"]


def test_q_matches_title_and_body(client, corpus):
    assert titles(client.get(LIST, {"q": "高校"})) == ["南京的人工智能"]
    assert titles(client.get(LIST, {"q": "新能源"})) == ["合肥的新能源汽车"]


@pytest.mark.parametrize("query", ["長三角", "城市比较", "ＧＤＰ 差距", "gdp 差距"])
def test_q_folds_traditional_width_and_case(client, corpus, query):
    assert "杭州与南京：GDP 差距" in titles(client.get(LIST, {"q": query}))


def test_all_filters_combined(client, corpus):
    response = client.get(
        LIST,
        {
            "tag": "deepseek",
            "city": "hangzhou",
            "year": "2025",
            "from": "2025-02-01",
            "to": "2025-02-28",
            "q": "GDP",
        },
    )
    assert titles(response) == ["杭州与南京：GDP 差距"]


def test_active_filters_show_as_chips_that_remove_one_filter(client, corpus):
    response = client.get(LIST, {"tag": ["人工智能", "deepseek"], "city": "hangzhou"})
    chips = {label: link for _, _, label in response.context["chips"] for link in [label]}
    assert set(chips) == {"标签：人工智能", "标签：DeepSeek", "城市：杭州"}
    html = response.text
    assert 'href="?tag=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&amp;city=hangzhou"' in html
    followed = client.get(LIST, {"tag": "人工智能", "city": "hangzhou"})
    assert titles(followed) == ["杭州的人工智能"]


def test_tag_facets_count_what_each_tag_would_leave(client, corpus):
    response = client.get(LIST, {"city": "hangzhou"})
    counts = {tag.name: tag.num_articles for tag in response.context["tag_facets"]}
    assert counts == {"DeepSeek": 2, "人工智能": 1, "城市竞争": 1}


def test_city_and_year_facets_follow_the_result_set(client, corpus):
    response = client.get(LIST, {"tag": "人工智能"})
    cities = {city.name: city.num_articles for city in response.context["city_facets"]}
    assert cities == {"杭州": 1, "南京": 1}
    assert dict(response.context["year_facets"]) == {2025: 1, 2024: 1}


def test_city_facets_show_the_thirty_most_common_cities(client, make_city, make_article):
    cities = [make_city(f"城市{n:02d}", f"city-{n:02d}") for n in range(32)]
    for city in cities:
        make_article(cities=[city])
    make_article(cities=[cities[31]])
    facets = client.get(LIST).context["city_facets"]
    assert len(facets) == 30
    assert (facets[0].slug, facets[0].num_articles) == ("city-31", 2)


def test_facet_link_adds_to_the_current_filters(client, corpus):
    response = client.get(LIST, {"city": "hangzhou", "page": "1"})
    assert 'href="?city=hangzhou&amp;tag=deepseek"' in response.text


def test_pagination_keeps_the_filters(client, make_article):
    for n in range(25):
        make_article(title=f"分页 {n}", tags=["芯片"])
    first = client.get(LIST, {"tag": "芯片"})
    assert len(titles(first)) == 20
    assert 'href="?tag=%E8%8A%AF%E7%89%87&amp;page=2"' in first.text
    second = client.get(LIST, {"tag": "芯片", "page": 2})
    assert len(titles(second)) == 5
    assert not set(titles(first)) & set(titles(second))


def test_invalid_filter_shows_a_message_and_no_results(client, corpus):
    response = client.get(LIST, {"from": "2025-05-01", "to": "2024-01-01"})
    assert response.status_code == 200
    assert titles(response) == []
    assert "起始日期晚于截止日期" in response.text


def test_facet_counts_and_total_follow_each_change_even_with_the_page_cache_off(
    client, settings, corpus, make_article
):
    settings.PAGE_CACHE = False  # facet counts are remembered per change to what they count
    counts = {t.name: t.num_articles for t in client.get(LIST).context["tag_facets"]}
    assert counts["人工智能"] == 2
    newest = make_article(title="第三篇人工智能", tags=["人工智能"])
    response = client.get(LIST)
    counts = {t.name: t.num_articles for t in response.context["tag_facets"]}
    assert counts["人工智能"] == 3
    assert "共 5 篇" in response.text  # the remembered total follows too
    newest.unpublish()
    newest.save()
    counts = {t.name: t.num_articles for t in client.get(LIST).context["tag_facets"]}
    assert counts["人工智能"] == 2


def test_tag_page_total_follows_each_change_even_with_the_page_cache_off(
    client, settings, corpus, make_article
):
    settings.PAGE_CACHE = False  # the total is remembered per change to what it counts
    assert "2 篇文章" in client.get("/tags/人工智能/").text
    newest = make_article(title="第三篇人工智能", tags=["人工智能"])
    assert "3 篇文章" in client.get("/tags/人工智能/").text
    newest.tags.clear()
    assert "2 篇文章" in client.get("/tags/人工智能/").text


def test_related_articles_share_a_tag_or_city(client, corpus):
    response = client.get(corpus["ev"].get_absolute_url())
    assert list(response.context["related"]) == []  # 合肥's piece shares nothing
    response = client.get(corpus["ai_hz"].get_absolute_url())
    assert response.context["related"][0] == corpus["compare"]  # DeepSeek and 杭州

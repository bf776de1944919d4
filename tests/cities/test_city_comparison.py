"""/cities/compare/: figures side by side, differences in words, industries, organisations and
the articles that discuss the cities together."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Organisation
from tests.hostile.payloads import HOSTILE_QUERIES, runnable_markup

URL = reverse("articles:city-compare")


@pytest.fixture
def ningbo(make_city):
    # 2024 GDP not found: the cell stays empty.
    return make_city(
        "宁波", "ningbo", figures=[(2023, "16453.00", None), (2024, None, "978")], tags=["港口物流"]
    )


def compare(client, *slugs):
    return client.get(URL, {"c": list(slugs)})


def test_differences_are_stated_in_chinese_with_exact_grouped_decimals(client, hangzhou, nanjing):
    response = compare(client, "hangzhou", "nanjing")
    assert response.status_code == 200
    assertContains(response, "<li>杭州2024年GDP比南京高3,359.19亿元。</li>", html=True)
    assertContains(response, "<li>杭州2024年常住人口比南京多304.3万人。</li>", html=True)
    # 21860 / 1262 and 18500.81 / 957.70, in 元 per person
    assertContains(response, "<li>杭州2024年人均GDP比南京低19,963元。</li>", html=True)


def test_the_order_in_the_url_is_the_order_of_the_sentences(client, hangzhou, nanjing):
    response = compare(client, "nanjing", "hangzhou")
    assertContains(response, "南京2024年GDP比杭州低3,359.19亿元。")
    assert response.context["selected"] == ["nanjing", "hangzhou"]


def test_a_missing_figure_is_shown_missing_never_zero(client, hangzhou, ningbo):
    response = compare(client, "hangzhou", "ningbo")
    assertContains(response, "宁波2024年GDP暂缺，无法与杭州比较。")
    assertNotContains(response, "宁波2024年GDP比")
    table = response.context["comparison"].table()
    gdp_2024 = next(values for year, m, values in table if year == 2024 and m.code == "gdp")
    assert gdp_2024[1].value is None
    assertContains(response, "杭州2023年GDP比宁波高3,606亿元。")


def test_growth_and_rank_are_compared_in_their_own_words(client, hangzhou, nanjing):
    nanjing.figures.filter(year=2024).update(gdp_rank=10, gdp_rank_status="cited")
    hangzhou.figures.filter(year=2024).update(gdp_rank=8, gdp_rank_status="cited")
    response = compare(client, "hangzhou", "nanjing")
    assertContains(response, "杭州2024年全国GDP排名比南京靠前2位。")
    # Hangzhou grew 21860 / 20059 - 1 = 8.98 %; Nanjing has no 2023 figure in the fixture.
    assertContains(response, "南京2024年GDP名义增速暂缺，无法与杭州比较。")


def test_shared_and_distinct_industries_and_organisations_are_listed(client, hangzhou, nanjing):
    hangzhou.tags.set(["数字经济", "人工智能"])
    nanjing.tags.set(["软件信息", "人工智能"])
    Organisation.objects.create(name="DeepSeek", slug="deepseek", city=hangzhou)
    Organisation.objects.create(name="南京大学", slug="nju", city=nanjing, kind="university")
    response = compare(client, "hangzhou", "nanjing")
    assertContains(response, "两座及以上城市共有的产业：人工智能（杭州、南京）")
    assertContains(response, "<li>杭州独有：数字经济</li>", html=True)
    assertContains(response, "<li>南京独有：软件信息</li>", html=True)
    assertContains(response, 'href="/organisations/deepseek/"')
    assertContains(response, 'href="/organisations/nju/"')


def test_only_published_articles_about_all_the_cities_are_listed(
    client, make_article, hangzhou, nanjing
):
    both = make_article(title="杭州与南京", cities=[hangzhou, nanjing])
    make_article(title="只谈杭州", cities=[hangzhou])
    make_article(title="草稿谈两城", cities=[hangzhou, nanjing], status=Article.Status.DRAFT)
    response = compare(client, "hangzhou", "nanjing")
    assert list(response.context["together"]) == [both]
    assertNotContains(response, "草稿谈两城")


def test_charts_and_a_plain_table_are_on_the_page(client, hangzhou, nanjing):
    response = compare(client, "hangzhou", "nanjing")
    assertContains(response, '<script id="chart-gdp" type="application/json">')
    assertContains(response, "echarts.common.min")
    assertContains(response, '<table class="chart-table">')
    chart = response.context["comparison"].charts()[0]
    assert chart.data["series"] == [
        {"name": "杭州", "data": [20059.0, 21860.0]},
        {"name": "南京", "data": [None, 18500.81]},
    ]


def test_the_form_shows_the_chosen_cities_checked(client, hangzhou, nanjing):
    response = compare(client, "hangzhou", "nanjing")
    assertContains(response, '<input type="checkbox" name="c" value="hangzhou" checked>', html=True)


def test_four_cities_compare_each_with_the_first(client, make_city, hangzhou, nanjing, ningbo):
    make_city("合肥", "hefei", figures=[(2024, "13507.70", "1000.20")])
    response = compare(client, "hangzhou", "nanjing", "ningbo", "hefei")
    assertContains(response, "杭州2024年GDP比合肥高8,352.3亿元。")
    assert [c.slug for c in response.context["comparison"].cities] == [
        "hangzhou",
        "nanjing",
        "ningbo",
        "hefei",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("c=hangzhou", "请至少选择两座城市"),
        ("c=hangzhou&c=hangzhou", "请至少选择两座城市"),
        ("c=hangzhou&c=nanjing&c=ningbo&c=hefei&c=wuhan", "最多同时比较 4 座城市"),
        ("c=hangzhou&c=atlantis", "没有找到城市：atlantis"),
        ("c=hangzhou&c=%00", "不是有效的名称"),
        ("c=hangzhou&c=%3Cscript%3E", "不是有效的名称"),
        ("c=" + "a" * 300, "不是有效的名称"),
    ],
)
def test_bad_choices_get_a_clear_message_not_an_error(
    client, make_city, hangzhou, nanjing, ningbo, query, message
):
    for name, slug in (("合肥", "hefei"), ("武汉", "wuhan")):
        make_city(name, slug)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, 'role="alert"')
    assert "comparison" not in response.context


def test_without_cities_the_page_offers_the_choice(client, hangzhou, nanjing):
    response = client.get(URL)
    assert response.status_code == 200
    assertContains(response, 'value="nanjing"')
    assertNotContains(response, 'role="alert"')


def test_city_page_offers_a_comparison(client, hangzhou, nanjing):
    response = client.get(hangzhou.get_absolute_url())
    assertContains(response, f'action="{URL}"')
    assertContains(response, '<option value="nanjing">南京</option>', html=True)


@pytest.mark.parametrize(
    "query", [pytest.param(query, id=id_) for id_, query, _outcome, _message in HOSTILE_QUERIES]
)
@pytest.mark.parametrize(
    "url", [URL + "?c=hangzhou&c=nanjing&", "/organisations/?", "/organisations/deepseek/?"]
)
def test_new_pages_survive_hostile_parameters(client, hangzhou, nanjing, url, query):
    Organisation.objects.create(name="DeepSeek", slug="deepseek", city=hangzhou)
    response = client.get(url + query)
    if url.startswith("/organisations/deepseek/") and query.startswith("page="):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assertContains(response, "DeepSeek" if "organisations" in url else "3,359.19")


COMPARED = "杭州2024年GDP比南京高3,359.19亿元。"


def hostile_comparison(client, query):
    """The page as a browser would get it: a 500 is an answer here, not an exception."""
    from django.test import Client

    response = Client(raise_request_exception=False).get(f"{URL}?{query}")
    assert response.status_code in {200, 400}, (query[:80], response.status_code)
    if response.status_code == 200:
        assert runnable_markup(response.text) == []
    return response


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("&".join(["c=hangzhou", "c=nanjing"] * 300), COMPARED),
        ("&".join(f"c=city-{n}" for n in range(500)), "不是有效的名称|最多同时筛选"),
        ("&".join(f"c=city-{n}" for n in range(8)), "没有找到城市：city-0、city-1"),
        ("c=hangzhou&c=nanjing%00", "不是有效的名称"),
        ("c=%00&c=%00", "不是有效的名称"),
        ("c=hangzhou&c=" + "南" * 5000, "不是有效的名称"),
        ("c=hangzhou&c=" + "a" * 100_000, "不是有效的名称"),
        ("c=hangzhou&c=%FF%FE", "不是有效的名称"),
        ("c=hangzhou&c=%E2%80%AEnanjing", "不是有效的名称"),
        ("c=hangzhou&c=nanjing&c=", COMPARED),
        ("c[]=hangzhou&c[]=nanjing", None),
        ("c=hangzhou&c=..%2F..%2Fetc%2Fpasswd", "不是有效的名称"),
        ("c=hangzhou&c=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "不是有效的名称"),
    ],
    ids=[
        "600-params", "500-unknown", "8-unknown", "nul-suffix", "nul-only", "long-chinese",
        "100k-value", "invalid-utf8", "rtl-override", "empty-value", "php-array", "traversal",
        "script",
    ],
)  # fmt: skip
def test_hostile_comparison_parameters_get_a_message_or_a_4xx(
    client, hangzhou, nanjing, query, message
):
    response = hostile_comparison(client, query)
    if message == COMPARED:  # repeats and empty values are dropped: a plain comparison
        assertContains(response, COMPARED)
    elif message is None:  # not a parameter of the page: the choice is offered
        assertNotContains(response, 'role="alert"')
    elif response.status_code == 200:
        assert "comparison" not in response.context
        assert re.search(message, response.text), message
        assertContains(response, 'role="alert"')


def test_more_parameters_than_django_takes_is_a_400(client, hangzhou, nanjing):
    response = hostile_comparison(client, "&".join(["c=hangzhou"] * 5000))
    assert response.status_code == 400


def test_many_unknown_slugs_are_not_echoed_in_full(client, hangzhou, nanjing):
    response = hostile_comparison(client, "&".join(f"c={'x' * 110}{n}" for n in range(10)))
    assertContains(response, "没有找到城市")
    assert len(response.content) < 100_000

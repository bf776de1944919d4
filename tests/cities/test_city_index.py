"""/cities/: a table of each city's latest figures, sortable by any column, filtered by
province and region."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

URL = reverse("articles:city-list")


@pytest.fixture
def cities(make_city, make_article, hangzhou, nanjing):
    ningbo = make_city(
        "宁波", "ningbo", province="浙江省", region="长三角", figures=[(2024, None, "978")]
    )
    chengdu = make_city(
        "成都",
        "chengdu",
        province="四川省",
        region="成渝",
        figures=[(2023, "22074.70", None), (2024, "23511.30", "2147")],
    )
    make_article(cities=[nanjing])
    make_article(cities=[nanjing, hangzhou])
    return {"ningbo": ningbo, "chengdu": chengdu}


def order(response):
    return [city.slug for city, _cells in response.context["rows"]]


def test_default_order_is_gdp_highest_first_missing_last(client, cities):
    assert order(client.get(URL)) == ["chengdu", "hangzhou", "nanjing", "ningbo"]


@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        ("population", "desc", ["chengdu", "hangzhou", "ningbo", "nanjing"]),
        ("population", "asc", ["nanjing", "ningbo", "hangzhou", "chengdu"]),
        # 21860/1262, 18500.81/957.70, 23511.30/2147 (元 per person); Ningbo has no GDP: last
        ("gdp_per_person", "desc", ["nanjing", "hangzhou", "chengdu", "ningbo"]),
        # 21860/20059 - 1 = 8.98 %, 23511.30/22074.70 - 1 = 6.51 %; the others have no 2023 GDP
        ("gdp_growth", "desc", ["hangzhou", "chengdu", "nanjing", "ningbo"]),
        ("gdp_growth", "asc", ["chengdu", "hangzhou", "nanjing", "ningbo"]),
        ("articles", "desc", ["nanjing", "hangzhou", "chengdu", "ningbo"]),
        ("name", "asc", ["chengdu", "hangzhou", "nanjing", "ningbo"]),
    ],
)
def test_every_column_sorts(client, cities, sort, direction, expected):
    response = client.get(URL, {"sort": sort, "order": direction})
    assert order(response)[: len(expected)] == expected


def test_derived_figures_are_shown_with_their_year(client, cities):
    html = client.get(URL, {"sort": "gdp_growth"}).text
    growth, per_person = 'data-label="GDP名义增速（%）"', 'data-label="人均GDP（元）"'
    assert f'<td class="num" {growth}>8.98 <span class="figures-year">2024</span></td>' in html
    assert (
        f'<td class="num" {per_person}>173,217 <span class="figures-year">2024</span></td>' in html
    )


def test_the_sorted_column_says_so_for_screen_readers(client, cities):
    html = client.get(URL, {"sort": "population", "order": "asc"}).text
    assert 'aria-sort="ascending"' in html


def test_filter_by_province_and_region(client, cities):
    assert order(client.get(URL, {"province": "浙江省"})) == ["hangzhou", "ningbo"]
    assert order(client.get(URL, {"region": "成渝"})) == ["chengdu"]
    assert order(client.get(URL, {"province": "浙江省", "region": "成渝"})) == []


@pytest.mark.parametrize(
    "query",
    [
        {"province": "火星"},
        {"region": "\x00"},
        {"province": "<script>alert(1)</script>"},
        {"province": "x" * 5000},
    ],
)
def test_a_bad_filter_gets_a_message_and_no_rows(client, cities, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assertContains(response, "筛选条件无效")
    assert order(response) == []


@pytest.mark.parametrize("query", [{"sort": "bogus"}, {"sort": "gdp", "order": "sideways"}])
def test_a_bad_sort_falls_back_to_gdp(client, cities, query):
    assert order(client.get(URL, query)) == ["chengdu", "hangzhou", "nanjing", "ningbo"]

"""A city's figures over time: stored ones with their sources, derived ones computed, a missing
input giving a missing result (never 0), further indicators, and a chart beside a table."""

from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.cities.indicators import GROWTH, PER_PERSON, Series
from articles.models import City, CityFigures, Indicator, IndicatorValue


def series(city):
    return Series(City.objects.with_indicators().get(pk=city.pk))


def test_gdp_per_person_is_gdp_over_population_in_yuan(hangzhou, nanjing):
    assert PER_PERSON.value(series(hangzhou), 2024) == Decimal("173217")  # 21860 亿元 / 1262 万人
    assert PER_PERSON.value(series(nanjing), 2024) == Decimal("193180")


def test_growth_is_on_the_year_before_in_percent(hangzhou):
    assert GROWTH.value(series(hangzhou), 2024) == Decimal("8.98")  # 21860 / 20059 - 1


def test_a_missing_input_gives_a_missing_result(make_city):
    city = make_city("宁波", "ningbo", figures=[(2023, "16453", None), (2024, None, "978")])
    assert PER_PERSON.value(series(city), 2023) is None  # no population
    assert PER_PERSON.value(series(city), 2024) is None  # no GDP
    assert GROWTH.value(series(city), 2024) is None
    assert GROWTH.value(series(city), 2023) is None  # no 2022 row


def test_city_page_shows_derived_figures_and_dashes_for_missing(client, make_city):
    city = make_city("宁波", "ningbo", figures=[(2023, "16453", None), (2024, None, "978")])
    response = client.get(city.get_absolute_url())
    rows = {year: values for year, values, _sources in response.context["figures"]}
    assert [figure.value for figure in rows[2024][:4]] == [None, None, Decimal("978"), None]
    html = response.text
    row_2024 = html[html.index('<tr id="figures-2024">') :].split("</tr>")[0]
    assert row_2024.count('<td class="num">—</td>') == 4 and ">0<" not in row_2024


def test_city_page_states_units_and_that_derived_figures_are_computed(client, hangzhou):
    response = client.get(hangzhou.get_absolute_url())
    for label in ("GDP（亿元）", "常住人口（万人）", "人均GDP（元）", "GDP名义增速（%）"):
        assertContains(response, label)
    assertContains(response, "由站点按表中的 GDP 和人口计算")
    assertContains(response, "计算值", count=2)  # per person and growth, in the table head
    assertContains(response, '<td class="num">173,217</td>')


def test_city_page_has_charts_with_tables_beside_them(client, hangzhou):
    response = client.get(hangzhou.get_absolute_url())
    assertContains(response, '<script id="chart-gdp" type="application/json">')
    assertContains(response, '<div class="chart" data-chart="chart-gdp"')
    assertContains(response, '<table class="chart-table">', count=3)
    charts = {chart.id: chart.data for chart in response.context["charts"]}
    assert charts["chart-population"]["series"] == [{"name": "杭州", "data": [1252.2, 1262.0]}]
    assert charts["chart-gdp"]["categories"] == ["2023年", "2024年"]


def test_a_city_without_figures_says_so_and_loads_no_chart(client, make_city):
    city = make_city("拉萨", "lasa")
    response = client.get(city.get_absolute_url())
    assertContains(response, "暂无数据。")
    assertNotContains(response, "echarts")


def test_a_further_indicator_shows_on_the_city_page_with_its_source(client, hangzhou, nanjing):
    rd = Indicator.objects.create(code="rd_spending", name="研发投入", unit="亿元")
    IndicatorValue.objects.create(
        city=hangzhou,
        indicator=rd,
        year=2024,
        value=Decimal("667.5"),
        status="cited",
        source="https://example.com/rd（科技局）",
    )
    response = client.get(hangzhou.get_absolute_url())
    assertContains(response, "研发投入（亿元）")
    assertContains(response, '<td class="num">667.5</td>')
    assertContains(response, 'href="https://example.com/rd"')
    assertContains(response, "（科技局）")
    compare = client.get("/cities/compare/", {"c": ["hangzhou", "nanjing"]})
    assertContains(compare, "南京2024年研发投入暂缺，无法与杭州比较。")


def test_an_indicator_code_may_not_clash_with_a_core_column(db):
    from django.core.exceptions import ValidationError

    for code in ("gdp", "population_10k", "rd_source", "R&D"):
        with pytest.raises(ValidationError):
            Indicator(code=code, name="x", unit="x").full_clean()


def test_home_and_article_pages_still_show_latest_gdp_and_population(
    client, make_article, hangzhou
):
    CityFigures.objects.filter(city=hangzhou, year=2024).update(population=None)
    article = make_article(cities=[hangzhou])
    for url in ("/", article.get_absolute_url()):
        html = client.get(url).text
        assert "21,860 亿元" in html and "1,252.2 万人" in html

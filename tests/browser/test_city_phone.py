"""The city pages on a 390 px phone, with the real data loaddemo loads: the page itself never
scrolls sideways (measured), the city index becomes one card per city, the yearly table keeps
its year column in place with a hint that it scrolls, and each chart's table is one tap away.
Screenshots go to tests/browser/artifacts/ for a person to look at."""

import pytest
from django.core.management import call_command

from tests.browser.helpers import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_WIDTH = "[document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def demo(transactional_db):
    call_command("loaddemo", verbosity=0)


def no_sideways_scroll(page):
    scroll_width, inner_width = page.page.evaluate(PAGE_WIDTH)
    assert inner_width == 390
    assert scroll_width <= inner_width, f"the page scrolls sideways: {scroll_width} > {inner_width}"


def test_city_index_on_a_phone_is_one_card_per_city(open_page, demo):
    page = open_page(**PHONE)
    assert page.open("/cities/").status == 200
    no_sideways_scroll(page)
    table = page.page.locator("table.city-index")
    # Stacked: the table is as wide as the screen allows and has nothing hidden to its right.
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    first = page.page.locator("table.city-index tbody tr").first
    assert first.locator("th").bounding_box()["width"] > 300  # the city's name heads its card
    labels = first.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"GDP（亿元）"' in labels and '"省份"' in labels
    # 粤港澳大湾区 reads on one line, not a character or two a line.
    region = page.page.locator("td[data-label='区域']", has_text="粤港澳大湾区").first
    assert region.bounding_box()["height"] < 40
    page.screenshot("phone-city-index")


def test_city_page_on_a_phone_scrolls_only_its_table(open_page, demo):
    page = open_page(**PHONE)
    assert page.open("/cities/shanghai/").status == 200
    no_sideways_scroll(page)
    assert page.page.locator(".scroll-hint").first.is_visible()
    wrap = page.page.locator(".table-wrap.sticky-first").first
    year = wrap.locator("tbody th").first
    before = year.bounding_box()["x"]
    wrap.evaluate("w => { w.scrollLeft = 200; }")
    assert wrap.evaluate("w => w.scrollLeft") > 0  # the figures scroll …
    assert abs(year.bounding_box()["x"] - before) < 1  # … while the year stays put
    wrap.evaluate("w => { w.scrollLeft = 0; }")
    page.screenshot("phone-city-page")


def test_a_chart_and_its_table_are_alternatives_on_a_phone(open_page, demo):
    page = open_page(**PHONE)
    page.open("/cities/hangzhou/")
    figure = page.page.locator(".chart-figure").first
    page.page.wait_for_selector(".chart svg", state="attached")
    assert figure.locator(".chart").is_visible()
    assert not figure.locator(".chart-table").is_visible()
    figure.get_by_role("button", name="查看数据表").tap()
    assert figure.locator(".chart-table").is_visible()
    assert not figure.locator(".chart").is_visible()
    figure.get_by_role("button", name="查看图表").tap()
    assert figure.locator(".chart").is_visible()
    no_sideways_scroll(page)


def test_comparison_of_four_cities_on_a_phone(open_page, demo):
    page = open_page(**PHONE)
    page.open("/cities/compare/?c=ningbo&c=tianjin&c=hefei&c=hangzhou")
    no_sideways_scroll(page)
    assert page.page.locator(".differences li").count() > 0
    page.screenshot("phone-city-compare")

"""A real browser (the system's Chromium, headless) sees the city charts drawn.

The page is served by a live server with plain static names, so the vendored ECharts file is
served as it is in the repository. Never downloads a browser: without /usr/bin/chromium (or
without the playwright package) the tests are skipped and say why.
"""

import os
import shutil
from decimal import Decimal

import pytest

from articles.models import City, CityFigures

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_cities(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    for name, slug, figures in (
        ("杭州", "hangzhou", [(2023, "20059", None), (2024, "21860", "1262")]),
        ("南京", "nanjing", [(2023, "17421.40", "954.7"), (2024, "18500.81", "957.70")]),
    ):
        city = City.objects.create(name=name, slug=slug)
        for year, gdp, population in figures:
            CityFigures.objects.create(
                city=city,
                year=year,
                gdp=Decimal(gdp),
                population=population and Decimal(population),
            )


@pytest.fixture
def page(two_cities):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not os.path.exists(CHROMIUM):
        print(f"skipping: no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        yield page
        browser.close()


def drawn_charts(page):
    """How many charts hold an SVG with drawn shapes."""
    page.wait_for_selector(".chart svg path", state="attached", timeout=10_000)
    return page.eval_on_selector_all(
        ".chart",
        "charts => charts.filter(c => !c.hidden && c.querySelectorAll('svg path').length > 3).length",
    )


def test_city_page_draws_its_charts(live_server, page):
    page.goto(f"{live_server.url}/cities/hangzhou/")
    assert drawn_charts(page) == page.locator(".chart").count() >= 2
    assert page.locator(".chart-table").first.is_visible()
    assert page.errors == []


def test_comparison_draws_a_chart_with_both_cities(live_server, page):
    page.goto(f"{live_server.url}/cities/compare/?c=hangzhou&c=nanjing")
    assert drawn_charts(page) >= 2
    legend = page.locator(".chart").first.inner_text()
    svg_text = page.locator(".chart svg").first.text_content()
    assert "杭州" in (legend + svg_text) and "南京" in (legend + svg_text)
    assert page.errors == []

"""A reader, on a desktop and on a phone, finds an article from the home page through the
filters and search, reads it and follows a tag. Screenshots of every public page type are
saved under tests/browser/artifacts/."""

import pytest
from playwright.sync_api import expect

from articles.models import Organisation
from tests.browser.helpers import DESKTOP, PHONE


@pytest.fixture
def target(newsroom, make_article):
    return make_article(
        title="杭州的人工智能与芯片",
        summary="DeepSeek 之后，杭州的芯片设计企业。",
        body="杭州的 DeepSeek 与芯片设计。",
        tags=["人工智能", "芯片"],
        cities=[newsroom["hangzhou"]],
    )


def titles(page):
    return page.page.locator(".cards :is(h2, h3)")


def facet(page, name):
    return page.page.locator(".facets li a", has_text=name).first


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_reader_filters_searches_reads_and_follows_a_tag(open_page, target, device):
    page = open_page(**(PHONE if device == "phone" else DESKTOP))
    page.open("/")
    expect(page.page.locator("main")).to_contain_text("杭州的人工智能与芯片")
    page.screenshot(f"{device}-home")

    page.page.locator(".site-nav a", has_text="文章").click()
    expect(titles(page)).to_have_count(4)
    page.screenshot(f"{device}-article-list")

    facet(page, "人工智能").click()
    expect(titles(page)).to_have_count(3)
    facet(page, "芯片").click()
    expect(titles(page)).to_have_count(2)  # both tags: 南京… and 杭州…
    facet(page, "杭州").click()
    expect(titles(page)).to_have_count(1)
    expect(titles(page)).to_have_text(["杭州的人工智能与芯片"])
    expect(page.page.locator(".chips .chip")).to_have_count(3)
    page.screenshot(f"{device}-article-list-filtered")

    page.page.locator(".chip", has_text="芯片").click()  # remove one filter
    expect(page.page.locator(".chips .chip")).to_have_count(2)
    expect(titles(page)).to_have_count(2)  # 人工智能 in 杭州

    page.page.fill(".filter-form input[name=q]", "deepseek")  # case folded
    page.page.locator(".filter-form button[type=submit]").click()
    expect(titles(page)).to_have_text(["杭州的人工智能与芯片"])
    expect(page.page.locator(".chips .chip")).to_have_count(3)

    titles(page).first.locator("a").click()
    expect(page.page.locator("h1")).to_have_text("杭州的人工智能与芯片")
    page.screenshot(f"{device}-article")

    page.page.locator("main .tags a", has_text="芯片").first.click()
    expect(page.page.locator("h1")).to_contain_text("芯片")
    expect(page.page.locator("main")).to_contain_text("杭州的人工智能与芯片")
    page.screenshot(f"{device}-tag")

    box = page.page.get_by_role("combobox", name="搜索文章")
    box.fill("南京")
    box.press("Enter")
    expect(page.page.locator("h1")).to_have_text("搜索：南京")
    named = page.page.locator(".named")  # the city's profile, above the results
    expect(named.get_by_role("link", name="南京")).to_have_attribute("href", "/cities/nanjing/")
    assert named.bounding_box()["y"] < page.page.locator(".cards").bounding_box()["y"]
    page.screenshot(f"{device}-search")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_the_other_page_types(open_page, target, newsroom, device):
    Organisation.objects.create(name="深度求索", slug="deepseek", city=newsroom["hangzhou"])
    page = open_page(**(PHONE if device == "phone" else DESKTOP))
    for name, path, heading in [
        ("tag-list", "/tags/", "标签"),
        ("city-list", "/cities/", "城市"),
        ("city", "/cities/hangzhou/", "杭州"),
        ("comparison", "/cities/compare/?c=hangzhou&c=nanjing", "杭州 与 南京"),
        ("organisation-list", "/organisations/", "机构"),
        ("organisation", "/organisations/deepseek/", "深度求索"),
    ]:
        assert page.open(path).status == 200
        expect(page.page.locator("h1")).to_contain_text(heading)
        page.screenshot(f"{device}-{name}")
    assert page.open("/no-such-page/").status == 404
    expect(page.page.locator("h1")).to_have_text("找不到这个页面")
    page.screenshot(f"{device}-404")


def test_phone_layout_does_not_scroll_sideways(open_page, target):
    page = open_page(**PHONE)
    for path in [
        "/",
        "/articles/",
        target.get_absolute_url(),
        "/cities/hangzhou/",
        "/cities/compare/?c=hangzhou&c=nanjing",
    ]:
        page.open(path)
        overflow = page.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)


def test_on_a_phone_a_link_at_the_top_leads_to_the_filters(open_page, target):
    """The filters come after the results on a narrow screen; readers need not scroll past 20."""
    page = open_page(**PHONE)
    page.open("/articles/")
    link = page.page.get_by_role("link", name="筛选 ↓")
    expect(link).to_be_visible()
    link.click()
    expect(page.page.locator("#filters")).to_be_in_viewport()
    desktop = open_page(**DESKTOP)
    desktop.open("/articles/")
    expect(desktop.page.get_by_role("link", name="筛选 ↓")).to_be_hidden()

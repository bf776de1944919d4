"""A reader switches to 繁 on an article, a list, a tag and a city page, reads it in traditional
characters, follows a link (still 繁), and switches back."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_switching_to_traditional_and_back(open_page, newsroom, make_article, device):
    article = make_article(
        title="杭州的数字经济", body="杭州的数字经济发展迅速。", tags=["数字经济"],
        cities=[newsroom["hangzhou"]],
    )  # fmt: skip
    page = open_page(**(PHONE if device == "phone" else DESKTOP))
    html = page.page.locator("html")
    for path, simplified, traditional in [
        (article.get_absolute_url(), "杭州的数字经济", "杭州的數字經濟"),
        ("/articles/", "长三角的芯片产业", "長三角的芯片產業"),
        ("/tags/数字经济/", "标签：数字经济", "標籤：數字經濟"),
        ("/cities/hangzhou/", "浙江省", "浙江省會，數字經濟重鎮。"),
        ("/", "最新文章", "最新文章"),
        ("/articles/?q=南京", "城市资料、年度数据与机构", "城市資料、年度數據與機構"),
    ]:
        page.open(path)
        expect(html).to_have_attribute("lang", "zh-CN")
        expect(page.page.locator("main")).to_contain_text(simplified)
        page.page.get_by_role("link", name="繁", exact=True).click()
        expect(html).to_have_attribute("lang", "zh-Hant")
        expect(page.page.locator("main")).to_contain_text(traditional)
        name = path.strip("/").replace("/", "-").replace("?q=", "-search-") or "home"
        page.screenshot(f"{device}-hant-{name}")
        page.page.get_by_role("link", name="簡", exact=True).click()
        expect(html).to_have_attribute("lang", "zh-CN")
        expect(page.page.locator("main")).to_contain_text(simplified)

    page.open("/hant/")  # a link followed stays in traditional
    page.page.locator(".site-nav a", has_text="城市").click()
    expect(html).to_have_attribute("lang", "zh-Hant")
    assert "/hant/cities/" in page.page.url

"""An editor writes a Chinese article in the admin, previews it on the site, publishes it."""

from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import DESKTOP, log_in

BODY = """## 杭州与南京

两座城市都在发展**人工智能**。

| 城市 | GDP（亿元） |
|:--|--:|
| 杭州 | 21,860 |
| 南京 | 18,500.81 |
"""


def pick_city(page, typed, name):
    """The admin's city autocomplete (select2): type part of the name, click the match."""
    page.page.click(".field-cities .select2-selection")
    page.page.fill(".select2-search__field", typed)
    page.page.click(f".select2-results__option:has-text('{name}')")


def test_editor_writes_previews_and_publishes(open_page, newsroom):
    page = open_page(**DESKTOP)
    log_in(page)
    page.open("/admin/articles/article/add/")
    page.page.fill("#id_title", "杭州有DeepSeek，南京有什么？")
    page.page.fill("#id_summary", "两座城市的人工智能产业对比。")
    page.page.fill("#id_body", BODY)
    page.page.locator("#id_tags").press_sequentially("人工智能，芯片，城市竞争")
    pick_city(page, "杭", "杭州")
    pick_city(page, "南", "南京")
    page.page.click("input[name=_continue]")
    expect(page.page.locator(".messagelist")).to_contain_text("成功")

    article = Article.objects.get(title="杭州有DeepSeek，南京有什么？")
    assert article.status == Article.Status.DRAFT
    assert sorted(article.tags.names()) == ["人工智能", "城市竞争", "芯片"]
    assert sorted(c.slug for c in article.cities.all()) == ["hangzhou", "nanjing"]

    # "View on site": the staff preview of the draft, marked as such.
    page.page.click("a.viewsitelink")
    expect(page.page).to_have_url(page.base_url + article.get_absolute_url())
    expect(page.page.locator("h1")).to_have_text("杭州有DeepSeek，南京有什么？")
    expect(page.page.locator("body")).to_contain_text("草稿预览")
    expect(page.page.locator("table td").last).to_have_css("text-align", "right")
    page.screenshot("desktop-article-preview")

    page.open("/admin/articles/article/")
    row = page.page.locator("#result_list tr", has_text="杭州有DeepSeek")
    row.locator("input.action-select").check()
    page.page.select_option("select[name=action]", "publish")
    page.page.click("button[name=index]")
    expect(page.page.locator(".messagelist")).to_contain_text("已发布 1 篇文章")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    reader = open_page(**DESKTOP)
    reader.open(article.get_absolute_url())
    expect(reader.page.locator("h1")).to_have_text("杭州有DeepSeek，南京有什么？")
    expect(reader.page.locator("body")).not_to_contain_text("草稿预览")

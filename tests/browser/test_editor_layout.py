"""The article form's body and its live preview never cover each other, from a 1366 px laptop
down to a 390 px phone; the preview uses the site's own stylesheet; the toolbar writes
Markdown; the word count and reading time follow the text."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

SIZES = {
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
BODY = "## 差距\n\n- 杭州\n- 南京\n\n两座城市都在发展人工智能。"


def box(page, selector):
    return page.page.locator(selector).bounding_box()


def overlap(a, b):
    """The area two boxes share, in square pixels."""
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


@pytest.mark.parametrize("size", SIZES)
def test_body_and_preview_never_overlap(open_page, newsroom, size):
    page = open_page(**SIZES[size])
    log_in(page)
    page.open("/admin/articles/article/add/")
    page.page.fill("#id_body", BODY)
    frame = page.page.frame_locator("iframe.markdown-preview")
    expect(frame.locator("li").first).to_have_text("杭州")
    body, preview = box(page, "#id_body"), box(page, ".markdown-preview")
    viewport = SIZES[size]["viewport"]["width"]
    assert body["width"] >= (300 if size == "laptop" else 250)
    assert preview["width"] >= (300 if size == "laptop" else 250)
    assert overlap(body, preview) == 0, (body, preview)
    toolbar = box(page, ".md-toolbar")
    assert overlap(toolbar, body) == 0 and body["height"] >= 300, (toolbar, body)
    # Inside the page and inside the form's own box, on the right as on the left.
    form = box(page, ".field-body")
    for shown in (body, preview):
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= viewport
        assert shown["x"] + shown["width"] <= form["x"] + form["width"] + 1, (shown, form)
    if size == "laptop":
        assert preview["x"] >= body["x"] + body["width"]  # beside it, on the right
        assert preview["y"] < body["y"] + body["height"]
    else:
        assert preview["y"] >= body["y"] + body["height"]  # below
    # The site's stylesheet: a list keeps its bullets, the text its line height.
    item = frame.locator("li").first
    assert item.evaluate("li => getComputedStyle(li).display") == "list-item"
    assert item.evaluate("li => getComputedStyle(li.parentNode).listStyleType") == "disc"
    assert frame.locator("link[rel=stylesheet]").get_attribute("href").endswith(".css")
    page.screenshot(f"admin-editor-{size}")


def test_toolbar_and_word_count(open_page, newsroom):
    page = open_page(**SIZES["laptop"])
    log_in(page)
    page.open("/admin/articles/article/add/")
    body = page.page.locator("#id_body")
    body.fill("杭州")
    body.evaluate("area => area.setSelectionRange(0, 2)")
    page.page.click(".md-toolbar button[data-md=bold]")
    expect(body).to_have_value("**杭州**")
    body.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    page.page.click(".md-toolbar button[data-md=table]")
    expect(body).to_have_value("**杭州**\n\n| 列一 | 列二 |\n| --- | --- |\n| 内容 | 内容 |\n")
    body.fill("中" * 800 + " GDP growth")
    # 800 Chinese characters and 2 words; at 400 a minute, 2 minutes.
    expect(page.page.locator(".md-count")).to_have_text("802 字 · 约 2 分钟读完")


def test_a_new_tag_is_marked_before_saving_with_the_nearest_existing_one(open_page, newsroom):
    page = open_page(**SIZES["laptop"])
    log_in(page)
    page.open("/admin/articles/article/add/")
    tags = page.page.locator("#id_tags")
    tags.press_sequentially("人工智慧")
    hint = page.page.locator(".tag-hint")
    expect(hint).to_contain_text("“人工智慧”是新标签，保存时会新建。")
    nearest = page.page.locator(".tag-suggestions button").first
    expect(nearest).to_have_text("人工智能")
    nearest.click()
    expect(tags).to_have_value("人工智能，")
    expect(hint).to_have_text("")

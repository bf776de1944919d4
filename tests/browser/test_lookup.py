"""A reader types pinyin initials into the search box, sees 杭州 offered, picks it with the
keyboard and lands on its profile; typed in Chinese, the same."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_typing_hz_offers_hangzhou(open_page, newsroom, device):
    page = open_page(**(PHONE if device == "phone" else DESKTOP))
    page.open("/articles/")
    box = page.page.get_by_role("combobox", name="搜索文章")
    box.press_sequentially("hz", delay=50)
    offered = page.page.get_by_role("option")
    expect(offered.first).to_contain_text("杭州")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.screenshot(f"{device}-lookup")
    box.press("ArrowDown")
    expect(offered.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page.page).to_have_url(f"{page.base_url}/cities/hangzhou/")

    box = page.page.get_by_role("combobox", name="搜索文章")
    box.press_sequentially("南", delay=50)
    expect(page.page.get_by_role("option").first).to_contain_text("南京")
    box.press("Escape")
    expect(page.page.get_by_role("listbox")).to_be_hidden()

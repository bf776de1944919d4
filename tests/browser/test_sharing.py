"""A desktop reader shares an article: the QR code beside it, read by a real decoder from the
pixels the browser drew (what a phone camera would see), opens the article's address, and the
copy-link button puts that address on the clipboard. A phone shows no QR code to itself."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.editorial.preview import preview_token
from tests.browser.helpers import DESKTOP, PHONE

zxingcpp = pytest.importorskip("zxingcpp", reason="pip install zxing-cpp (requirements.txt)")
Image = pytest.importorskip("PIL.Image")


def test_the_qr_code_and_the_copied_link_are_the_articles_address(
    open_page, make_article, tmp_path
):
    article = make_article(title="杭州的人工智能", body="正文。")
    page = open_page(**DESKTOP)
    page.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.open(article.get_absolute_url())
    address = page.page.evaluate("location.href")

    shot = tmp_path / "qr.png"
    page.page.locator(".qr svg").screenshot(path=shot)
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(shot))]
    assert decoded == [address]

    copy = page.page.locator(".copy-link")
    copy.click()
    expect(copy).to_have_text("已复制")
    assert page.page.evaluate("navigator.clipboard.readText()") == address


def test_a_phone_shows_the_address_but_no_qr_code(open_page, make_article):
    article = make_article(title="南京的芯片", body="正文。")
    page = open_page(**PHONE)
    page.open(article.get_absolute_url())
    expect(page.page.locator(".qr")).to_be_hidden()
    field = page.page.get_by_role("textbox", name="本文地址")
    assert field.input_value() == page.page.evaluate("location.href")


def test_a_draft_preview_has_no_share_box(client, make_article):
    draft = make_article(title="草稿", status="draft")
    path = reverse("articles:article-preview", args=[preview_token(draft)])
    page = client.get(path).content.decode()
    assert "草稿预览" in page and 'class="share"' not in page


def test_the_qr_code_is_drawing_only_whatever_the_address_holds(client, make_article):
    """The one mark_safe of the share box: segno's SVG, paths and nothing else, even for an
    address carrying markup (the query string is part of the page address it encodes)."""
    article = make_article(title="杭州", body="正文。")
    page = client.get(article.get_absolute_url(), {"x": '"><script>alert(1)</script>'}).content
    svg = re.search(rb'<span role="img" aria-label="[^"]*">(.*?)</span>', page, re.S)[1]
    assert re.fullmatch(rb"<svg [^<>]*><path [^<>]*/></svg>", svg.strip()), svg[:200]
    assert b"<script>alert(1)" not in page

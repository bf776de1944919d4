"""No lost edits, in Chromium: two editors saving one article merge instead of overwriting, a
field both changed is a choice made on sight, a closed tab's typing is offered back, leaving
unsaved changes asks first, and each editor sees who else has the article open."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.editorial import revisions
from articles.models import Article, Autosave, EditingPresence
from tests.browser.helpers import DESKTOP, log_in

SECOND_PASSWORD = "pw-zhang-1"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def staff_page(open_page, username="editor", password=None):
    page = open_page(**DESKTOP)
    log_in(page, username, *([password] if password else []))
    return page


@pytest.fixture
def article(newsroom):
    article = Article.objects.get(title="南京的人工智能与芯片")
    article.summary = "原来的摘要。"
    article.body = "初版：南京的算力中心开工。"
    article.save()
    revisions.record(article, newsroom["editor"], note="新建")
    return article


@pytest.fixture
def two_editors(open_page, newsroom, role_user, article):
    """Editor A (editor) and editor B (zhang), B having opened the article first."""
    role_user("zhang", "编辑", password=SECOND_PASSWORD)
    b = staff_page(open_page, "zhang", SECOND_PASSWORD)
    b.open(change_url(article))
    a = staff_page(open_page)
    a.open(change_url(article))
    return a, b


def save(page):
    page.page.click("input[name=_continue]")


def test_changes_to_different_fields_both_land(two_editors, article):
    a, b = two_editors
    a.page.fill("#id_summary", "A 写的新摘要。")
    save(a)
    expect(a.page.locator(".messagelist")).to_contain_text("成功")

    b.page.fill("#id_body", "B 写的新正文。")
    save(b)
    refused = b.page.locator(".errorlist.nonfield")
    expect(refused).to_contain_text("您打开这篇文章之后，editor 保存过它（改动见下方）")
    expect(refused).to_contain_text("您没有改动的摘要已换成对方保存的内容")
    # B sees A's summary in the form, and their own body kept, before anything is written.
    expect(b.page.locator("#id_summary")).to_have_value("A 写的新摘要。")
    expect(b.page.locator("#id_body")).to_have_value("B 写的新正文。")
    expect(b.page.locator(".changed-meanwhile")).to_contain_text("editor")
    b.screenshot("merge-taken")
    article.refresh_from_db()
    assert article.body == "初版：南京的算力中心开工。"

    save(b)
    expect(b.page.locator(".messagelist")).to_contain_text("成功")
    article.refresh_from_db()
    assert (article.summary, article.body) == ("A 写的新摘要。", "B 写的新正文。")


def test_a_field_both_changed_is_chosen_side_by_side(two_editors, article):
    a, b = two_editors
    a.page.fill("#id_summary", "A 的摘要。")
    save(a)
    expect(a.page.locator(".messagelist")).to_contain_text("成功")

    b.page.fill("#id_summary", "B 的摘要。")
    save(b)
    conflict = b.page.locator("#conflict-summary")
    expect(conflict.locator(".merge-theirs")).to_have_text("A 的摘要。")
    expect(conflict.locator(".merge-yours")).to_have_text("B 的摘要。")
    expect(conflict).to_contain_text("对方的（editor，")
    b.screenshot("merge-conflict")

    save(b)  # without choosing: refused again, nothing written
    expect(b.page.locator(".errorlist.nonfield")).to_contain_text("摘要您和对方都改了")
    article.refresh_from_db()
    assert article.summary == "A 的摘要。"

    b.page.locator("#conflict-summary").get_by_label("用我的").check()
    save(b)
    expect(b.page.locator(".messagelist")).to_contain_text("成功")
    article.refresh_from_db()
    assert article.summary == "B 的摘要。"
    assert article.revisions.first().user.username == "zhang"


def test_a_closed_tab_is_offered_back_and_leaving_asks_first(open_page, newsroom, article):
    editor = staff_page(open_page)
    editor.open(change_url(article))
    editor.page.click("#id_body")
    editor.page.keyboard.press("End")
    editor.page.keyboard.type("再补一句：二期工程明年投产。")
    expect(editor.page.locator("#autosave-status")).to_contain_text("已自动保存")

    # Leaving with unsaved changes asks first; staying keeps the text.
    with editor.page.expect_event("dialog") as asked:
        editor.page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()
    expect(editor.page.locator("#id_body")).to_have_value(
        "初版：南京的算力中心开工。再补一句：二期工程明年投产。"
    )
    editor.page.close()  # the tab is closed anyway (or the browser crashes)
    article.refresh_from_db()
    assert article.body == "初版：南京的算力中心开工。"  # nothing published

    again = staff_page(open_page)  # another browser, even: the copy is on the server
    again.open(change_url(article))
    offer = again.page.locator("#autosave-offer")
    expect(offer).to_contain_text("有一份您没保存的内容")
    again.screenshot("autosave-offer")
    offer.get_by_role("button", name="恢复没保存的内容").click()
    expect(again.page.locator("#id_body")).to_have_value(
        "初版：南京的算力中心开工。再补一句：二期工程明年投产。"
    )
    save(again)
    expect(again.page.locator(".messagelist")).to_contain_text("成功")
    article.refresh_from_db()
    assert article.body == "初版：南京的算力中心开工。再补一句：二期工程明年投产。"
    assert not Autosave.objects.exists()


def test_each_editor_sees_the_other_within_ten_seconds(two_editors):
    a, b = two_editors
    expect(a.page.locator("#presence")).to_have_text("zhang 也在编辑这篇文章", timeout=10_000)
    expect(b.page.locator("#presence")).to_have_text("editor 也在编辑这篇文章", timeout=10_000)
    a.screenshot("presence")
    b.page.close()
    expect(a.page.locator("#presence")).to_be_hidden(timeout=10_000)
    assert list(EditingPresence.objects.values_list("user__username", flat=True)) == ["editor"]

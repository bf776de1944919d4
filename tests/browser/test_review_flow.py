"""The review step in a browser: an author submits, an editor sees the count and the queue,
sends it back with a comment, the author sees it and resubmits, the editor publishes; the mails
(locmem backend) say who and what."""

from django.core import mail
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import DESKTOP, EDITOR_PASSWORD, log_in

AUTHOR_PASSWORD = "pw-wang-1"
COMMENT = "第二段的 GDP 请注明来源，标题再短一点。"


def test_submit_return_resubmit_publish(open_page, newsroom, role_user):
    author_user = role_user("wang", "作者", password=AUTHOR_PASSWORD)
    author_user.first_name, author_user.email = "小王", "wang@example.com"
    author_user.save()
    editor_user = newsroom["editor"]
    editor_user.first_name, editor_user.email = "老李", "li@example.com"
    editor_user.save()
    mail.outbox.clear()

    author = open_page(**DESKTOP)
    log_in(author, "wang", AUTHOR_PASSWORD)
    author.open("/admin/articles/article/add/")
    author.page.fill("#id_title", "苏州工业园区的三十年")
    author.page.fill("#id_body", "## 起点\n\n1994 年，中新两国政府签约。")
    author.page.click("input[name=_submit_review]")
    expect(author.page.locator(".messagelist")).to_contain_text("已提交审核")
    expect(author.page.locator(".review-panel")).to_contain_text("等待编辑处理")
    expect(author.page.locator("#id_title")).to_have_count(0)  # read-only while in review
    article = Article.objects.get(title="苏州工业园区的三十年")
    assert article.status == Article.Status.REVIEW
    (submitted,) = mail.outbox
    assert submitted.to == ["li@example.com"]
    assert "小王" in submitted.body and "苏州工业园区的三十年" in submitted.subject

    editor = open_page(**DESKTOP)
    log_in(editor, "editor", EDITOR_PASSWORD)
    expect(editor.page.locator("#review-count")).to_have_text("1")
    editor.page.click("#review-queue-link")
    editor.page.click("#result_list a:has-text('苏州工业园区的三十年')")
    editor.page.click(".review-panel a:has-text('退回修改')")
    editor.page.fill("#id_comment", COMMENT)
    editor.page.click("input[type=submit][value=退回给作者]")
    expect(editor.page.locator(".messagelist")).to_contain_text("已退回给作者")
    returned = mail.outbox[-1]
    assert returned.to == ["wang@example.com"]
    assert "老李" in returned.body and COMMENT in returned.body

    author.open(f"/admin/articles/article/{article.pk}/change/")
    expect(author.page.locator(".review-comment")).to_contain_text(COMMENT)
    expect(author.page.locator(".review-comment")).to_contain_text("老李")
    author.page.fill("#id_title", "苏州工业园区三十年")
    author.page.click("input[name=_submit_review]")
    expect(author.page.locator(".messagelist")).to_contain_text("已提交审核")
    assert len(mail.outbox) == 3

    editor.open("/admin/")
    expect(editor.page.locator("#review-count")).to_have_text("1")
    editor.page.click("#review-queue-link")
    editor.page.click("#result_list a:has-text('苏州工业园区三十年')")
    editor.page.click(".review-panel button:has-text('发布')")
    expect(editor.page.locator(".messagelist")).to_contain_text("已发布")
    published = mail.outbox[-1]
    assert published.to == ["wang@example.com"] and "已发布" in published.subject
    article.refresh_from_db()
    assert article.is_public

    editor.open("/admin/")
    expect(editor.page.locator("#review-count")).to_have_text("0")
    reader = open_page(**DESKTOP)
    reader.open(article.get_absolute_url())
    expect(reader.page.locator("h1")).to_have_text("苏州工业园区三十年")

"""The admin flows in a real browser: scheduling, revisions, tag merge, cover images, what an
author may not do. Two people editing one article: test_no_lost_edits. Screenshots go to
artifacts/."""

import io
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from taggit.models import Tag

from articles.editorial import revisions
from articles.models import Article
from tests.browser.helpers import DESKTOP, log_in

SCHEDULE_AHEAD = timedelta(seconds=5)  # time enough to save and look, short enough to wait for


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def staff_page(open_page, username="editor", password=None):
    page = open_page(**DESKTOP)
    log_in(page, username, *([password] if password else []))
    return page


def messages(page):
    return page.page.locator(".messagelist")


def titles(page):
    return page.page.locator(".cards :is(h2, h3)")


@pytest.fixture
def article(newsroom):
    """A published article whose creation is on record as revision 1."""
    article = Article.objects.get(title="南京的人工智能与芯片")
    article.author = newsroom["editor"]
    article.body = "初版：南京的算力中心开工。"
    article.save()
    revisions.record(article, newsroom["editor"], note="新建")
    return article


def test_scheduled_article_appears_by_itself_when_its_time_comes(open_page, newsroom):
    editor = staff_page(open_page)
    editor.open("/admin/articles/article/add/")
    editor.page.fill("#id_title", "定时发布的长三角观察")
    editor.page.fill("#id_body", "到点才出现。")
    editor.page.select_option("#id_status", "scheduled")
    when = timezone.localtime((timezone.now() + SCHEDULE_AHEAD).replace(microsecond=0))
    editor.page.fill("#id_published_at_0", f"{when:%Y-%m-%d}")
    editor.page.fill("#id_published_at_1", f"{when:%H:%M:%S}")
    editor.page.click("input[name=_save]")
    expect(messages(editor)).to_contain_text("成功")
    expect(editor.page.locator("#result_list tr", has_text="定时发布的长三角观察")).to_contain_text(
        "定时发布"
    )
    article = Article.objects.get(title="定时发布的长三角观察")

    reader = open_page(**DESKTOP)
    reader.open("/articles/")
    expect(titles(reader)).to_have_count(3)
    expect(titles(reader)).not_to_contain_text(["定时发布的长三角观察"])
    assert reader.open(article.get_absolute_url()).status == 404
    assert timezone.now() < when, "too slow to see the article before its time"

    reader.page.wait_for_timeout((when - timezone.now()).total_seconds() * 1000 + 300)
    reader.open("/articles/")  # the same URL as before: a cached list must not hide it
    expect(titles(reader).first).to_have_text("定时发布的长三角观察")
    assert reader.open(article.get_absolute_url()).status == 200
    expect(reader.page.locator("h1")).to_have_text("定时发布的长三角观察")


def test_editor_reads_the_revision_diff_and_reverts(open_page, article):
    editor = staff_page(open_page)
    for body in ("二版：南京的算力中心扩建。", "三版：南京的算力中心投产。"):
        editor.open(change_url(article))
        editor.page.fill("#id_body", body)
        editor.page.click("input[name=_continue]")
        expect(messages(editor)).to_contain_text("成功")

    editor.page.click(".object-tools a:has-text('修订记录')")
    newest = editor.page.locator(".revision").first
    expect(newest.locator("h2")).to_contain_text("editor")
    # Inside the changed paragraph, only the changed characters are marked.
    changed = newest.locator(".diff-changed")
    expect(changed).to_have_text("~ 二三版：南京的算力中心扩建投产。")
    expect(changed.locator("del")).to_have_text(["二", "扩建"])
    expect(changed.locator("ins")).to_have_text(["三", "投产"])
    editor.screenshot("admin-revisions")

    first = editor.page.locator(".revision", has=editor.page.locator("h2", has_text="新建"))
    first.get_by_role("link", name="恢复到这一版的内容…").click()
    # It asks first, showing what the revert would change.
    expect(editor.page.locator("h1")).to_contain_text("恢复到第")
    expect(editor.page.locator(".diff-changed")).to_contain_text("开工")
    editor.page.get_by_role("button", name=re.compile("确定恢复到第")).click()
    expect(messages(editor)).to_contain_text(f"已恢复到第 {article.version} 版")
    expect(editor.page.locator("#id_body")).to_have_value("初版：南京的算力中心开工。")

    reader = open_page(**DESKTOP)
    reader.open(article.get_absolute_url())
    expect(reader.page.locator("main")).to_contain_text("初版：南京的算力中心开工。")
    expect(reader.page.locator("main")).not_to_contain_text("三版")


def test_merged_tags_old_url_redirects_to_the_new_one(open_page, newsroom, make_article):
    make_article(title="AI 与长三角城市", tags=["AI"])
    ai, target = Tag.objects.get(name="AI"), Tag.objects.get(name="人工智能")
    editor = staff_page(open_page)
    editor.open("/admin/taggit/tag/")
    for tag in (ai, target):
        editor.page.check(f"input.action-select[value='{tag.pk}']")
    editor.page.select_option("select[name=action]", "merge_tags")
    editor.page.click("button[name=index]")
    editor.page.locator("label", has_text="人工智能").locator("input[type=radio]").check()
    editor.screenshot("admin-tag-merge")
    editor.page.click("input[type=submit][value='合并']")
    expect(messages(editor)).to_contain_text("已把 AI 合并为“人工智能”")

    reader = open_page(**DESKTOP)
    response = reader.open(f"/tags/{ai.slug}/")
    assert response.request.redirected_from.response().status == 301
    assert unquote(response.url) == reader.base_url + "/tags/人工智能/"
    expect(reader.page.locator("h1")).to_contain_text("人工智能")
    expect(titles(reader)).to_contain_text(["AI 与长三角城市"])


def jpeg(size=(2000, 1000)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2f6b9a").save(buffer, "JPEG")
    return buffer.getvalue()


def test_cover_upload_is_served_with_srcset_and_a_non_image_is_refused(
    open_page, article, media, settings
):
    settings.ROOT_URLCONF = "tests.browser.media_urls"
    editor = staff_page(open_page)
    editor.open(change_url(article))
    editor.page.set_input_files(
        "#id_cover_image",
        {"name": "cover.jpg", "mimeType": "image/jpeg", "buffer": b"<html>not a picture</html>"},
    )
    editor.page.fill("#id_cover_alt", "南京江北新区的算力中心")
    editor.page.click("input[name=_continue]")
    expect(editor.page.locator(".field-cover_image .errorlist")).to_contain_text("不接受 SVG")
    editor.screenshot("admin-cover-refused")
    editor.page.set_input_files(
        "#id_cover_image",
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"just some text"},
    )
    editor.page.click("input[name=_continue]")
    expect(editor.page.locator(".field-cover_image .errorlist")).to_contain_text("无法识别的图片")
    assert not Article.objects.get(pk=article.pk).cover_image

    editor.page.set_input_files(
        "#id_cover_image", {"name": "封面.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    editor.page.click("input[name=_continue]")
    expect(messages(editor)).to_contain_text("成功")

    reader = open_page(**DESKTOP)
    reader.open(article.get_absolute_url())
    cover = reader.page.locator("img.cover")
    expect(cover).to_have_attribute("alt", "南京江北新区的算力中心")
    expect(cover).to_have_attribute(
        "srcset", re.compile(r"-480\.webp 480w, \S+-960\.webp 960w, \S+-1600\.webp 1600w$")
    )
    reader.page.wait_for_function(
        "() => document.querySelector('img.cover').naturalWidth > 0", timeout=10_000
    )
    assert cover.evaluate("img => img.currentSrc").endswith(".webp")
    reader.screenshot("desktop-article-with-cover")


@pytest.fixture
def authors(newsroom, django_user_model, make_article):
    call_command("setup_roles", stdout=StringIO())
    wang, li = (
        django_user_model.objects.create_user(name, password=f"pw-{name}-1", is_staff=True)
        for name in ("wang", "li")
    )
    for user in (wang, li):
        user.groups.add(Group.objects.get(name="作者"))
    mine = make_article(title="王的草稿", status=Article.Status.DRAFT, author=wang)
    theirs = make_article(title="李的草稿", status=Article.Status.DRAFT, author=li)
    return {"mine": mine, "theirs": theirs}


def test_author_cannot_publish_or_open_someone_elses_article(open_page, authors):
    author = staff_page(open_page, "wang", "pw-wang-1")
    author.open("/admin/articles/article/")
    expect(author.page.locator("#result_list")).to_contain_text("王的草稿")
    expect(author.page.locator("#result_list")).not_to_contain_text("李的草稿")
    expect(author.page.locator("select[name=action] option[value=publish]")).to_have_count(0)

    author.open(change_url(authors["mine"]))
    expect(author.page.locator("#id_title")).to_have_value("王的草稿")
    expect(author.page.locator("#id_status")).to_have_count(0)
    expect(author.page.locator("#id_published_at_0")).to_have_count(0)
    author.screenshot("admin-author-own-draft")

    author.open(change_url(authors["theirs"]))
    expect(author.page).to_have_url(author.base_url + "/admin/articles/article/")
    expect(messages(author)).to_contain_text("不是您写的")
    expect(author.page.locator("body")).not_to_contain_text("李的草稿")

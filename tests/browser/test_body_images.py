"""An editor puts a picture in the body (uploaded from the Markdown editor), publishes, and a
reader sees it with srcset and alt text; a second article picks the same picture from the
library, and it stays one file."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from articles.editorial.images import rendition_files
from articles.models import Article, MediaImage
from tests.browser.helpers import DESKTOP, log_in
from tests.helpers import files_under


def jpeg(size=(2000, 1200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2f6b9a").save(buffer, "JPEG")
    return buffer.getvalue()


def write_and_publish(page, title, body, add_picture):
    page.open("/admin/articles/article/add/")
    page.page.fill("#id_title", title)
    page.page.fill("#id_summary", "钱塘江两岸的夜景。")
    page.page.fill("#id_body", body)
    page.page.locator("#id_body").press("End")
    page.page.click(".md-toolbar button[data-md=image]")
    add_picture(page)
    expect(page.page.locator("#id_body")).to_have_value(re.compile(r"!\[.+\]\(library:\d+\)"))
    page.page.fill(
        "#id_seo_title", "钱江新城的夜晚：一场灯光秀背后的城市运营、文旅消费与夜间经济的一笔长账"
    )
    expect(page.page.locator(".field-seo_title .length-count")).to_contain_text("超出")
    page.page.select_option("#id_status", "published")
    page.page.click("input[name=_continue]")
    expect(page.page.locator(".messagelist")).to_contain_text("成功")
    return Article.objects.get(title=title)


def upload_new(page):
    page.page.set_input_files(
        "input[name=library_file]",
        {"name": "钱江新城.jpg", "mimeType": "image/jpeg", "buffer": jpeg()},
    )
    page.page.click(".image-panel button:has-text('上传并插入')")
    expect(page.page.locator(".image-status")).to_contain_text("替代文字")  # required first
    page.page.fill("input[name=library_alt]", "钱江新城的灯光秀")
    page.page.click(".image-panel button:has-text('上传并插入')")
    expect(page.page.locator(".image-status")).to_contain_text("已上传到媒体库并插入正文")
    # The preview draws it as the page will.
    preview = page.page.frame_locator(".markdown-preview")
    expect(preview.locator("figure img")).to_have_attribute("alt", "钱江新城的灯光秀")


def pick_from_library(page):
    page.page.fill("input[name=library_search]", "錢江")  # traditional characters find it too
    page.page.click(".library-results button[title='插入：钱江新城的灯光秀']")
    expect(page.page.locator(".image-status")).to_contain_text("已插入")


def test_a_picture_uploaded_into_the_body_is_published_and_reused_as_one_file(
    open_page, newsroom, media, settings
):
    settings.ROOT_URLCONF = "tests.browser.media_urls"
    editor = open_page(**DESKTOP)
    log_in(editor)
    first = write_and_publish(editor, "钱江新城的夜晚", "开头一段。\n\n", upload_new)
    expect(editor.page.locator(".image-panel")).to_be_hidden()  # closed until asked for
    editor.screenshot("admin-body-picture")

    reader = open_page(**DESKTOP)
    reader.open(first.get_absolute_url())
    picture = reader.page.locator(".prose figure img")
    expect(picture).to_have_attribute("alt", "钱江新城的灯光秀")
    expect(picture).to_have_attribute(
        "srcset", re.compile(r"-480\.webp 480w, \S+-960\.webp 960w, \S+-1600\.webp 1600w$")
    )
    reader.page.wait_for_function(
        "() => document.querySelector('.prose figure img').naturalWidth > 0", timeout=10_000
    )
    reader.screenshot("desktop-article-with-body-picture")

    second = write_and_publish(editor, "再看钱江新城", "另一篇。\n\n", pick_from_library)
    reader.open(second.get_absolute_url())
    expect(reader.page.locator(".prose figure img")).to_have_attribute(
        "src", picture.get_attribute("src")
    )
    [image] = MediaImage.objects.all()
    assert files_under(media) == sorted(rendition_files(image.file.name, image.renditions))

"""The media library: a picture uploaded once, shown in any number of bodies as <figure> with
srcset, alt text and caption, searchable with folding, its files kept while an article shows
it and gone with it after."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.editorial.images import rendition_files
from articles.models import Article, MediaImage
from tests.helpers import article_form, files_under, picture, upload

UPLOAD = reverse("admin:articles_mediaimage_upload")
PICK = reverse("admin:articles_mediaimage_pick")
ADD = reverse("admin:articles_article_add")


@pytest.fixture
def add_image(editor_client, media, django_capture_on_commit_callbacks):
    """add_image(alt=…, client=…, **fields) -> MediaImage, uploaded as the editor does."""

    def add(alt="钱塘江两岸的夜景", client=editor_client, name="夜景.jpg", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                UPLOAD, {"file": upload(picture(size=(2000, 1000)), name), "alt": alt, **fields}
            )
        assert response.status_code == 201, response.content.decode()
        image = MediaImage.objects.get(pk=response.json()["id"])
        assert response.json()["reference"] == f"![{alt}](library:{image.pk})"
        return image

    return add


def publish(client, body, title="杭州的夜景"):
    response = client.post(ADD, article_form(title=title, body=body, status="published"))
    assert response.status_code == 302
    return Article.objects.get(title=title)


def test_a_picture_in_the_body_is_a_figure_with_srcset_alt_and_caption(
    editor_client, client, add_image
):
    image = add_image(caption="钱江新城灯光秀", credit="摄影：王磊")
    article = publish(editor_client, f"开头。\n\n{image.reference}\n\n结尾。")
    page = client.get(article.get_absolute_url()).text
    assert "<figure><img " in page
    assert 'alt="钱塘江两岸的夜景"' in page
    for width in (480, 960, 1600):
        assert f"-{width}.webp {width}w" in page
    assert 'sizes="(min-width: 46rem) 42rem, 100vw"' in page
    assert "<figcaption>钱江新城灯光秀<small>摄影：王磊</small></figcaption>" in page


def test_alt_text_and_caption_written_in_the_body_win_over_the_librarys(
    editor_client, client, add_image
):
    image = add_image(caption="图库里的图注")
    body = f'![这一篇里的说法](library:{image.pk} "这一篇的图注")'
    page = client.get(publish(editor_client, body).get_absolute_url()).text
    assert 'alt="这一篇里的说法"' in page and "<figcaption>这一篇的图注</figcaption>" in page


def test_the_same_picture_in_two_articles_is_one_file(editor_client, media, add_image):
    image = add_image()
    publish(editor_client, image.reference, title="第一篇")
    publish(editor_client, f"另一篇。\n\n{image.reference}", title="第二篇")
    assert files_under(media) == sorted(rendition_files(image.file.name, image.renditions))
    assert MediaImage.objects.count() == 1
    assert set(image.articles.values_list("title", flat=True)) == {"第一篇", "第二篇"}


def test_a_picture_in_use_cannot_be_deleted_and_says_where(editor_client, media, add_image):
    image = add_image()
    publish(editor_client, image.reference)
    delete = reverse("admin:articles_mediaimage_delete", args=[image.pk])
    asked = editor_client.get(delete)
    assert "杭州的夜景" in asked.text  # the article that protects it is named
    editor_client.post(delete, {"post": "yes"})
    assert MediaImage.objects.filter(pk=image.pk).exists()
    assert (media / image.file.name).exists()


def test_a_picture_no_article_uses_goes_with_its_files_after_the_commit(
    editor_client, media, add_image, django_capture_on_commit_callbacks
):
    image = add_image()
    article = publish(editor_client, image.reference)
    article.body = "图片删掉了。"
    article.save()
    delete = reverse("admin:articles_mediaimage_delete", args=[image.pk])
    with django_capture_on_commit_callbacks() as after_commit:
        assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert (media / image.file.name).exists()  # a rollback would still need it
    for callback in after_commit:
        callback()
    assert files_under(media) == []


def test_a_picture_made_before_its_renditions_is_drawn_again_once_they_exist(
    editor_client, client, media, add_image, django_capture_on_commit_callbacks
):
    image = add_image()
    MediaImage.objects.filter(pk=image.pk).update(renditions={})  # as if the worker were late
    article = publish(editor_client, image.reference)
    assert "srcset" not in Article.objects.get(pk=article.pk).body_html
    assert image.file.url in client.get(article.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        MediaImage.process(image.pk)
    assert " 960w, " in client.get(article.get_absolute_url()).text


def test_changing_the_caption_in_the_library_changes_the_published_page(
    editor_client, client, add_image, django_capture_on_commit_callbacks
):
    image = add_image(caption="旧图注")
    # The reference carries the alt text, so each article may describe the picture its way.
    article = publish(editor_client, f"![](library:{image.pk})")
    assert "<figcaption>旧图注</figcaption>" in client.get(article.get_absolute_url()).text
    change = reverse("admin:articles_mediaimage_change", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change, {"alt": "钱塘江夜景（航拍）", "caption": "新图注"})
    assert response.status_code == 302
    page = client.get(article.get_absolute_url()).text
    assert "<figcaption>新图注</figcaption>" in page and 'alt="钱塘江夜景（航拍）"' in page


def test_alt_text_is_required(editor_client, media):
    response = editor_client.post(UPLOAD, {"file": upload(picture()), "alt": " "})
    assert response.status_code == 400
    assert response.json()["fields"]["alt"]
    assert not MediaImage.objects.exists() and files_under(media) == []


@pytest.mark.parametrize("typed", ["钱塘江", "錢塘江", "夜景.JPG", " 夜 景 "])
def test_the_library_is_searched_by_name_and_alt_text_folded(editor_client, add_image, typed):
    add_image()
    add_image(alt="南京长江大桥", name="bridge.png")
    found = editor_client.get(PICK, {"q": typed}).json()["results"]
    assert [image["alt"] for image in found] == ["钱塘江两岸的夜景"]
    changelist = editor_client.get(reverse("admin:articles_mediaimage_changelist"), {"q": typed})
    assert "钱塘江两岸的夜景" in changelist.text and "南京长江大桥" not in changelist.text


def test_a_picture_not_from_the_library_is_removed_from_the_body(editor_client, client, media):
    body = (
        "![外链](https://evil.example/x.png)\n\n![本站](/media/library/x.jpg)\n\n"
        "![不存在](library:999)\n\n![脚本](javascript:alert(1))"
    )
    page = client.get(publish(editor_client, body).get_absolute_url()).text
    article_body = page.split('class="prose"')[1]
    assert "<img" not in article_body and "evil.example" not in article_body


def test_the_preview_draws_library_pictures_as_the_page_will(editor_client, add_image):
    image = add_image()
    response = editor_client.post(
        reverse("admin:articles_article_markdown_preview"), {"body": image.reference}
    )
    assert "<figure><img " in response.json()["html"] and "960w" in response.json()["html"]


def test_a_feed_gives_the_pictures_absolute_addresses(editor_client, client, add_image):
    image = add_image()
    publish(editor_client, image.reference)
    feed = client.get(reverse("articles:feed-rss")).content.decode()
    assert "http://testserver/media/library/" in feed
    assert 'srcset="/media' not in feed and "srcset=&quot;/media" not in feed


def test_body_pictures_cost_no_query_per_request(add_image, make_article):
    reader = Client()
    plain = make_article(title="没有图片")
    images = [add_image(alt=f"图 {n}") for n in range(3)]
    body = "\n\n".join(image.reference for image in images)
    illustrated = make_article(title="三张图片", body=body, share_image=images[0])
    counts = []
    for article in (plain, illustrated):
        with CaptureQueriesContext(connection) as queries:
            page = reader.get(article.get_absolute_url()).text
        counts.append(len(queries))
    assert page.count("<figure>") == 3
    assert counts[0] == counts[1]

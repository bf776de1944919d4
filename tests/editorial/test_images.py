"""Cover images are judged by content, re-encoded without their metadata, stored under
generated names, and served at several widths with srcset."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.models import Article
from tests.helpers import add_with_cover, article_form, picture


def test_cover_is_reencoded_without_metadata_under_a_generated_name(editor_client, media):
    response = add_with_cover(editor_client, picture(exif=True), name="IMG_0001 家.jpg")
    assert response.status_code == 302
    article = Article.objects.get()
    assert re.fullmatch(r"covers/[0-9a-f]{32}\.jpg", article.cover_image.name)
    with Image.open(media / article.cover_image.name) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert (article.cover_width, article.cover_height) == (2000, 1000)


def test_responsive_sizes_are_made_once_and_served_with_srcset(editor_client, media):
    add_with_cover(editor_client, picture())
    article = Article.objects.get()
    widths = [w for w, _, _ in article.cover_renditions["sizes"]]
    assert widths == [480, 960, 1600]
    for width, height, name in article.cover_renditions["sizes"]:
        with Image.open(media / name) as copy:
            assert (copy.format, copy.size) == ("WEBP", (width, height))

    page = Client().get(article.get_absolute_url()).text
    assert 'alt="杭州钱江新城夜景"' in page
    assert re.search(
        r'srcset="/media/covers/\w+-480\.webp 480w, [^"]+-960\.webp 960w, [^"]+-1600\.webp 1600w"',
        page,
    )
    assert 'width="960" height="480"' in page
    listing = Client().get(reverse("articles:article-list")).text
    assert "-480.webp 480w" in listing and 'alt="杭州钱江新城夜景"' in listing

    files_before = sorted(p.name for p in (media / "covers").iterdir())
    article.title = "只改了标题"
    article.save()
    assert sorted(p.name for p in (media / "covers").iterdir()) == files_before


def test_a_small_cover_is_not_enlarged(editor_client, media):
    add_with_cover(editor_client, picture("PNG", size=(300, 200)), name="small.png")
    assert [w for w, _, _ in Article.objects.get().cover_renditions["sizes"]] == [300]


def test_cover_without_alt_text_is_refused(editor_client, media):
    response = add_with_cover(editor_client, picture(), alt="")
    assert response.status_code == 200
    assert "有封面图时须写图片说明。" in response.text
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "cover.png",
            "不接受 SVG 图片",
            id="svg-named-png",
        ),
        pytest.param(b"just some text, not a picture", "cover.jpg", "无法识别的图片", id="text"),
        pytest.param(picture("GIF", size=(50, 50)), "cover.jpg", "不接受 GIF 格式", id="gif"),
        pytest.param(picture()[:200], "cover.jpg", "无法识别的图片", id="truncated"),
    ],
)
def test_upload_is_judged_by_content_not_name(editor_client, media, content, name, message):
    response = add_with_cover(editor_client, content, name=name)
    assert response.status_code == 200
    assert message in response.text
    assert not Article.objects.exists()


def test_upload_over_the_byte_limit_is_refused_with_a_clear_message(editor_client, media, settings):
    settings.COVER_MAX_BYTES = 10_000
    response = add_with_cover(editor_client, b"\xff" * 20_000)
    assert "图片太大：" in response.text and "最多" in response.text
    assert not Article.objects.exists()


def test_image_with_too_many_pixels_is_refused(editor_client, media):
    # A 1-bit PNG of 20,000 × 20,000 pixels is a few kilobytes: a decompression bomb.
    bomb = picture("PNG", size=(20_000, 20_000), mode="1")
    assert len(bomb) < 200_000
    response = add_with_cover(editor_client, bomb, name="bomb.png")
    assert "图片像素太多" in response.text
    assert not Article.objects.exists()


def test_image_wider_than_the_side_cap_is_refused(editor_client, media):
    response = add_with_cover(editor_client, picture("PNG", size=(12_000, 10), mode="1"))
    assert "图片尺寸太大：12000×10 像素" in response.text
    assert not Article.objects.exists()


def test_pixel_cap_follows_the_setting(editor_client, media, settings):
    settings.COVER_MAX_PIXELS = 1_000_000
    response = add_with_cover(editor_client, picture(size=(2000, 1000)))
    assert "图片尺寸太大" in response.text


def test_cover_can_be_removed(editor_client, media):
    add_with_cover(editor_client, picture())
    article = Article.objects.get()
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            status="published",
            **{"cover_image-clear": "on"},
            cover_alt="",
            seen_version=article.version,
            published_at_0=f"{article.published_at:%Y-%m-%d}",
            published_at_1=f"{article.published_at:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.cover_image
    assert "<img" not in Client().get(article.get_absolute_url()).text


@pytest.mark.parametrize("count", [3, 30])
def test_cards_with_covers_take_no_extra_queries(
    client, make_article, count, django_assert_max_num_queries
):
    for n in range(count):
        name = f"covers/{n:032x}.jpg"
        make_article(
            cover_image=name,
            cover_width=1000,
            cover_height=500,
            cover_alt=f"图 {n}",
            cover_renditions={
                "of": name,
                "sizes": [[480, 240, name.replace(".jpg", "-480.webp")]],
            },
        )
    with django_assert_max_num_queries(9):  # as without covers (tests/public/test_queries.py)
        response = client.get(reverse("articles:article-list"))
    assert response.text.count('class="cover"') == min(count, 20)

"""What search engines and share cards read: title, description, canonical, OpenGraph, Twitter,
JSON-LD, and old article URLs answering 301."""

import io
import json
import os
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, MediaImage
from tests.helpers import add_with_cover, picture, upload


class Head(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.jsonld, self.title = {}, {}, [], ""
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "jsonld"
        elif tag == "title":
            self._in = "title"

    def handle_data(self, data):
        if self._in == "jsonld":
            self.jsonld.append(json.loads(data))
        elif self._in == "title":
            self.title += data

    def handle_endtag(self, tag):
        self._in = None


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Head(response.content.decode())


@pytest.fixture
def site(make_article, hangzhou):
    return make_article(
        title="杭州的算力",
        summary="杭州算力的一页纸。",
        tags=["人工智能"],
        cities=[hangzhou],
    )


@pytest.mark.parametrize(
    ("url", "title", "description"),
    [
        ("/", "区域经济观察", "城市与产业的中文分析"),
        ("/articles/", "文章 · 区域经济观察", "可按标签、城市、日期与关键词筛选"),
        ("/tags/", "标签 · 区域经济观察", "全部标签"),
        ("/tags/人工智能/", "标签：人工智能", "标签“人工智能”下的文章与城市。"),
        ("/cities/", "城市 · 区域经济观察", "城市与其年度数据"),
        ("/cities/hangzhou/", "杭州", "杭州"),
        ("/articles/hangzhou-de-suanli/", "杭州的算力", "杭州算力的一页纸。"),
    ],
)
def test_each_page_type_has_title_description_canonical_and_share_tags(
    client, site, url, title, description
):
    page = head(client, url + "?page=1")
    assert title in page.title
    assert description in page.meta["description"]
    canonical = f"http://testserver{url}".replace(
        "人工智能", "%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD"
    )
    assert page.links["canonical"] == canonical
    assert page.meta["og:url"] == canonical
    assert title in page.meta["og:title"]
    assert description in page.meta["og:description"]
    assert page.meta["og:site_name"] == "区域经济观察"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["twitter:title"] == page.meta["og:title"]
    assert page.meta["og:image"].startswith("http://testserver/static/articles/share")
    assert page.meta["twitter:image"] == page.meta["og:image"]


def test_default_share_image_is_shipped(db):
    assert finders.find("articles/share.png")


def test_article_page_is_an_og_article_with_news_article_json_ld(client, site):
    page = head(client, site.get_absolute_url())
    assert page.meta["og:type"] == "article"
    assert page.meta["article:tag"] == "人工智能"
    assert page.meta["article:published_time"] == timezone.localtime(site.published_at).isoformat()
    [data] = page.jsonld
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "杭州的算力"
    assert data["url"] == f"http://testserver{site.get_absolute_url()}"
    assert data["keywords"] == ["人工智能"]
    assert data["inLanguage"] == "zh-CN"
    assert data["datePublished"]


def test_city_page_has_place_json_ld(client, hangzhou):
    [data] = head(client, hangzhou.get_absolute_url()).jsonld
    assert data["@type"] == "Place"
    assert data["name"] == "杭州"
    assert data["alternateName"] == "Hangzhou"
    assert data["address"]["addressRegion"] == "浙江省"


def test_hostile_title_cannot_break_out_of_json_ld(client, make_article):
    title = '</script><script>alert("x")</script> 引号\'&"'
    article = make_article(title=title, summary=title)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in html
    [data] = Head(html).jsonld
    assert data["headline"] == title
    assert data["description"] == title


def test_seo_title_and_description_lead_title_meta_and_json_ld_escaped(client, make_article):
    seo_title = '杭州算力</title><script>alert("t")</script>&"'
    seo_description = '一页纸看懂"杭州算力"<script>alert(1)</script>&'
    article = make_article(
        title="杭州的算力", summary="摘要", seo_title=seo_title, seo_description=seo_description
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(" not in html and "</title><script>" not in html
    page = Head(html)
    assert page.title == f"{seo_title} · 区域经济观察"
    assert page.meta["og:title"] == page.meta["twitter:title"] == page.title
    assert page.meta["description"] == seo_description
    assert page.meta["og:description"] == page.meta["twitter:description"] == seo_description
    [data] = page.jsonld
    assert (data["headline"], data["description"]) == (seo_title, seo_description)
    assert "<h1>杭州的算力</h1>" in html  # the page itself keeps its title


def test_without_seo_fields_title_and_summary_are_shared(client, site):
    page = head(client, site.get_absolute_url())
    assert page.title == "杭州的算力 · 区域经济观察"
    assert page.meta["description"] == "杭州算力的一页纸。"


def noisy_picture(size):
    """A photograph's worth of detail: the hardest picture to make small."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 90).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def card_of(page, media):
    """The share card the page names, checked to be the one og:, twitter: and JSON-LD show."""
    url = page.meta["og:image"]
    assert page.meta["twitter:image"] == url and page.jsonld[0]["image"] == [url]
    assert url.startswith("http://testserver/media/") and url.endswith("-share.jpg")
    data = (media / url.removeprefix("http://testserver/media/")).read_bytes()
    with Image.open(io.BytesIO(data)) as card:
        assert (card.format, card.size) == ("JPEG", (1200, 630))
    assert len(data) < 300_000
    return url


def random_colours(size):
    """Every pixel a random colour: nothing for JPEG to save, the worst case there is."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(noisy_picture((3000, 2000)), id="photograph"),
        pytest.param(random_colours((1200, 630)), id="random-colours"),
    ],
)
def test_the_share_card_of_a_cover_is_1200_by_630_and_small(editor_client, client, media, content):
    response = add_with_cover(editor_client, content)
    assert response.status_code == 302
    article = Article.objects.get()
    client.logout()
    card = card_of(head(client, article.get_absolute_url()), media)
    assert card.endswith(article.cover_renditions["share"][2])
    assert article.cover_image.name not in card  # never the uploaded original


def test_a_share_image_from_the_library_wins_over_the_cover(
    editor_client, client, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = editor_client.post(
            reverse("admin:articles_mediaimage_upload"),
            {"file": upload(noisy_picture((800, 1200))), "alt": "竖幅照片"},
        )
    image = MediaImage.objects.get(pk=uploaded.json()["id"])
    response = add_with_cover(editor_client, picture(), share_image=image.pk)
    assert response.status_code == 302
    client.logout()
    card = card_of(head(client, Article.objects.get().get_absolute_url()), media)
    assert card.endswith(image.renditions["share"][2])


def test_a_cover_stored_before_share_cards_is_still_shared(editor_client, client, media):
    assert add_with_cover(editor_client, picture()).status_code == 302
    article = Article.objects.get()
    renditions = {"of": article.cover_renditions["of"], "sizes": article.cover_renditions["sizes"]}
    Article.objects.filter(pk=article.pk).update(cover_renditions=renditions)  # no "share"
    client.logout()
    page = head(client, article.get_absolute_url())
    assert page.meta["og:image"] == f"http://testserver/media/{article.cover_image.name}"


def test_changed_slug_answers_301_to_the_new_url(client, make_article):
    article = make_article(title="旧标题")
    old_url = article.get_absolute_url()
    article.slug = "xin-biaoti"
    article.save()
    article.slug = "zui-xin-biaoti"
    article.save()
    for url in (old_url, "/articles/xin-biaoti/"):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == "/articles/zui-xin-biaoti/"
    assert client.get("/articles/zui-xin-biaoti/").status_code == 200


def test_old_slug_of_a_draft_is_404(client, make_article):
    article = make_article(title="旧标题")
    old_url = article.get_absolute_url()
    article.slug = "xin-biaoti"
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(old_url).status_code == 404


def test_old_slug_taken_by_a_new_article_serves_the_new_article(client, make_article):
    first = make_article(title="旧标题")
    old_slug = first.slug
    first.slug = "xin-biaoti"
    first.save()
    make_article(title="另一篇", slug=old_slug)
    response = client.get(f"/articles/{old_slug}/")
    assert response.status_code == 200
    assert "另一篇" in response.content.decode()


def test_slug_change_in_the_admin_redirects(editor_client, make_article, client):
    article = make_article(title="旧标题", body="正文")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.get(url)
    form = response.context["adminform"].form
    data = {
        name: form[name].value() or "" for name in ("title", "summary", "body", "status", "source")
    }
    data |= {
        "slug": "gai-guo-de",
        "seen_version": article.version,
        "tags": "",
        "published_at_0": article.published_at.astimezone().strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.astimezone().strftime("%H:%M:%S"),
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    assert editor_client.post(url, data).status_code == 302
    client.cookies.clear()
    response = client.get("/articles/jiu-biaoti/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/gai-guo-de/"

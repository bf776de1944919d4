"""sitemap.xml (an index of sections, each with lastmod) and robots.txt."""

from datetime import timedelta
from unittest import mock
from xml.etree import ElementTree

from django.urls import reverse
from django.utils import timezone

from articles.models import Article

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def urls(client, section):
    response = client.get(reverse("sitemap-section", args=[section]))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_index_lists_each_section(client, make_article):
    make_article()
    response = client.get(reverse("sitemap"))
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.iterfind("s:sitemap/s:loc", NS)]
    assert locations == [
        f"http://testserver/sitemap-{section}.xml"
        for section in ("pages", "articles", "tags", "cities", "organisations")
    ]


def test_articles_section_lists_published_articles_with_lastmod(client, make_article):
    article = make_article(title="已发布")
    make_article(title="草稿", status=Article.Status.DRAFT)
    make_article(title="未来", published_at=timezone.now() + timedelta(days=1))
    found = urls(client, "articles")
    assert list(found) == [f"http://testserver{article.get_absolute_url()}"]
    assert (
        found[f"http://testserver{article.get_absolute_url()}"]
        == timezone.localtime(article.updated_at).date().isoformat()
    )


def test_scheduled_article_enters_the_sitemap_on_time(client, make_article):
    scheduled = make_article(title="未来", published_at=timezone.now() + timedelta(hours=1))
    assert urls(client, "articles") == {}
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        assert list(urls(client, "articles")) == [
            f"http://testserver{scheduled.get_absolute_url()}"
        ]


def test_tags_section_leaves_out_tags_only_on_drafts(client, make_article):
    make_article(tags=["芯片"])
    make_article(status=Article.Status.DRAFT, tags=["秘密"])
    found = urls(client, "tags")
    assert list(found) == ["http://testserver/tags/%E8%8A%AF%E7%89%87/"]
    assert found["http://testserver/tags/%E8%8A%AF%E7%89%87/"] is not None


def test_cities_section_lists_every_city(client, hangzhou, nanjing, make_article):
    make_article(cities=[hangzhou])
    found = urls(client, "cities")
    assert set(found) == {"http://testserver/cities/hangzhou/", "http://testserver/cities/nanjing/"}
    assert found["http://testserver/cities/hangzhou/"] is not None
    assert found["http://testserver/cities/nanjing/"] is None  # no article yet, so no date


def test_pages_section_lists_the_fixed_pages(client, db):
    assert set(urls(client, "pages")) == {
        "http://testserver/",
        "http://testserver/articles/",
        "http://testserver/tags/",
        "http://testserver/cities/",
    }


def test_unknown_section_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_organisations_section_dates_each_by_its_published_articles(client, make_article):
    from articles.models import Organisation

    unitree = Organisation.objects.create(name="宇树科技", slug="unitree")
    Organisation.objects.create(name="浙江大学", slug="zju")
    make_article(status=Article.Status.DRAFT).organisations.add(unitree)
    found = urls(client, "organisations")
    assert found == {
        "http://testserver/organisations/unitree/": None,  # only a draft names it
        "http://testserver/organisations/zju/": None,
    }
    make_article().organisations.add(unitree)
    assert urls(client, "organisations")["http://testserver/organisations/unitree/"] is not None

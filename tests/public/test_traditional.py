"""/hant/…: the same pages in traditional characters, at addresses of their own — links,
filters, search and paging staying in traditional, the page cache keeping the two apart, and
nothing but the text changed (slugs, form values and data stay as stored)."""

import re

import opencc
import pytest
from django.urls import reverse

TO_TRADITIONAL = opencc.OpenCC("s2t").convert  # the oracle: OpenCC itself, as the README says


@pytest.fixture
def site(make_article, hangzhou, nanjing):
    article = make_article(
        title="杭州的数字经济与产业发展",
        summary="数字经济占杭州经济总量的比重。",
        body="杭州的**数字经济**发展迅速，与南京相比各有所长。",
        tags=["数字经济"],
        cities=[hangzhou],
    )
    make_article(title="草稿里的经济", status="draft", tags=["数字经济"])
    return article


def text_of(html):
    """What a reader reads: the text between tags, outside scripts (and the 繁/简 switch,
    which names the other script)."""
    html = re.sub(r"<script\b.*?</script>|<a class=\"script-switch\".*?</a>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "path",
    ["/", "/articles/", "/articles/?q=数字经济", "/tags/数字经济/", "/cities/hangzhou/", "ARTICLE"],
)
def test_a_page_under_hant_is_the_same_page_in_traditional(client, site, path):
    path = site.get_absolute_url() if path == "ARTICLE" else path
    simplified = client.get(path).content.decode()
    traditional = client.get("/hant" + path).content.decode()
    assert '<html lang="zh-Hant">' in traditional and '<html lang="zh-CN">' in simplified
    assert text_of(traditional) == TO_TRADITIONAL(text_of(simplified))
    assert "數字經濟" in traditional and "数字经济" not in text_of(traditional)


def test_links_forms_and_alternates_stay_in_their_script(client, site):
    page = client.get("/hant/articles/").content.decode()
    links = re.findall(r'<a (?!class="script-switch")[^>]*href="(/[^"]*)"', page)
    internal = [link for link in links if not link.startswith(("/static/", "/media/"))]
    assert internal and all(link.startswith("/hant/") for link in internal), internal
    assert re.search(r'<form class="search"[^>]*action="/hant/articles/"', page)
    assert 'hreflang="zh-Hans" href="http://testserver/articles/"' in page
    assert 'hreflang="zh-Hant" href="http://testserver/hant/articles/"' in page
    assert re.search(r'class="script-switch" href="/articles/"', page)  # back to 简
    assert (
        'class="script-switch" href="/hant/articles/"' in client.get("/articles/").content.decode()
    )
    assert '<link rel="stylesheet" href="/static/' in page


def test_filters_and_search_work_the_same_in_traditional(client, site):
    simplified = client.get("/articles/", {"tag": "数字经济", "q": "杭州"}).content.decode()
    traditional = client.get("/hant/articles/", {"tag": "数字经济", "q": "杭州"}).content.decode()
    count = re.compile(r"共 (\d+) 篇")
    assert count.search(simplified)[1] == count.search(traditional)[1] == "1"
    typed = client.get("/hant/articles/", {"q": "數字經濟"}).content.decode()
    assert site.get_absolute_url() in typed  # the link to the article, in /hant/
    # the slug in the filter's hidden field is the stored one, not converted
    assert 'name="tag" value="数字经济"' in traditional


def test_the_page_cache_keeps_the_two_scripts_apart(client, site):
    for _ in range(2):  # the second time from the cache
        assert "數字經濟" in client.get("/hant/tags/数字经济/").content.decode()
        assert "数字经济</h1>" in client.get("/tags/数字经济/").content.decode()


def test_drafts_do_not_leak_under_hant(client, site):
    page = client.get("/hant/articles/", {"q": "草稿"}).content.decode()
    assert "草稿裡的經濟" not in page and "草稿里的经济" not in page


@pytest.mark.parametrize("path", ["/hant/admin/", "/hant/api/v1/articles/", "/hant/healthz"])
def test_what_has_one_script_is_sent_to_it(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == path.removeprefix("/hant")


def test_a_missing_page_under_hant_is_a_traditional_404(client, db):
    response = client.get("/hant/articles/沒有這篇/")
    assert response.status_code == 404
    assert '<html lang="zh-Hant">' in response.content.decode()


def test_the_traditional_feed_links_to_traditional_pages(client, site):
    feed = client.get(reverse("articles:feed-rss").replace("/feeds", "/hant/feeds", 1))
    body = feed.content.decode()
    assert "數字經濟" in body and "/hant/articles/" in body


def test_the_query_survives_the_way_back_to_one_script(client, db):
    response = client.get("/hant/admin/articles/article/", {"q": "经济"})
    assert response["Location"] == "/admin/articles/article/?q=%E7%BB%8F%E6%B5%8E"


@pytest.mark.parametrize("path", ["/hant/articles/", "/hant/admin/", "/articles/"])
def test_too_many_parameters_is_a_400_in_either_script(client, db, path):
    response = client.get(f"{path}?" + "&".join(f"c{n}=1" for n in range(2000)))
    assert response.status_code == 400

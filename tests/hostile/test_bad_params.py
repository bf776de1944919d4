"""Every public page treats every URL parameter and slug as hostile, and never answers 500.

Django's test client re-raises any exception a view raises, so a crash fails the test
rather than passing as a 500. What a visitor gets instead, decided by the code:

* a filter of /articles/ that the form refuses: 200, the error shown, no articles;
* a filter that is valid but matches nothing: 200, "no articles", no error;
* a page number that is not a page: 404, the site's own 404 page;
* a slug that names nothing: 404, the site's own 404 page.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.hostile.payloads import HOSTILE_QUERIES, IGNORED, NOT_FOUND, REFUSED

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

PAGINATED = {"articles:tag-detail", "articles:city-detail"}


@pytest.fixture
def article(make_article, hangzhou):
    return make_article(
        title="杭州数字经济观察",
        summary="杭州的数字经济与人工智能产业。",
        tags=["人工智能"],
        cities=[hangzhou],
    )


def assert_not_found(response):
    """The site's own 404 page, in Chinese."""
    assertContains(response, "找不到这个页面", status_code=404)
    assertContains(response, '<html lang="zh-CN">', status_code=404)


def assert_refused(response, article, message=""):
    """The filter form's error shown, and no article listed."""
    assert response.status_code == 200
    assertContains(response, 'role="alert"')
    assertContains(response, "筛选条件有误")
    if message:
        assertContains(response, message)
    assertContains(response, "共 0 篇")
    assertNotContains(response, article.get_absolute_url())


def assert_nothing_found(response, article):
    """A plain empty result: no error, no article."""
    assert response.status_code == 200
    assertNotContains(response, 'role="alert"')
    assertContains(response, "没有符合条件的文章")
    assertContains(response, "共 0 篇")
    assertNotContains(response, article.get_absolute_url())


def page_url(name, article):
    args = {
        "articles:tag-detail": ["人工智能"],
        "articles:city-detail": ["hangzhou"],
        "articles:article-detail": [article.slug],
    }.get(name, [])
    return reverse(name, args=args)


def page_content(name, article):
    """Text a page shows when it works: the article, or on the lists its tag or city."""
    return {
        "articles:tag-list": ">人工智能<",
        "articles:city-list": ">杭州<",
    }.get(name, article.title)


# /articles/ and its filters


@pytest.mark.parametrize(
    ("query", "outcome", "message"),
    [
        pytest.param(query, outcome, message, id=id_)
        for id_, query, outcome, message in HOSTILE_QUERIES
    ],
)
def test_article_list_survives_hostile_parameter(client, article, query, outcome, message):
    response = client.get(f"{reverse('articles:article-list')}?{query}")
    if outcome == NOT_FOUND:
        assert_not_found(response)
    elif outcome == REFUSED:
        assert_refused(response, article, message)
    elif outcome == IGNORED:  # an empty value, as a form sends it, is no filter at all
        assertNotContains(response, 'role="alert"')
        assertContains(response, article.get_absolute_url())
    else:
        assert_nothing_found(response, article)


def test_article_list_lists_the_article_without_parameters(client, article):
    """The page the hostile cases are compared with: the article is there."""
    response = client.get(reverse("articles:article-list"))
    assertContains(response, "共 1 篇")
    assertContains(response, article.get_absolute_url())


def test_percent_sign_in_search_is_not_a_wildcard(client, make_article, article):
    growth = make_article(title="增速 5.5% 的城市")
    # A part is matched character by character: "%" finds the text with a per cent sign only.
    response = client.get(reverse("articles:article-list"), {"q": "%"})
    assertContains(response, "共 1 篇")
    assertNotContains(response, article.get_absolute_url())
    response = client.get(reverse("articles:article-list"), {"q": "5.5%"})
    assertContains(response, "共 1 篇")
    assertContains(response, growth.get_absolute_url())
    assertNotContains(response, article.get_absolute_url())


def test_eleven_copies_of_one_tag_count_as_one_filter(client, article):
    query = "&".join(["tag=" + quote("人工智能")] * 11)
    response = client.get(f"{reverse('articles:article-list')}?{query}")
    assertNotContains(response, 'role="alert"')
    assertContains(response, "共 1 篇")
    assertContains(response, article.get_absolute_url())


def test_script_in_search_is_shown_escaped(client, article):
    response = client.get(reverse("articles:article-list"), {"q": SCRIPT})
    assert response.status_code == 200
    assertNotContains(response, SCRIPT)
    assertContains(response, ESCAPED_SCRIPT)


@pytest.mark.parametrize("param", ["tag", "city"])
def test_script_in_tag_or_city_is_refused_and_shown_escaped(client, article, param):
    response = client.get(reverse("articles:article-list"), {param: SCRIPT})
    assert_refused(response, article, "不是有效的名称")
    assertNotContains(response, SCRIPT)
    assertContains(response, ESCAPED_SCRIPT)


# Every other public page


@pytest.mark.parametrize(
    "name",
    [
        "articles:home",
        "articles:tag-list",
        "articles:city-list",
        "articles:tag-detail",
        "articles:city-detail",
        "articles:article-detail",
    ],
)
@pytest.mark.parametrize(
    "query", [pytest.param(query, id=id_) for id_, query, _outcome, _message in HOSTILE_QUERIES]
)
def test_other_pages_survive_hostile_parameter(client, article, name, query):
    response = client.get(f"{page_url(name, article)}?{query}")
    if name in PAGINATED and query.startswith("page="):
        assert_not_found(response)
    else:
        assert response.status_code == 200
        assertContains(response, page_content(name, article))


# Slugs

BAD_SLUGS = [
    pytest.param("no-such-thing", id="unknown"),
    pytest.param(quote("不存在的页面"), id="unknown-chinese"),
    pytest.param("a" * 300, id="300-ascii-characters"),
    pytest.param(quote("长" * 300), id="300-chinese-characters"),
    pytest.param(quote("ｈａｎｇｚｈｏｕ"), id="full-width-letters"),
    pytest.param("%00", id="nul"),
    pytest.param("%FF%FE", id="invalid-utf8"),
    pytest.param("a%20b", id="space"),
    pytest.param("%27%22", id="quotes"),
    pytest.param("a%2Fb", id="encoded-slash"),
    pytest.param("..", id="dot-dot"),
    pytest.param(quote("\u200b"), id="zero-width-space"),
    pytest.param(quote(SCRIPT, safe=""), id="script"),
]

DETAIL_PAGES = ["articles:tag-detail", "articles:city-detail", "articles:article-detail"]


def detail_path(name, raw_slug):
    """The page's URL with a slug put in as is (already percent-encoded where needed)."""
    prefix = reverse(name, args=["x"]).removesuffix("x/")
    return f"{prefix}{raw_slug}/"


@pytest.mark.parametrize("name", DETAIL_PAGES)
@pytest.mark.parametrize("raw_slug", BAD_SLUGS)
def test_bad_slug_gives_the_site_404_page(client, article, name, raw_slug):
    assert_not_found(client.get(detail_path(name, raw_slug)))


@pytest.mark.parametrize("name", DETAIL_PAGES)
def test_bad_slug_with_bad_page_gives_the_site_404_page(client, article, name):
    assert_not_found(client.get(detail_path(name, "no-such-thing") + "?page=abc"))


@pytest.mark.parametrize("name", sorted(PAGINATED))
def test_bad_page_of_a_real_tag_or_city_gives_the_site_404_page(client, article, name):
    assert_not_found(client.get(page_url(name, article) + "?page=abc"))


@pytest.mark.parametrize("name", sorted(PAGINATED))
def test_page_past_the_end_of_a_real_tag_or_city_gives_the_site_404_page(client, article, name):
    assert_not_found(client.get(page_url(name, article) + "?page=2"))


def test_article_page_ignores_a_page_parameter(client, article):
    """An article has no pages, so ?page= is ignored rather than refused."""
    response = client.get(article.get_absolute_url() + "?page=abc")
    assertContains(response, article.title)


def test_chinese_tag_slug_survives_reversing(client, article):
    url = reverse("articles:tag-detail", args=["人工智能"])
    response = client.get(url)
    assertContains(response, "标签：人工智能")
    assertContains(response, article.get_absolute_url())
    # The article's own tag link is the same URL.
    assertContains(client.get(article.get_absolute_url()), f'href="{url}"')


# Language


@pytest.mark.parametrize(
    "name",
    [
        "articles:home",
        "articles:article-list",
        "articles:tag-list",
        "articles:city-list",
        "articles:tag-detail",
        "articles:city-detail",
        "articles:article-detail",
    ],
)
def test_public_pages_declare_simplified_chinese(client, article, name):
    assertContains(client.get(page_url(name, article)), '<html lang="zh-CN">')


def test_refused_filter_page_declares_simplified_chinese(client, article):
    response = client.get(reverse("articles:article-list"), {"year": "abcd"})
    assertContains(response, '<html lang="zh-CN">')

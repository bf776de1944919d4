"""The search page as a reader meets it: titled by the search, the city, organisation or tag the
query names shown first with a link to its page, the active facets marked and removable, and a
bad parameter answered in plain Chinese."""

import re

import pytest
from taggit.models import Tag

from articles.models import Organisation, TagAlias


@pytest.fixture
def site(make_article, hangzhou, nanjing):
    make_article(title="南京的新产业", body="南京与杭州。", tags=["人工智能"], cities=[nanjing])
    make_article(title="杭州的一年", body="杭州。", tags=["数字经济"], cities=[hangzhou])


def heading(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1)


def test_a_search_is_titled_by_what_was_searched(client, site):
    response = client.get("/articles/", {"q": "南京"})
    assert heading(response) == "搜索：南京"
    assert "<title>搜索：南京" in response.content.decode()
    assert heading(client.get("/articles/")) == "文章"


@pytest.mark.parametrize("query", ["南京", " 南京 "])
def test_a_search_for_a_city_shows_its_profile_first(client, site, query):
    page = client.get("/articles/", {"q": query}).content.decode()
    card = re.search(r'<p class="named">(.*?)</p>', page, re.S)
    assert card, "no entity card"
    assert 'href="/cities/nanjing/"' in card.group(1) and "城市" in card.group(1)
    assert page.index('class="named"') < page.index('class="cards"')


def test_case_width_traditional_and_aliases_name_the_same_things(client, site, db):
    Organisation.objects.create(name="DeepSeek", slug="deepseek", kind="企业")
    page = client.get("/articles/", {"q": "ＤＥＥＰＳＥＥＫ"}).content.decode()
    assert 'href="/organisations/deepseek/"' in page
    page = client.get("/articles/", {"q": "數字經濟"}).content.decode()
    assert re.search(r'<p class="named">.*标签.*数字经济', page, re.S)
    TagAlias.objects.create(name="AI", tag=Tag.objects.get(name="人工智能"))
    page = client.get("/articles/", {"q": "ai"}).content.decode()
    assert re.search(r'<p class="named">.*标签.*人工智能', page, re.S)


def test_a_search_that_names_nothing_shows_no_card(client, site):
    page = client.get("/articles/", {"q": "新产业"}).content.decode()
    assert 'class="named"' not in page


def test_a_draft_only_tag_is_not_named(client, site, make_article):
    make_article(title="草稿", tags=["秘密标签"], status="draft")
    page = client.get("/articles/", {"q": "秘密标签"}).content.decode()
    assert 'class="named"' not in page and "/tags/秘密标签/" not in page


def test_active_facets_are_marked_and_remove_themselves(client, site):
    page = client.get("/articles/", {"tag": "人工智能"}).content.decode()
    facets = page.split('id="filters"', 1)[1]
    active = re.findall(
        r'<a class="active" aria-current="true" href="([^"]*)"[^>]*>([^<]*)', facets
    )
    assert active == [("?", "人工智能")]
    assert 'href="?tag=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&amp;city=nanjing"' in facets


@pytest.mark.parametrize(
    "params, message",
    [
        ({"year": "abc"}, "年份要写成四位数字，如 2024。"),
        ({"year": "1800"}, "年份不能早于 1949 年。"),
        ({"from": "昨天"}, "起始日期要写成 2025-05-01 这样的格式。"),
        ({"sort": "random"}, "排序只能是 newest（最新在前）或 oldest（最早在前）。"),
        ({"match": "some"}, "标签匹配只能是 all（全部标签）或 any（任一标签）。"),
        ({"q": "长" * 101}, "关键词最多 100 个字。"),
    ],
)
def test_a_bad_parameter_is_answered_in_plain_chinese(client, site, params, message):
    response = client.get("/articles/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"region": "火星"}, "没有收录这个区域的城市。"),
        ({"province": "\x00"}, "没有收录这个省份的城市。"),
    ],
)
def test_a_bad_city_filter_is_answered_in_plain_chinese(client, site, params, message):
    page = client.get("/cities/", params).content.decode()
    assert message in page and "选择一个有效的选项" not in page

"""Tags at scale: the article list filters by a typed tag (or alias) among thousands, lists the
most used tags with their counts and never a zero; the tag box says when a name is new."""

import re

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, TagAlias
from tests.helpers import CHANGELIST

SUGGEST = reverse("admin:articles_article_tag_suggestions")
MANY = 3000


@pytest.fixture
def many_tags(make_article, author):
    Tag.objects.bulk_create(Tag(name=f"冷门标签{n}", slug=f"leng-men-{n}") for n in range(MANY))
    make_article(title="智能一", tags=["人工智能", "芯片"])
    make_article(title="智能二", tags=["人工智能"])
    make_article(title="作者的草稿", tags=["城市更新"], status=Article.Status.DRAFT, author=author)
    TagAlias.objects.create(name="AI", tag=Tag.objects.get(name="人工智能"))
    return Tag.objects.count()


def rows(page):
    return re.findall(r'<th class="field-title"><a [^>]*>([^<]+)</a>', page)


def filter_block(page):
    return page.split('class="tag-filter"')[1].split("</details>")[0]


def test_thousands_of_tags_give_a_box_and_the_most_used_never_a_zero(
    editor_client, many_tags, django_assert_max_num_queries
):
    assert many_tags > MANY
    with django_assert_max_num_queries(25):  # 22 measured: none per tag
        page = editor_client.get(CHANGELIST).text
    block = filter_block(page)
    assert 'name="tag"' in block
    assert "人工智能（2）" in block and "芯片（1）" in block and "城市更新（1）" in block
    assert "冷门标签" not in block
    assert not re.search(r"[（(]0[）)]", block)
    assert len(page) < 200_000


def test_an_author_sees_the_tags_of_their_own_articles_only(author_client, many_tags):
    block = filter_block(author_client.get(CHANGELIST).text)
    assert "城市更新（1）" in block and "人工智能" not in block


@pytest.mark.parametrize("typed", ["人工智能", "ai", "ＡＩ"])
def test_typing_a_tag_or_an_alias_filters_by_it(editor_client, many_tags, typed):
    page = editor_client.get(CHANGELIST, {"tag": typed}).text
    assert sorted(rows(page)) == ["智能一", "智能二"]


def test_an_unknown_tag_says_so_and_lists_nothing(editor_client, many_tags):
    page = editor_client.get(CHANGELIST, {"tag": "无此标签"}).text
    assert rows(page) == []
    assert "没有叫“无此标签”的标签" in page


def test_the_box_keeps_the_other_filters(editor_client, many_tags):
    page = editor_client.get(CHANGELIST, {"status__exact": "draft", "tag": "城市更新"}).text
    assert '<input type="hidden" name="status__exact" value="draft">' in filter_block(page)
    assert rows(page) == ["作者的草稿"]


def describe(client, typed):
    return client.get(SUGGEST, {"q": typed}).json()


def test_a_new_tag_is_marked_as_new_with_the_nearest_existing_ones(editor_client, many_tags):
    typo = describe(editor_client, "人工智慧")
    assert typo["new"] is True and typo["results"][0] == "人工智能"
    part = describe(editor_client, "人工")
    assert part["new"] is True and part["results"] == ["人工智能"]
    existing = describe(editor_client, "芯片")
    assert existing["new"] is False


def test_an_alias_is_named_with_its_tag(editor_client, many_tags):
    typed = describe(editor_client, "ai")
    assert typed["new"] is False and typed["alias_of"] == "人工智能"
    assert {"alias": "AI", "tag": "人工智能"} in typed["aliases"]

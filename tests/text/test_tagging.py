import pytest
from taggit.models import Tag

from articles.editorial.tag_care import parse_tags
from articles.models import Article


@pytest.mark.parametrize(
    "text, names",
    [
        (
            "人工智能，芯片、新能源汽车；大模型;AI,机器人",
            ["AI", "人工智能", "大模型", "新能源汽车", "机器人", "芯片"],
        ),
        ("  人工智能 ，， 、 ", ["人工智能"]),
        ("DeepSeek，deepseek、ＤｅｅｐＳｅｅｋ", ["DeepSeek"]),
        ("人工\u200b智能", ["人工智能"]),
        ("#芯片", ["芯片"]),
        ("", []),
    ],
)
def test_tag_input_accepts_chinese_separators_and_normalises(db, text, names):
    assert parse_tags(text) == names


def test_case_and_width_variants_are_one_tag(make_article):
    first = make_article(tags=["DeepSeek"])
    second = make_article()
    second.tags.set(parse_tags("ＤｅｅｐＳｅｅｋ"))
    third = make_article()
    third.tags.set(parse_tags("deepseek"))
    assert Tag.objects.filter(name__iexact="deepseek").count() == 1
    tag = Tag.objects.get()
    assert set(Article.objects.filter(tags=tag)) == {first, second, third}


def test_chinese_tag_gets_a_chinese_slug(make_article):
    make_article(tags=["人工智能", "DeepSeek"])
    assert set(Tag.objects.values_list("slug", flat=True)) == {"人工智能", "deepseek"}


def test_tag_page_url_uses_the_chinese_slug(client, make_article):
    make_article(title="一篇关于人工智能的文章", tags=["人工智能"])
    tag = Tag.objects.get(name="人工智能")
    assert tag.get_absolute_url() == "/tags/%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD/"
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert "一篇关于人工智能的文章" in response.text

"""The search box's look-up: what a reader types — Chinese, full pinyin, initials, mixed case
or full width — against an oracle that reads each name's pinyin with pypinyin itself."""

import pytest
from pypinyin import Style, lazy_pinyin

from articles.models import Organisation


@pytest.fixture
def names(make_article, make_city, hangzhou, nanjing):
    make_city("重庆", "chongqing")
    make_city("厦门", "xiamen")
    Organisation.objects.create(name="DeepSeek", slug="deepseek", kind="企业")
    Organisation.objects.create(name="杭州市统计局", slug="hz-stats", kind="政府")
    make_article(title="一文", tags=["人工智能", "杭州六小龙"], cities=[hangzhou])
    make_article(title="草稿", tags=["华为海思"], status="draft")  # a draft's tag: never offered


def suggested(client, typed):
    response = client.get("/suggest/", {"q": typed})
    assert response.status_code == 200
    return [(item["name"], item["kind"]) for item in response.json()["suggestions"]]


def oracle(name, typed):
    """The promise, read independently: the name, its pinyin or its initials begins with what
    was typed (lower case, no spaces), or the name contains it."""
    typed = typed.lower().replace(" ", "")
    syllables = lazy_pinyin(name)
    initials = "".join(s[0] for s in lazy_pinyin(name, style=Style.FIRST_LETTER))
    return (
        name.lower().startswith(typed)
        or "".join(syllables).lower().startswith(typed)
        or initials.lower().startswith(typed)
        or typed in name.lower()
    )


ALL = ["杭州", "南京", "重庆", "厦门", "DeepSeek", "杭州市统计局", "人工智能", "杭州六小龙"]


@pytest.mark.parametrize(
    "typed", ["hz", "hangzhou", "hang", "杭", "杭州", "cq", "chongqing", "xm", "deep", "rgzn", "nj"]
)
def test_suggestions_are_exactly_the_names_that_match(client, names, typed):
    found = {name for name, _ in suggested(client, typed)}
    assert found == {name for name in ALL if oracle(name, typed)}


def test_cities_come_first_then_organisations_then_tags(client, names):
    assert suggested(client, "杭州") == [
        ("杭州", "城市"),
        ("杭州市统计局", "机构"),
        ("杭州六小龙", "标签"),
    ]


@pytest.mark.parametrize("typed", ["HZ", "ｈｚ", " h z "])
def test_case_width_and_spaces_do_not_matter(client, names, typed):
    assert ("杭州", "城市") in suggested(client, typed)


def test_a_drafts_tag_is_never_offered(client, names):
    assert suggested(client, "华为") == [] and suggested(client, "hwhs") == []


@pytest.mark.parametrize("typed", ["", " ", "<script>", "'; DROP TABLE", "\x00", "杭" * 5000])
def test_anything_typed_is_answered_calmly(client, names, typed):
    assert isinstance(suggested(client, typed), list)


def test_a_pinyin_search_without_the_script_says_what_was_meant(client, names):
    page = client.get("/articles/", {"q": "hangzhou"}).content.decode()
    assert "你要找的是不是" in page and 'href="/cities/hangzhou/"' in page

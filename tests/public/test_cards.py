"""Article cards are rendered once and reused, and never show what has changed since."""

import pytest
from django.test.signals import template_rendered
from taggit.models import Tag

CARD = "articles/includes/article_card.html"


@pytest.fixture
def rendered_cards():
    names = []

    def count(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(count)
    yield lambda: names.count(CARD)
    template_rendered.disconnect(count)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE = False  # every page rendered: only the cards are reused


def test_a_second_list_reuses_every_card_and_shows_the_same(client, make_article, rendered_cards):
    for n in range(5):
        make_article(title=f"第 {n} 篇", tags=["港口"])
    first = client.get("/articles/").content
    assert rendered_cards() == 5
    assert client.get("/articles/").content == first
    assert client.get("/tags/港口/").status_code == 200
    assert rendered_cards() == 5  # the tag page shows the same cards: none made again


def test_a_card_changes_with_its_article_tag_and_city(client, make_article, hangzhou):
    article = make_article(title="港口的一年", tags=["港口"], cities=[hangzhou])
    assert "港口的一年" in client.get("/articles/").content.decode()
    article.title = "港口的两年"
    article.save()
    Tag.objects.filter(name="港口").update(name="海港")
    hangzhou.name = "杭州市"
    hangzhou.save()
    html = client.get("/articles/").content.decode()
    assert "港口的两年" in html and "港口的一年" not in html
    assert ">海港<" in html and "杭州市" in html


def test_search_results_keep_their_own_snippets(client, make_article):
    make_article(title="港口", body="宁波舟山港的吞吐量。")
    make_article(title="港口", body="上海港的集装箱。")
    assert "舟山港的吞吐量" in client.get("/articles/?q=宁波").content.decode()
    html = client.get("/articles/?q=上海").content.decode()
    assert "港的集装箱" in html and "舟山港的吞吐量" not in html


def test_a_card_is_escaped_when_made_and_when_reused(client, make_article):
    make_article(title="<script>alert(1)</script>", summary='"><img src=x onerror=alert(1)>')
    for _ in range(2):  # made, then served from the cache
        html = client.get("/articles/").content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

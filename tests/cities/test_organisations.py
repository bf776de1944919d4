"""Organisations: their pages, their articles (published only), and the city page's list."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Organisation


@pytest.fixture
def deepseek(hangzhou):
    return Organisation.objects.create(
        name="DeepSeek", city=hangzhou, aliases="深度求索", summary="人工智能公司。"
    )


def test_slugs_are_pinyin_for_chinese_names_and_the_name_for_latin_ones(deepseek, hangzhou):
    assert deepseek.slug == "deepseek"
    assert Organisation.objects.create(name="宇树科技").slug == "yushu-keji"
    assert Organisation.objects.create(name="之江实验室", kind="lab").slug == "zhijiang-shiyanshi"


def test_organisation_page_lists_its_published_articles_only(client, make_article, deepseek):
    published = make_article(title="DeepSeek之后")
    draft = make_article(title="未发布的稿子", status=Article.Status.DRAFT)
    for article in (published, draft):
        article.organisations.add(deepseek)
    response = client.get(deepseek.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [published]
    assertNotContains(response, "未发布的稿子")
    assertContains(response, "又称 深度求索")
    assertContains(response, 'href="/cities/hangzhou/"')


def test_organisation_list_groups_by_type_and_counts_published_articles(
    client, make_article, deepseek
):
    Organisation.objects.create(name="浙江大学", kind=Organisation.Kind.UNIVERSITY)
    make_article(status=Article.Status.DRAFT).organisations.add(deepseek)
    make_article().organisations.add(deepseek)
    response = client.get(reverse("articles:organisation-list"))
    assertContains(response, "<h2>企业</h2>", html=True)
    assertContains(response, "<h2>高校</h2>", html=True)
    counts = {o.name: o.num_articles for o in response.context["organisations"]}
    assert counts == {"DeepSeek": 1, "浙江大学": 0}


def test_city_page_lists_its_organisations(client, deepseek, hangzhou):
    response = client.get(hangzhou.get_absolute_url())
    assertContains(response, 'href="/organisations/deepseek/"')
    assertContains(response, "人工智能公司。")


def test_unknown_organisation_is_a_404(client, db):
    assert client.get(reverse("articles:organisation-detail", args=["nobody"])).status_code == 404


def test_admin_finds_organisations_by_alias(editor_client, deepseek):
    response = editor_client.get(
        reverse("admin:articles_organisation_changelist"), {"q": "深度求索"}
    )
    assert list(response.context["cl"].result_list) == [deepseek]


def test_demo_organisations_load_and_demo_articles_link_them(client, db):
    from io import StringIO

    from django.core.management import call_command

    call_command("loaddemo", stdout=StringIO())
    deepseek = Organisation.objects.get(slug="deepseek")
    assert deepseek.city.name == "杭州"
    article = Article.objects.get(slug="deepseek-zhihou-zai-kan-hangzhou-yu-nanjing")
    assert deepseek in article.organisations.all()
    html = client.get(article.get_absolute_url()).text
    assert '<a href="/organisations/deepseek/" class="mention mention-organisation">' in html
    assert client.get(deepseek.get_absolute_url()).status_code == 200


def test_article_page_lists_the_organisations_it_is_linked_to(client, make_article, deepseek):
    article = make_article(title="一篇文章")
    article.organisations.add(deepseek)
    response = client.get(article.get_absolute_url())
    assertContains(response, "文中机构")
    assertContains(response, 'href="/organisations/deepseek/"')


def test_editor_adds_an_organisation_in_the_admin(editor_client, hangzhou):
    response = editor_client.post(
        reverse("admin:articles_organisation_add"),
        {"name": "海康威视", "kind": "company", "city": hangzhou.pk, "aliases": "Hikvision"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="海康威视")
    assert organisation.slug == "haikang-weishi"
    assert organisation.alias_list == ["Hikvision"]

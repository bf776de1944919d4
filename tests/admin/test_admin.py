"""The editor's day in the admin: write, tag, link cities, publish, find."""

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from tests.helpers import ADD, CHANGELIST, article_form, run_action


def test_editor_writes_tags_and_publishes_an_article(editor_client, editor, hangzhou, nanjing):
    reader = Client()
    response = editor_client.post(ADD, article_form(cities=[hangzhou.pk, nanjing.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "hangzhou-you-deepseek-nanjing-you-shenme"
    assert article.author == editor
    assert sorted(article.tags.names()) == ["DeepSeek", "人工智能", "城市竞争"]
    assert set(article.cities.all()) == {hangzhou, nanjing}
    assert article.links.get().url == "https://example.com/original"
    assert reader.get(article.get_absolute_url()).status_code == 404  # still a draft

    response = run_action(editor_client, "publish", article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at
    page = reader.get(article.get_absolute_url())
    assert page.status_code == 200 and "草稿预览" not in page.text


def test_unpublish_action_takes_an_article_down(editor_client, make_article):
    article = make_article(title="要撤回的文章")
    run_action(editor_client, "unpublish", article)
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_tag_with_no_letters_is_refused_with_a_message(editor_client):
    response = editor_client.post(ADD, article_form(tags="人工智能，！！！"))
    assert response.status_code == 200
    assert "标签“!!!”没有可用作网址的文字或数字" in response.text
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


def test_tag_input_reuses_existing_tags_whatever_the_case_or_width(editor_client, make_article):
    make_article(tags=["DeepSeek"])
    editor_client.post(ADD, article_form(tags="ｄｅｅｐｓｅｅｋ"))
    assert list(Tag.objects.values_list("name", flat=True)) == ["DeepSeek"]


def test_existing_tags_are_shown_with_chinese_commas(editor_client, make_article):
    article = make_article(tags=["人工智能", "芯片"])
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'value="人工智能，芯片"' in response.text


def test_body_over_the_size_limit_is_refused(editor_client):
    response = editor_client.post(ADD, article_form(body="字" * 100_001))
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_staff_view_on_site_opens_a_draft_as_a_preview(editor_client, make_article):
    draft = make_article(title="未完成的稿子", status=Article.Status.DRAFT)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "草稿预览" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_changelist_has_tag_and_city_filters_with_facet_counts(
    editor_client, make_article, hangzhou
):
    make_article(tags=["人工智能"], cities=[hangzhou])
    make_article(tags=["人工智能"])
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.text
    assert "人工智能（2）" in html  # the tag filter (articles/admin/filters.py)
    assert "杭州 (1)" in html


def test_changelist_search_finds_by_title(editor_client, make_article):
    make_article(title="合肥的新能源汽车")
    make_article(title="苏州制造")
    response = editor_client.get(CHANGELIST, {"q": "合肥"})
    assert [a.title for a in response.context["cl"].result_list] == ["合肥的新能源汽车"]


def test_city_autocomplete_finds_chinese_names(editor_client, hangzhou, nanjing):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "杭", "app_label": "articles", "model_name": "article", "field_name": "cities"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["杭州"]


def test_city_figures_are_edited_inline(editor_client, hangzhou):
    url = reverse("admin:articles_city_change", args=[hangzhou.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert 'name="figures-0-year"' in response.text


@pytest.mark.parametrize("rows", [3, 30])
def test_changelist_query_count_does_not_grow_with_rows(
    editor_client, make_article, hangzhou, rows, django_assert_max_num_queries
):
    for n in range(rows):
        make_article(tags=[f"标签{n % 5}", "共同"], cities=[hangzhou])
    # facet counts re-read tags and cities per filter; one more reads the second factor (django-otp)
    with django_assert_max_num_queries(26):
        response = editor_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == rows

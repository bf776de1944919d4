"""Every save keeps a revision: who, when, a readable diff, and revert to any of them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleRevision
from tests.helpers import article_form, run_action


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def revert(client, article, revision):
    """Ask to revert, then confirm on the page that asks: the way an editor reverts."""
    url = reverse("admin:articles_article_revert", args=[article.pk, revision.pk])
    asked = client.get(url)
    assert asked.status_code == 200
    version = re.search(r'name="seen_version" value="(\d+)"', asked.text).group(1)
    return client.post(url, {"seen_version": version})


def save(client, article, **fields):
    page = client.get(change_url(article)).text
    version = re.search(r'name="seen_version" value="(\d+)"', page).group(1)
    response = client.post(change_url(article), article_form(seen_version=version, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()


@pytest.fixture
def article(editor_client, hangzhou):
    editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            title="初版标题", body="第一段。\n\n第二段。", tags="芯片", cities=[hangzhou.pk]
        ),
    )
    return Article.objects.get()


def test_every_save_keeps_a_revision_with_who_and_the_final_tags_and_cities(
    editor_client, editor, article, nanjing
):
    save(editor_client, article, title="二版标题", tags="芯片，半导体", cities=[nanjing.pk])
    first, second = article.revisions.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.user == second.user == editor
    assert first.data["tags"] == ["芯片"] and first.data["cities"] == ["杭州"]
    assert second.data["tags"] == ["半导体", "芯片"] and second.data["cities"] == ["南京"]
    assert second.data["title"] == "二版标题"


def test_revision_page_shows_a_readable_diff(editor_client, article, nanjing):
    save(
        editor_client,
        article,
        title="二版标题",
        body="第一段。\n\n第二段改写了。",
        tags="芯片，半导体",
        cities=[nanjing.pk],
        status="published",
    )
    page = editor_client.get(revisions_url(article)).text
    assert "第 2 版" in page and "editor" in page
    for line in (
        "~ <del>初</del><ins>二</ins>版标题",
        "~ 第二段<ins>改写了</ins>。",
        "+ 半导体",
        "- 杭州",
        "+ 南京",
        "- 草稿",
        "+ 已发布",
    ):
        assert line in page, line
    assert "- 第一段。" not in page  # an unchanged paragraph is not shown as removed
    assert "- 第二段。" not in page  # a changed one is shown by its changed characters


def test_revert_brings_back_text_tags_and_cities_but_not_the_status(
    editor_client, editor, article, hangzhou, nanjing
):
    save(
        editor_client,
        article,
        title="二版标题",
        body="全新的正文",
        tags="半导体",
        cities=[nanjing.pk],
        status="published",
    )
    first = article.revisions.get(version=1)
    response = revert(editor_client, article, first)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "初版标题" and article.body == "第一段。\n\n第二段。"
    assert list(article.tags.names()) == ["芯片"]
    assert list(article.cities.all()) == [hangzhou]
    assert article.is_public  # reverting the text does not take the article down
    assert "第二段。" in Client().get(article.get_absolute_url()).text
    newest = article.revisions.first()
    assert newest.note == "恢复到第 1 版" and newest.version == article.version
    assert newest.user == editor


def test_revert_asks_first_and_changes_nothing_until_confirmed(editor_client, article):
    save(editor_client, article, title="二版标题", body="第一段。\n\n第二段改写了。")
    first = article.revisions.get(version=1)
    revisions_page = editor_client.get(revisions_url(article)).text
    url = reverse("admin:articles_article_revert", args=[article.pk, first.pk])
    assert f'href="{url}"' in revisions_page  # a link to the question, not a button that acts

    asked = editor_client.get(url)
    assert "恢复到第 1 版？" in asked.text
    assert "~ <del>二</del><ins>初</ins>版标题" in asked.text  # what the revert would change
    assert "确定恢复到第 1 版" in asked.text
    article.refresh_from_db()
    assert article.title == "二版标题" and article.revisions.count() == 2

    unconfirmed = editor_client.post(url)  # no version from the question page
    assert unconfirmed.status_code == 200 and "没有恢复" in unconfirmed.text
    article.refresh_from_db()
    assert article.title == "二版标题"


def test_revert_confirmed_after_another_save_asks_again(editor_client, article):
    save(editor_client, article, title="二版标题")
    first = article.revisions.get(version=1)
    url = reverse("admin:articles_article_revert", args=[article.pk, first.pk])
    version = re.search(r'name="seen_version" value="(\d+)"', editor_client.get(url).text)[1]
    save(editor_client, article, title="三版标题")  # someone saves while the question is open
    response = editor_client.post(url, {"seen_version": version})
    assert response.status_code == 200
    assert "没有恢复：您打开这一页之后，这篇文章又被保存过" in response.text
    assert "~ <del>三</del><ins>初</ins>版标题" in response.text
    article.refresh_from_db()
    assert article.title == "三版标题"


def test_revert_is_itself_a_revision_that_can_be_reverted(editor_client, article):
    save(editor_client, article, title="二版标题")
    revert(editor_client, article, article.revisions.get(version=1))
    assert [r.note for r in article.revisions.all()] == ["恢复到第 1 版", "", "新建"]
    revert(editor_client, article, article.revisions.get(version=2))
    article.refresh_from_db()
    assert article.title == "二版标题"


def test_any_two_revisions_can_be_compared(editor_client, article, nanjing):
    save(editor_client, article, title="二版标题", body="第一段。\n\n第二段。\n\n新加的第三段。")
    save(
        editor_client,
        article,
        title="二版标题",
        body="第一段改了。\n\n第二段。\n\n新加的第三段。",
        tags="芯片，算力",
    )
    first, third = article.revisions.get(version=1), article.revisions.get(version=3)
    page = editor_client.get(revisions_url(article)).text
    assert 'name="a"' in page and 'name="b"' in page  # chosen on the revisions page

    url = reverse("admin:articles_article_compare", args=[article.pk])
    for a, b in ((first, third), (third, first)):  # either order reads from older to newer
        compared = editor_client.get(url, {"a": a.pk, "b": b.pk})
        assert compared.status_code == 200
        text = compared.text
        assert "从第 1 版" in text and "到第 3 版" in text
        assert "~ <del>初</del><ins>二</ins>版标题" in text
        assert "~ 第一段<ins>改了</ins>。" in text
        assert "+ 新加的第三段。" in text
        assert "+ 算力" in text

    same = editor_client.get(url, {"a": third.pk, "b": third.pk})
    assert "这两版内容相同" in same.text


@pytest.mark.parametrize(
    "query", [{}, {"a": "1"}, {"a": "x", "b": "1"}, {"a": "1", "b": "99999999999999999999"}]
)
def test_compare_with_bad_revisions_is_a_4xx(editor_client, article, query):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    assert editor_client.get(url, query).status_code in (400, 404)


def test_compare_refuses_a_revision_of_another_article(editor_client, article, make_article):
    other = make_article(title="另一篇")
    foreign = ArticleRevision.objects.create(article=other, version=1, data={"title": "外来"})
    url = reverse("admin:articles_article_compare", args=[article.pk])
    mine = article.revisions.get()
    assert editor_client.get(url, {"a": mine.pk, "b": foreign.pk}).status_code == 404


def test_revisions_page_query_count_does_not_grow_with_revisions(
    editor_client, article, django_assert_max_num_queries
):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(revisions_url(article)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        save(editor_client, article, title=f"第 {n} 次修改")
    assert queries() == few


def test_revision_of_another_article_cannot_be_reverted_to(editor_client, article, make_article):
    other = make_article(title="另一篇")
    foreign = ArticleRevision.objects.create(article=other, version=1, data={"title": "外来"})
    url = reverse("admin:articles_article_revert", args=[article.pk, foreign.pk])
    assert editor_client.get(url).status_code == 404
    response = editor_client.post(url, {"seen_version": article.version})
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.title == "初版标题"


def test_publish_and_unpublish_actions_leave_revisions(editor_client, article):
    run_action(editor_client, "publish", article)
    run_action(editor_client, "unpublish", article)
    assert [r.note for r in article.revisions.all()] == ["撤回", "发布", "新建"]


def test_author_cannot_see_revisions_of_someone_elses_article(author_client, article):
    assert author_client.get(revisions_url(article)).status_code == 404


def test_cities_linked_by_ticking_accept_mentions_are_in_that_saves_revision(
    editor_client, article, nanjing
):
    save(editor_client, article, title="追赶", body="南京也在追赶。", accept_mentions="on")
    assert sorted(article.cities.values_list("name", flat=True)) == ["南京"]
    assert article.revisions.first().data["cities"] == ["南京"]


def test_link_mentions_action_keeps_a_revision_with_who(
    editor_client, editor, make_article, nanjing
):
    article = make_article(title="南京观察", body="南京的芯片。")
    run_action(editor_client, "link_mentions", article)
    newest = article.revisions.get()
    assert newest.user == editor and newest.note == "关联文中提到的城市和机构"
    assert newest.data["cities"] == ["南京"]
    page = editor_client.get(revisions_url(article)).text
    assert "+ 南京" in page


def test_import_and_accepted_suggestions_keep_revisions(editor_client, editor, hangzhou):
    editor_client.post(
        reverse("admin:articles_article_import"), {"text": "杭州观察\n杭州的数字经济。"}
    )
    article = Article.objects.get()
    assert [(r.note, r.user) for r in article.revisions.all()] == [("导入", editor)]
    editor_client.post(
        reverse("admin:articles_article_import_result", args=[article.pk]),
        {"cities": [hangzhou.pk]},
    )
    newest = article.revisions.first()
    assert (newest.note, newest.user, newest.data["cities"]) == ("采纳导入建议", editor, ["杭州"])


def test_an_article_saved_outside_the_admin_opens_its_empty_history(editor_client, make_article):
    """The demo loader and the API of the model save without a revision: the page still opens."""
    article = make_article(title="演示文章")
    assert not article.revisions.exists()
    response = editor_client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    assert response.status_code == 200
    assert "演示文章" in response.content.decode()


def test_revisions_keep_organisations_and_revert_brings_them_back(editor_client, article, hangzhou):
    from articles.models import Organisation

    deepseek = Organisation.objects.create(name="深度求索", slug="deepseek", city=hangzhou)
    save(editor_client, article, title="二版标题", organisations=[deepseek.pk], source="本刊")
    second = article.revisions.first()
    assert second.data["organisations"] == ["深度求索"]
    assert (second.data["slug"], second.data["source"]) == (article.slug, "本刊")
    save(editor_client, article, title="三版标题", organisations=[])
    assert not article.organisations.exists()
    assert "- 深度求索" in editor_client.get(revisions_url(article)).text

    revert(editor_client, article, second)
    article.refresh_from_db()
    assert list(article.organisations.all()) == [deepseek]
    assert article.title == "二版标题"


def test_seo_title_and_description_are_kept_and_reverted_with_the_text(editor_client, article):
    save(editor_client, article, seo_title="杭州算力一页纸", seo_description="写给招商的人。")
    second = article.revisions.get(version=article.version)
    assert second.data["seo_title"] == "杭州算力一页纸"
    save(editor_client, article, seo_title="", seo_description="")
    revert(editor_client, article, second)
    article.refresh_from_db()
    assert (article.seo_title, article.seo_description) == ("杭州算力一页纸", "写给招商的人。")

"""No lost edits: a save based on an outdated copy is refused, shows what changed meanwhile,
and keeps the writer's text so it can be merged."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, StaleEdit
from tests.helpers import CHANGELIST, article_form, run_action


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def opened_version(client, article):
    """The version the change form carries when this person opens it."""
    page = client.get(change_url(article)).text
    return int(re.search(r'name="seen_version" value="(\d+)"', page).group(1))


@pytest.fixture
def second_editor(role_user):
    client = Client()
    client.force_login(role_user("second", "Editor"))
    return client


@pytest.fixture
def article(editor_client, editor):
    editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(title="原标题", body="第一段。\n\n第二段。", tags="芯片"),
    )
    return Article.objects.get()


def test_second_save_is_refused_and_shows_what_changed_meanwhile(
    editor_client, second_editor, article
):
    mine = opened_version(editor_client, article)
    theirs = opened_version(second_editor, article)

    first = editor_client.post(
        change_url(article),
        article_form(
            title="第一位编辑的标题",
            body="第一段。\n\n第二段改过。",
            tags="芯片，半导体",
            seen_version=mine,
        ),
    )
    assert first.status_code == 302

    second = second_editor.post(
        change_url(article),
        article_form(
            title="第二位编辑的标题", body="我的新正文。", tags="芯片", seen_version=theirs
        ),
    )
    assert second.status_code == 200
    assert "保存失败：你打开这篇文章之后，别人已经保存过它" in second.text
    # What changed meanwhile: the first editor's title, body line and tag.
    assert "第一位编辑的标题" in second.text
    assert "第二段改过。" in second.text
    assert "+ 半导体" in second.text
    # The second editor's text is still in the form, ready to merge.
    assert 'value="第二位编辑的标题"' in second.text
    assert "我的新正文。</textarea>" in second.text

    article.refresh_from_db()
    assert article.title == "第一位编辑的标题"
    assert sorted(article.tags.names()) == ["半导体", "芯片"]


def test_saving_again_after_seeing_the_changes_goes_through(editor_client, second_editor, article):
    mine = opened_version(editor_client, article)
    theirs = opened_version(second_editor, article)
    editor_client.post(change_url(article), article_form(title="先保存", seen_version=mine))
    refused = second_editor.post(
        change_url(article), article_form(title="后保存", seen_version=theirs)
    )
    now = int(re.search(r'name="seen_version" value="(\d+)"', refused.text).group(1))
    assert now == theirs + 1

    merged = second_editor.post(change_url(article), article_form(title="合并后", seen_version=now))
    assert merged.status_code == 302
    article.refresh_from_db()
    assert article.title == "合并后"


def test_save_without_a_version_is_refused(editor_client, article):
    response = editor_client.post(change_url(article), article_form(title="没有版本号"))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "原标题"


def test_publish_action_in_between_makes_an_open_form_stale(editor_client, second_editor, article):
    mine = opened_version(editor_client, article)
    run_action(second_editor, "publish", article)
    response = editor_client.post(
        change_url(article), article_form(title="基于旧版本", seen_version=mine)
    )
    assert "保存失败" in response.text
    article.refresh_from_db()
    assert article.is_public and article.title == "原标题"


@pytest.mark.parametrize("action", ["unpublish", "link_mentions"])
def test_other_actions_in_between_make_an_open_form_stale(
    editor_client, second_editor, article, nanjing, action
):
    Article.objects.filter(pk=article.pk).update(status="published", body="南京的芯片。")
    article.refresh_from_db()
    article.save()  # published, and mentioning 南京: both actions have something to do
    mine = opened_version(editor_client, article)
    run_action(second_editor, action, article)
    response = editor_client.post(
        change_url(article),
        article_form(title="基于旧版本", status="published", seen_version=mine),
    )
    assert "保存失败" in response.text
    article.refresh_from_db()
    assert article.title == "原标题"


def test_action_on_a_stale_selection_keeps_newer_edits(editor_client, second_editor, article):
    assert "原标题" in editor_client.get(CHANGELIST).text  # the list the action is chosen from
    theirs = opened_version(second_editor, article)
    second_editor.post(
        change_url(article),
        article_form(title="更新的标题", body="更新的正文", seen_version=theirs),
    )
    run_action(editor_client, "publish", article)
    article.refresh_from_db()
    assert article.is_public
    assert article.title == "更新的标题" and article.body == "更新的正文"


def test_saving_a_stale_copy_in_code_raises_and_keeps_the_newer_save(article):
    first, second = Article.objects.get(), Article.objects.get()
    first.title = "先保存"
    first.save()
    second.title = "后保存"
    with pytest.raises(StaleEdit):
        second.save()
    article.refresh_from_db()
    assert article.title == "先保存"


@pytest.mark.django_db(transaction=True)
def test_a_save_in_flight_makes_the_publish_action_wait_not_fail(editor_client, make_article):
    """Someone's save is still in its transaction when an editor publishes the article: the
    action waits for it, then publishes the saved text (a 302, not a 500, and nothing lost)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time in, so a save cannot be in flight")
    article = make_article(title="在途", status=Article.Status.DRAFT)
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(
            "UPDATE articles_article SET title = '别人刚改的标题', version = version + 1 WHERE id = %s",
            [article.pk],
        )
    answers = []

    def publish():
        try:
            answers.append(run_action(editor_client, "publish", article).status_code)
        finally:
            connections.close_all()

    action = threading.Thread(target=publish)
    action.start()
    action.join(timeout=1)
    assert action.is_alive()  # waiting for the other save
    with other.cursor() as cursor:
        cursor.execute("COMMIT")
    other.close()
    action.join(timeout=30)
    assert answers == [302]
    article.refresh_from_db()
    assert (article.title, article.status) == ("别人刚改的标题", Article.Status.PUBLISHED)

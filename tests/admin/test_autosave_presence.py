"""Autosave and presence: what an editor types is kept as their own private copy and offered
back; each editor sees who else has the article open. Neither is a change to the article: no
new version, no revision, nothing a reader sees, no public cache dropped."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.editorial.presence import TIMEOUT
from articles.models import Article, Autosave, EditingPresence, Scope
from tests.helpers import article_form


def offered(page):
    """The copy the change form offers back (the JSON its restore button reads), or None."""
    found = re.search(r'<script id="autosaved-data" type="application/json">(.*?)</script>', page)
    return json.loads(found[1]) if found else None


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


@pytest.fixture
def article(make_article, editor):
    return make_article(title="南京的算力", body="南京的算力中心开工。", author=editor)


@pytest.fixture
def second_editor(role_user):
    client = Client()
    client.force_login(role_user("second", "编辑"))
    return client


def test_autosave_keeps_a_private_copy_and_changes_nothing_public(editor_client, article):
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    versions = list(Scope.objects.values_list("key", "number"))
    before = Article.objects.values("version", "title", "body", "updated_at").get(pk=article.pk)

    response = editor_client.post(
        autosave_url(article), {"title": "南京的算力", "body": "还没保存的新正文。"}
    )
    assert response.status_code == 200 and "saved_at" in response.json()

    assert (
        Article.objects.values("version", "title", "body", "updated_at").get(pk=article.pk)
        == before
    )
    assert not article.revisions.exists()
    # cached public pages stay valid: no version the database vouches for has moved
    assert list(Scope.objects.values_list("key", "number")) == versions
    assert "还没保存的新正文" not in Client().get(article.get_absolute_url()).text
    assert "还没保存的新正文" not in Client().get("/articles/").text


def test_autosaved_text_is_offered_back_and_gone_after_saving(editor_client, article):
    editor_client.post(autosave_url(article), {"title": "南京的算力", "body": "崩溃前写的正文。"})
    page = editor_client.get(change_url(article)).text
    assert "有一份您没保存的内容" in page
    assert offered(page) == {"title": "南京的算力", "body": "崩溃前写的正文。"}

    version = article.version
    saved = editor_client.post(
        change_url(article), article_form(body="崩溃前写的正文。", seen_version=version)
    )
    assert saved.status_code == 302
    assert not Autosave.objects.exists()
    assert "有一份您没保存的内容" not in editor_client.get(change_url(article)).text


def test_a_copy_equal_to_the_article_is_not_offered(editor_client, article):
    editor_client.post(
        autosave_url(article), {"title": "南京的算力", "body": "南京的算力中心开工。"}
    )
    assert "有一份您没保存的内容" not in editor_client.get(change_url(article)).text


def test_discarding_the_copy(editor_client, article):
    editor_client.post(autosave_url(article), {"body": "不要了"})
    assert editor_client.post(autosave_url(article), {"discard": "1"}).status_code == 200
    assert not Autosave.objects.exists()


def test_another_editor_never_sees_my_copy(editor_client, second_editor, article):
    editor_client.post(autosave_url(article), {"body": "只属于我的草稿"})
    assert "只属于我的草稿" not in second_editor.get(change_url(article)).text


def test_a_new_articles_form_is_autosaved_too(editor_client):
    url = reverse("admin:articles_article_autosave_new")
    assert editor_client.post(url, {"title": "新文章的标题"}).status_code == 200
    page = editor_client.get(reverse("admin:articles_article_add")).text
    assert "有一份您没保存的内容" in page and offered(page) == {"title": "新文章的标题"}
    editor_client.post(reverse("admin:articles_article_add"), article_form(title="新文章的标题"))
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"body": "字" * 100_001}, {"title": "标" * 201}, {}, {"unknown": "x"}],
)
def test_bad_autosaves_are_a_400_and_keep_nothing(editor_client, article, data):
    response = editor_client.post(autosave_url(article), data)
    assert response.status_code == 400 and response.json()["error"]
    assert not Autosave.objects.exists()


def test_autosave_and_presence_want_a_post_with_the_csrf_token(editor, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(autosave_url(article)).status_code == 405
    assert client.get(presence_url(article)).status_code == 405
    assert client.post(autosave_url(article), {"body": "伪造"}).status_code == 403
    assert client.post(presence_url(article)).status_code == 403
    assert not Autosave.objects.exists() and not EditingPresence.objects.exists()


def test_each_editor_sees_the_other(editor_client, second_editor, article):
    assert editor_client.post(presence_url(article)).json() == {"others": []}
    assert second_editor.post(presence_url(article)).json() == {"others": ["editor"]}
    assert editor_client.post(presence_url(article)).json() == {"others": ["second"]}
    page = editor_client.get(change_url(article)).text
    assert f'data-presence-url="{presence_url(article)}"' in page


def test_someone_who_leaves_is_gone_at_once(editor_client, second_editor, article):
    editor_client.post(presence_url(article))
    second_editor.post(presence_url(article))
    second_editor.post(presence_url(article), {"leave": "1"})
    assert editor_client.post(presence_url(article)).json() == {"others": []}


def test_someone_whose_heartbeat_stopped_is_gone_within_a_minute(
    editor_client, second_editor, article
):
    assert timedelta(minutes=1) >= TIMEOUT
    second_editor.post(presence_url(article))
    EditingPresence.objects.update(seen_at=timezone.now() - TIMEOUT - timedelta(seconds=1))
    assert editor_client.post(presence_url(article)).json() == {"others": []}


def test_presence_on_another_article_is_not_shown(
    editor_client, second_editor, article, make_article
):
    other = make_article(title="另一篇")
    second_editor.post(presence_url(other))
    assert editor_client.post(presence_url(article)).json() == {"others": []}


def test_heartbeat_queries_do_not_grow_with_the_people_present(
    editor_client, role_user, article, django_user_model
):
    def queries():
        from django.db import connection

        with CaptureQueriesContext(connection) as captured:
            editor_client.post(presence_url(article))
        return len(captured)

    queries()  # the first heartbeat makes the row; the next ones update it
    few = queries()
    for n in range(10):
        EditingPresence.objects.create(
            article=article, user=role_user(f"editor{n}", "编辑"), seen_at=timezone.now()
        )
    assert len(editor_client.post(presence_url(article)).json()["others"]) == 10
    assert queries() == few


def test_change_form_queries_do_not_grow_with_revisions_or_autosaves(
    editor_client, editor, article, role_user
):
    from articles.editorial import revisions

    def queries():
        from django.db import connection

        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(change_url(article)).status_code == 200
        return len(captured)

    revisions.record(article, editor)
    editor_client.post(autosave_url(article), {"body": "草稿"})
    few = queries()
    for n in range(10):
        revisions.record(article, editor)
        other = role_user(f"writer{n}", "编辑")
        Autosave.objects.create(
            user=other, article=article, data={"body": "x"}, saved_at=timezone.now()
        )
    assert queries() == few


def test_an_autosave_equal_to_the_saved_article_keeps_no_copy(editor_client, article):
    """One that arrives just after the save (sent while the form was being submitted)."""
    editor_client.post(autosave_url(article), {"body": "新正文"})
    assert Autosave.objects.exists()
    saved = editor_client.post(
        change_url(article),
        article_form(title="南京的算力", body="新正文", tags="", seen_version=article.version),
    )
    assert saved.status_code == 302
    editor_client.post(autosave_url(article), {"title": "南京的算力", "body": "新正文"})
    assert not Autosave.objects.exists()

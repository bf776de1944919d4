"""The review step through the admin: an author submits, editors are told, an editor sends it
back with a comment or publishes it, and the author is told; nothing waiting is ever public."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.helpers import ADD, CHANGELIST, article_form, run_action


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def url(name, article):
    return reverse(f"admin:articles_article_{name}", args=[article.pk])


def seen_version(client, article):
    page = client.get(change_url(article)).text
    return re.search(r'name="seen_version" value="(\d+)"', page).group(1)


@pytest.fixture
def people(author, editor, role_user):
    author.first_name, author.email = "小王", "wang@example.com"
    author.save()
    editor.first_name, editor.email = "老李", "li@example.com"
    editor.save()
    second = role_user("zhao", "编辑")
    second.email = "zhao@example.com"
    second.save()
    return author, editor, second


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def submitted(author_client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            ADD, article_form(title="苏州的产业园", _submit_review="保存并提交审核")
        )
    assert response.status_code == 302
    return Article.objects.get(title="苏州的产业园")


def test_save_and_submit_puts_the_article_in_review_and_tells_every_editor(
    submitted, mailoutbox, author_client
):
    assert submitted.status == Article.Status.REVIEW and submitted.submitted_at is not None
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["li@example.com", "zhao@example.com"]
    assert "苏州的产业园" in mail.subject and "待审核" in mail.subject
    assert "小王" in mail.body and change_url(submitted) in mail.body
    page = author_client.get(change_url(submitted), follow=True).text
    assert "等待编辑处理" in page and "撤回审核" in page
    assert "已提交审核，编辑会收到通知" in page


def test_a_submitted_article_is_never_public(submitted, client):
    assert client.get(submitted.get_absolute_url()).status_code == 404
    assert "苏州的产业园" not in client.get(reverse("articles:article-list")).text
    assert "苏州的产业园" not in client.get(reverse("articles:feed-rss")).text
    assert not Article.objects.published().filter(pk=submitted.pk).exists()


def test_the_author_cannot_change_a_submitted_article_but_can_withdraw_it(submitted, author_client):
    version = submitted.version
    response = author_client.post(
        change_url(submitted), article_form(title="偷偷改", seen_version=version)
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.title == "苏州的产业园"
    assert author_client.post(url("withdraw", submitted)).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.DRAFT
    author_client.post(
        change_url(submitted), article_form(title="改好了", seen_version=submitted.version)
    )
    submitted.refresh_from_db()
    assert submitted.title == "改好了"


def test_the_editor_sees_the_count_and_the_queue(submitted, editor_client, author_client):
    index = editor_client.get(reverse("admin:index")).text
    assert re.search(r'id="review-count">1<', index)
    queue = editor_client.get(CHANGELIST, {"status__exact": "review"}).text
    assert "苏州的产业园" in queue
    assert "review-count" not in author_client.get(reverse("admin:index")).text


def test_send_back_needs_a_comment(submitted, editor_client, mailoutbox):
    mailoutbox.clear()
    response = editor_client.post(url("send_back", submitted), {"comment": "  "})
    assert response.status_code == 200 and "errorlist" in response.text
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.REVIEW and not mailoutbox


def test_send_back_then_resubmit_then_publish(
    submitted, editor_client, author_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            url("send_back", submitted), {"comment": "第二段的数据请注明来源。"}
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.DRAFT
    (returned,) = mailoutbox
    assert returned.to == ["wang@example.com"]
    assert "退回" in returned.subject and "老李" in returned.body
    assert "第二段的数据请注明来源。" in returned.body

    page = author_client.get(change_url(submitted)).text
    assert "第二段的数据请注明来源。" in page and "老李" in page

    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(
            change_url(submitted),
            article_form(
                title="苏州的产业园",
                body="数据来自苏州统计局。",
                seen_version=seen_version(author_client, submitted),
                _submit_review="保存并提交审核",
            ),
        )
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.REVIEW and submitted.review_comment == ""
    assert len(mailoutbox) == 2

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url("publish", submitted))
    submitted.refresh_from_db()
    assert submitted.is_public
    published = mailoutbox[-1]
    assert published.to == ["wang@example.com"]
    assert "已发布" in published.subject and submitted.get_absolute_url() in published.body
    assert client.get(submitted.get_absolute_url()).status_code == 200

    history = editor_client.get(url("revisions", submitted)).text
    for note in ("提交审核", "退回修改", "第二段的数据请注明来源。", "发布"):
        assert note in history


def test_a_second_click_is_refused_with_a_message(submitted, editor_client):
    editor_client.post(url("publish", submitted))
    response = editor_client.post(
        url("send_back", submitted), {"comment": "晚了一步。"}, follow=True
    )
    assert response.status_code == 200
    assert "不在审核中，不能退回" in response.text
    submitted.refresh_from_db()
    assert submitted.is_public and submitted.review_comment == ""


def test_the_publish_action_tells_the_author(
    submitted, editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, "publish", submitted)
    assert [mail.to for mail in mailoutbox] == [["wang@example.com"]]


def test_a_mail_server_that_is_down_does_not_undo_the_submission(
    author_client, people, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(ADD, article_form(_submit_review="保存并提交审核"))
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.REVIEW
    assert "not sent" in caplog.text


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.DRAFT, "review_comment": "再改改"},
        {"status": Article.Status.PUBLISHED},
    ],
)
def test_an_author_deletes_only_a_draft_never_submitted_or_published(
    state, make_article, author, author_client
):
    if state["status"] != Article.Status.PUBLISHED:
        state = {**state, "submitted_at": timezone.now()}
    article = make_article(title="留下的文章", author=author, **state)
    author_client.post(url("delete", article), {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()
    fresh = make_article(title="新草稿", author=author, status=Article.Status.DRAFT)
    assert 'value="delete_selected"' not in author_client.get(CHANGELIST).text
    author_client.post(url("delete", fresh), {"post": "yes"})
    assert not Article.objects.filter(pk=fresh.pk).exists()


@pytest.mark.parametrize(
    ("status", "days", "subject"), [("published", 0, "已发布"), ("scheduled", 2, "已定时发布")]
)
def test_publishing_in_the_form_tells_the_author_too(
    submitted, editor_client, mailoutbox, django_capture_on_commit_callbacks, status, days, subject
):
    when = timezone.localtime(timezone.now() + timedelta(days=days))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(submitted),
            article_form(
                title="苏州的产业园",
                status=status,
                published_at_0=f"{when:%Y-%m-%d}",
                published_at_1=f"{when:%H:%M:%S}",
                seen_version=seen_version(editor_client, submitted),
            ),
        )
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["wang@example.com"] and subject in mail.subject
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            change_url(submitted),
            article_form(
                title="再改一次标题",
                status=status,
                published_at_0=f"{when:%Y-%m-%d}",
                published_at_1=f"{when:%H:%M:%S}",
                seen_version=seen_version(editor_client, submitted),
            ),
        )
    assert len(mailoutbox) == 1  # an edit of a public article is no news to its author

"""A scheduled article appears by itself when its time comes, everywhere at once, with no job
to run; until then, and after it is unpublished, it is nowhere."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from tests.helpers import article_form, run_action

TITLE = "定时发布：长三角一体化新进展"


@pytest.fixture
def scheduled(make_article, hangzhou):
    return make_article(
        title=TITLE,
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
        tags=["一体化"],
        cities=[hangzhou],
    )


def public_places(article):
    return [
        reverse("articles:home"),
        reverse("articles:article-list"),
        reverse("articles:tag-detail", args=["一体化"]),
        reverse("articles:city-detail", args=["hangzhou"]),
        article.get_absolute_url(),
    ]


def shown_in(client, article):
    return [url for url in public_places(article) if TITLE in client.get(url).text]


def later(monkeypatch, hours):
    now = timezone.now() + timedelta(hours=hours)
    monkeypatch.setattr(timezone, "now", lambda: now)


def tag_is_listed(client):
    return "一体化" in client.get(reverse("articles:tag-list")).text


def test_scheduled_article_is_nowhere_before_its_time(client, scheduled):
    assert shown_in(client, scheduled) == []
    assert not tag_is_listed(client)
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_scheduled_article_appears_everywhere_at_once_when_its_time_comes(
    client, scheduled, monkeypatch
):
    later(monkeypatch, 2)
    assert shown_in(client, scheduled) == public_places(scheduled)
    assert tag_is_listed(client)


def test_unpublished_scheduled_article_never_appears(client, scheduled, monkeypatch):
    scheduled.unpublish()
    scheduled.save()
    later(monkeypatch, 2)
    assert shown_in(client, scheduled) == []


def test_editor_schedules_an_article_in_the_admin(editor_client):
    when = timezone.localtime() + timedelta(days=1)
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            title=TITLE,
            status="scheduled",
            published_at_0=f"{when:%Y-%m-%d}",
            published_at_1=f"{when:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.SCHEDULED and article.is_scheduled
    changelist = editor_client.get(reverse("admin:articles_article_changelist")).text
    # The status, and the time once, in the date column's own format.
    assert '<td class="field-state">定时发布</td>' in changelist
    assert date_format(when, "DATETIME_FORMAT") in changelist
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_scheduling_without_a_time_is_refused_with_a_message(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form(status="scheduled")
    )
    assert response.status_code == 200
    assert "定时发布须填写发布时间。" in response.text
    assert not Article.objects.exists()


def test_publish_action_brings_a_scheduled_article_out_now(editor_client, scheduled):
    run_action(editor_client, "publish", scheduled)
    scheduled.refresh_from_db()
    assert scheduled.is_public
    assert Client().get(scheduled.get_absolute_url()).status_code == 200


def test_unpublish_action_takes_a_scheduled_article_off_the_schedule(editor_client, scheduled):
    run_action(editor_client, "unpublish", scheduled)
    scheduled.refresh_from_db()
    assert scheduled.status == Article.Status.DRAFT

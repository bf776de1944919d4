"""Markdown: rendered and sanitised on save, previewed live in the admin through the same
renderer, and fast on hostile input (Python-Markdown took over 60 s on 20,000 `[` here).

The time bounds are loose on purpose (a busy test machine is slow) but an order of
magnitude below a catastrophic parser.
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from articles.markdown import render_markdown
from articles.models import MAX_BODY_LENGTH, Article
from tests.helpers import article_form

PREVIEW = reverse("admin:articles_article_markdown_preview")

HOSTILE = {
    "20000-open-brackets": ("[" * 20_000, 3),
    "unclosed-links": ("[a](" * 10_000, 3),
    "deeply-nested-lists": ("".join("  " * i + "- 项\n" for i in range(300)), 3),
    "deeply-nested-quotes": (">" * MAX_BODY_LENGTH, 3),
    "huge-table": (
        ("|" + "列|" * 100 + "\n|" + "-|" * 100 + "\n" + ("|" + "值|" * 100 + "\n") * 1000)[
            :MAX_BODY_LENGTH
        ],
        10,
    ),
    "emphasis-runs": ("*a" * 20_000, 3),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_markdown_renders_quickly(name):
    body, seconds = HOSTILE[name]
    started = time.perf_counter()
    html = render_markdown(body)
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"{name} took {elapsed:.1f} s"
    assert "<script" not in html


@pytest.mark.parametrize("name", ["20000-open-brackets", "deeply-nested-lists"])
def test_hostile_markdown_is_saved_and_shown(editor_client, client, name):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(body=HOSTILE[name][0], status="published"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_body_over_the_cap_is_refused_with_a_message(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form(body="字" * (MAX_BODY_LENGTH + 1))
    )
    assert response.status_code == 200
    assert f"{MAX_BODY_LENGTH}" in response.text
    assert not Article.objects.exists()


def test_live_preview_renders_like_the_saved_page(editor_client):
    body = "# 标题\n\n| 城市 | GDP |\n|---|--:|\n| 杭州 | 21860 |\n\n~~旧~~ **新**"
    response = editor_client.post(PREVIEW, {"body": body})
    assert response.status_code == 200
    assert response.json()["html"] == render_markdown(body)
    assert "<h2>标题</h2>" in response.json()["html"]  # the page's <h1> is the title


def test_live_preview_is_sanitised(editor_client):
    body = '<script>alert(1)</script>\n\n[点我](javascript:alert(1)) <img src=x onerror="alert(1)">'
    html = editor_client.post(PREVIEW, {"body": body}).json()["html"]
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "<img" not in html and 'href="javascript' not in html


def test_live_preview_refuses_a_body_over_the_cap(editor_client):
    response = editor_client.post(PREVIEW, {"body": "字" * (MAX_BODY_LENGTH + 1)})
    assert response.status_code == 400
    assert "超过上限" in response.json()["error"]


def test_live_preview_is_for_staff_who_write(django_user_model):
    assert Client().post(PREVIEW, {"body": "x"}).status_code == 302  # to the login page
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    client = Client()
    client.force_login(reader)
    assert client.post(PREVIEW, {"body": "x"}).status_code == 403


def test_live_preview_needs_post(editor_client):
    assert editor_client.get(PREVIEW).status_code == 405


def test_article_form_has_the_live_preview(editor_client):
    page = editor_client.get(reverse("admin:articles_article_add")).text
    assert f'data-markdown-url="{PREVIEW}"' in page
    assert "articles/editor." in page  # the script, under its hashed static name

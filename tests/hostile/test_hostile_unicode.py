"""Unicode edge cases typed by an editor are stored exactly and shown exactly."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from tests.helpers import article_form

ASTRAL = "𠮷野家"  # U+20BB7, outside the Basic Multilingual Plane
RTL_OVERRIDE = "\u202e反转\u202c"
ZERO_WIDTH = "零\u200b宽"
COMBINING = "Cafe\u0301"  # e + combining acute accent
TITLE = f"{ASTRAL}与{RTL_OVERRIDE}、{ZERO_WIDTH}和{COMBINING}"


@pytest.fixture
def article(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            title=TITLE,
            summary=TITLE,
            body=f"## {ASTRAL}\n\n{COMBINING} {RTL_OVERRIDE}",
            tags=f"{ASTRAL}，人工\u200b智能，{COMBINING}",
            status="published",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get()


def test_title_is_stored_character_for_character(article):
    assert article.title == TITLE
    assert len(article.title) == len(TITLE)


def test_title_is_shown_character_for_character(client, article):
    response = client.get(article.get_absolute_url())
    assertContains(response, f"<h1>{TITLE}</h1>", html=False)
    assertContains(client.get("/"), TITLE)


def test_tag_names_lose_only_zero_width_characters(article):
    names = set(article.tags.names())
    assert ASTRAL in names and "人工智能" in names
    assert any(name in {COMBINING, "Café"} for name in names)


def test_astral_tag_has_a_working_page(client, article):
    response = client.get(reverse("articles:tag-detail", args=[ASTRAL]))
    assertContains(response, TITLE)
    assert client.get("/tags/" + quote(ASTRAL) + "/").status_code == 200


@pytest.mark.parametrize("query", [ASTRAL, "𠮷", COMBINING, "零宽"])
def test_search_finds_astral_and_combining_text(client, article, query):
    response = client.get(reverse("articles:article-list"), {"q": query})
    assertContains(response, article.get_absolute_url())


def test_slug_of_an_unusual_title_is_a_working_url(client, article):
    assert article.slug
    assert client.get(article.get_absolute_url()).status_code == 200

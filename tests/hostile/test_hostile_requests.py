"""Attacks on the request itself: forged Host, open redirects, missing CSRF tokens, odd
methods, broken bytes in admin parameters. Always a 4xx or a safe answer, never a 500."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from tests.helpers import otp_code, run_action

PUBLIC = ["/", "/articles/", "/tags/", "/cities/"]


@pytest.fixture
def crash_client(db):
    """A client that gets the 500 page like a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1:8000@evil.example", "localhost\r\nX-Evil: 1", "a" * 300]
)
def test_forged_host_header_is_400_not_500(crash_client, host):
    assert crash_client.get("/", HTTP_HOST=host).status_code == 400


def test_forged_host_header_on_login_is_400(crash_client):
    response = crash_client.get("/admin/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求有误" in response.text


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"],
)
def test_login_never_redirects_off_site(client, editor, next_url):
    response = client.post(
        reverse("admin:login") + "?next=" + next_url,
        {
            "username": "editor",
            "password": "pw-editor-1",
            "otp_token": otp_code("editor"),
            "next": next_url,
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"].startswith("/admin/")


def test_login_form_without_csrf_token_is_403(editor):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("admin:login"), {"username": "editor", "password": "pw-editor-1"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


def test_admin_write_without_csrf_token_is_403_and_changes_nothing(editor, make_article):
    article = make_article(title="不该被撤回", status=Article.Status.PUBLISHED)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    response = run_action(csrf_client, "unpublish", article)
    assert response.status_code == 403
    assert Article.objects.published().get() == article


@pytest.mark.parametrize("url", PUBLIC)
def test_post_to_a_public_page_without_token_is_403(db, url):
    assert Client(enforce_csrf_checks=True).post(url).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [*PUBLIC, "/articles/a-slug/", "/tags/x/", "/cities/x/"])
def test_public_pages_refuse_methods_other_than_get_and_head(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


@pytest.mark.parametrize("url", PUBLIC)
def test_head_is_answered(client, db, url):
    assert client.head(url).status_code == 200


ADMIN_PARAMS = [
    "q=%00",
    "q=%FF%FE",
    "q=" + "长" * 5000,
    "q=%27%20OR%201%3D1--",
    "p=abc",
    "p=-1",
    "p=" + "9" * 30,
    "o=abc",
    "o=99",
    "published_at__gte=not-a-date",
    "status__exact=%00",
    "tags__id__exact=abc",
    "cities__id__exact=%00",
    "all=%FF",
]


@pytest.mark.parametrize("query", ADMIN_PARAMS)
def test_admin_list_survives_hostile_parameters(editor, make_article, query):
    make_article(title="后台列表")
    browser = Client(raise_request_exception=False)
    browser.force_login(editor)
    response = browser.get(reverse("admin:articles_article_changelist") + "?" + query)
    assert response.status_code in {200, 302, 400, 404}, response.status_code


def test_nul_byte_the_database_refuses_is_a_400_page(editor):
    """PostgreSQL refuses NUL in text; SQLite takes it and finds nothing. Never a 500."""
    browser = Client(raise_request_exception=False)
    browser.force_login(editor)
    response = browser.get(reverse("admin:articles_article_changelist") + "?status__exact=%00")
    if connection.vendor == "postgresql":
        assertContains(response, "请求有误", status_code=400)
    else:
        assertContains(response, "0 文章")


@pytest.mark.parametrize("term", ["%00", "%FF%FE", "%27", "长" * 2000])
def test_admin_city_autocomplete_survives_hostile_terms(editor, hangzhou, term):
    browser = Client(raise_request_exception=False)
    browser.force_login(editor)
    url = (
        reverse("admin:autocomplete")
        + f"?app_label=articles&model_name=article&field_name=cities&term={term}"
    )
    response = browser.get(url)
    assert response.status_code in {200, 400, 403}, response.status_code


@pytest.mark.parametrize(
    "path", ["/%00/", "/articles/%00/", "/admin/%FF/", "/static/%00", "/static/../settings.py"]
)
def test_broken_bytes_in_paths_are_refused_or_sent_to_login(crash_client, path):
    # The admin sends every unknown address to its login page first.
    assert crash_client.get(path).status_code in {302, 400, 404}


# Search words that full-text engines (SQLite FTS5, PostgreSQL tsquery) treat as syntax; the
# substring search of this branch must take them literally, and so must a search that
# replaces it.
FULL_TEXT_SYNTAX = [
    '"', '"杭州', "*", "杭*", "NEAR(杭州 南京)", "杭州 OR 南京", "杭州 AND", "-杭州", "title:杭州",
    "杭州 & !南京 | 芯片", "(((", ")", "^", "杭州:*", "<->", "'&'", "\\", "{", "}", "[", "]",
]  # fmt: skip


@pytest.mark.parametrize("q", FULL_TEXT_SYNTAX)
def test_search_takes_full_text_syntax_literally(crash_client, make_article, q):
    make_article(title="杭州与南京的芯片")
    response = crash_client.get(reverse("articles:article-list"), {"q": q})
    assert response.status_code == 200
    assert "筛选条件有误" not in response.text


@pytest.mark.parametrize(
    "query",
    ["tag=" + "长" * 500, "city=" + "a" * 121, "from=" + "9" * 400, "year=" + "9" * 400],
)
def test_over_long_filter_values_are_refused_with_a_message(crash_client, make_article, query):
    make_article(title="杭州与南京的芯片")
    response = crash_client.get(reverse("articles:article-list") + "?" + query)
    assertContains(response, "筛选条件有误")

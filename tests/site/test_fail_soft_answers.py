"""What every failure answers: the API in JSON whatever its state, too-large bodies refused
unread with a Chinese 413, every log line and the 500 page carrying the request's id, and a
rotated SECRET_KEY that keeps sessions and shared preview links working."""

import io
import json
import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client
from pytest_django.asserts import assertContains

from articles.editorial.preview import preview_url
from articles.models import Article


@pytest.fixture
def database_down(db, monkeypatch):
    def refuse():
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    yield
    monkeypatch.undo()


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/tags/", "/api/v1/cities/x/"])
def test_the_api_answers_503_in_json(client, database_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "服务暂时不可用（数据库繁忙或无法连接），请稍后再试。"}
    assert response["Retry-After"] == "30"


def test_an_admin_save_the_database_refuses_says_it_was_not_saved(
    editor_client, make_article, monkeypatch
):
    article = make_article()
    url = f"/admin/articles/article/{article.pk}/change/"
    assert editor_client.get(url).status_code == 200

    def refuse():
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = editor_client.post(url, {"title": "改"})
    monkeypatch.undo()
    assertContains(response, "您刚才的修改没有保存", status_code=503)


@pytest.mark.django_db
def test_the_api_answers_500_in_json_with_the_request_id(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(Article.objects, "published", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/articles/x/")
    assert response.status_code == 500
    assert response.json()["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_the_500_page_shows_the_request_id(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(Article.objects, "published", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assertContains(response, response["X-Request-ID"], status_code=500)


@pytest.fixture
def log_lines():
    """What the configured console handler writes (its filter and formatter), as JSON lines."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(old)


@pytest.mark.django_db
def test_every_log_line_of_a_request_carries_its_id(client, log_lines, monkeypatch):
    client.raise_request_exception = False
    missing = client.get("/api/v1/nowhere/")

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(Article.objects, "published", broken)
    failed = client.get("/")
    lines = log_lines()
    by_id = {line["request_id"]: line for line in lines}
    assert by_id[failed["X-Request-ID"]]["level"] == "ERROR"
    assert "ValueError: a bug" in by_id[failed["X-Request-ID"]]["exception"]
    assert by_id[missing["X-Request-ID"]]["status"] == 404
    assert len(lines) == 2


@pytest.mark.django_db
def test_a_client_cannot_choose_its_request_id(client, settings):
    assert client.get("/", HTTP_X_REQUEST_ID="mine-mine-mine")["X-Request-ID"] != "mine-mine-mine"
    settings.TRUSTED_PROXY_COUNT = 1  # nginx sets it (deploy/nginx.conf)
    assert client.get("/", HTTP_X_REQUEST_ID="f" * 32)["X-Request-ID"] == "f" * 32


@pytest.mark.parametrize(
    ("url", "size"),
    [
        ("/admin/login/", 300 * 1024 * 1024),
        ("/admin/login/", 1024 * 1024),  # the sign-in form has the public limit
        ("/admin/articles/article/add/", 17 * 1024 * 1024),
        ("/articles/", 10 * 1024 * 1024),
    ],
)
@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_unread(url, size):
    """The body is never read: the request claims its size and the answer comes first."""

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    client = Client()
    response = client.generic(
        "POST",
        url,
        b"",
        CONTENT_LENGTH=str(size),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assertContains(response, "提交的内容太大", status_code=413)


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_in_json_by_the_api(client):
    response = client.generic("POST", "/api/v1/articles/", b"x" * (300 * 1024))
    assert response.status_code == 413
    assert response.json()["detail"].startswith("提交的内容太大")


def test_a_cover_image_still_fits_the_admin_limit(settings):
    """A cover a little over its limit still reaches the form, which names its size."""
    assert settings.ADMIN_REQUEST_MAX_BYTES > settings.COVER_MAX_BYTES + 1024 * 1024


def test_rotating_the_secret_key_keeps_sessions_and_preview_links(
    settings, editor, editor_client, make_article, rf
):
    draft = make_article(title="共享的草稿", status=Article.Status.DRAFT)
    link = preview_url(rf.get("/"), draft)
    idle = Client()
    idle.force_login(editor)  # a second session that is not used while both keys work
    assert editor_client.get("/admin/articles/article/").status_code == 200

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789"
    assertContains(Client().get(link), "共享的草稿")
    assert editor_client.get("/admin/articles/article/").status_code == 200  # and re-signed

    settings.SECRET_KEY_FALLBACKS = []  # the old key retired: what it alone signed ends
    assert Client().get(link).status_code == 404
    assert editor_client.get("/admin/articles/article/").status_code == 200
    assert idle.get("/admin/articles/article/").status_code == 302

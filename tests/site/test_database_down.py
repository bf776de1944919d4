"""An unreachable database: readers get a calm 503 page, static files still load, and the
site is back by itself as soon as the database is."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.templatetags.static import static
from pytest_django.asserts import assertContains

PUBLIC_URLS = ["/", "/articles/", "/articles/some-article/", "/tags/", "/cities/hangzhou/"]


@pytest.fixture
def fail_queries(db, monkeypatch):
    """fail_queries(error): every new query raises error; calling the result ends the outage."""

    def start(error):
        def refuse():
            raise error

        monkeypatch.setattr(connection, "ensure_connection", refuse)
        return monkeypatch.undo

    yield start
    monkeypatch.undo()  # before the test database is rolled back


@pytest.fixture
def database_down(fail_queries):
    """As psycopg fails when the server is gone; returns the function that brings it back."""
    return fail_queries(
        OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")
    )


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_503_with_a_static_chinese_page(client, database_down, url):
    response = client.get(url)
    assertContains(response, "网站暂时无法访问", status_code=503)
    assertContains(response, '<html lang="zh-CN">', status_code=503)
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


def test_interface_error_is_a_database_down_too(client, fail_queries):
    fail_queries(InterfaceError("connection already closed"))
    assert client.get("/articles/").status_code == 503


def test_admin_answers_503_too(editor_client, database_down):
    assert editor_client.get("/admin/articles/article/").status_code == 503


def test_static_files_are_still_served(client, database_down):
    response = client.get(static("articles/site.css"))
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)


def test_the_site_recovers_by_itself_when_the_database_returns(client, make_article, fail_queries):
    article = make_article(title="数据库恢复之后")
    end_outage = fail_queries(OperationalError("server closed the connection unexpectedly"))
    assert client.get(article.get_absolute_url()).status_code == 503
    end_outage()  # nothing is restarted or reset
    assertContains(client.get(article.get_absolute_url()), "数据库恢复之后")


def test_other_errors_are_not_disguised_as_database_down(client, db, monkeypatch):
    """A bug stays a 500 (and is logged as one), not a misleading "back soon"."""
    from articles import views

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views.Article.objects, "published", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


# The same through a real unreachable database, in a fresh process: a PostgreSQL port nobody
# listens on, and a SQLite file in a folder that does not exist.
PROBE = """
from django.test import Client
client = Client()
for url in ["/", "/articles/", "/healthz"]:
    response = client.get(url)
    print(url, response.status_code, response.get("Retry-After"), "网站暂时无法访问" in response.text)
print("healthz", client.get("/healthz").content.decode())
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("engine", ["postgresql", "sqlite"])
def test_a_really_unreachable_database_gives_503(engine, tmp_path, settings):
    url = {
        "postgresql": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
        "sqlite": f"sqlite:///{tmp_path}/missing-folder/db.sqlite3",
    }[engine]
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"} | {
        "DATABASE_URL": url,
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(settings.STATIC_ROOT),  # collected for this test session
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", PROBE],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = result.stdout.splitlines()
    assert lines[:2] == ["/ 503 30 True", "/articles/ 503 30 True"], result.stderr
    assert lines[2].startswith("/healthz 503")
    assert json.loads(lines[3].removeprefix("healthz ")) == {
        "status": "down",
        "db": "down",
        "cache": "up",
    }

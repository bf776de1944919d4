"""Configuration from the environment: safe defaults, clear refusals."""

import os
import subprocess
import sys

import pytest
from django.templatetags.static import static
from django.test import RequestFactory
from django.views.defaults import server_error


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables set."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import siteconf.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_debug_is_off_and_sqlite_is_used_by_default():
    result = load_settings(SECRET_KEY="k")
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_nonsense_boolean_is_refused_with_its_name():
    result = load_settings(DEBUG="maybe")
    assert "DEBUG must be one of" in result.stderr


def test_database_url_selects_postgresql():
    result = load_settings(SECRET_KEY="k", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_static_files_are_served_by_whitenoise_with_hashed_names(client):
    url = static("articles/site.css")
    assert url.startswith("/static/articles/site.") and url != "/static/articles/site.css"
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]


def test_server_error_page_is_chinese_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert '<html lang="zh-CN">' in response.content.decode()
    assert "服务暂时出错" in response.content.decode()

"""Production settings: check --deploy is clean, and every response carries the safety headers."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "quyu.example.cn",
    "CSRF_TRUSTED_ORIGINS": "https://quyu.example.cn",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "1",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_with_the_plain_http_defaults():
    """The defaults are for a fresh clone on plain HTTP, and --deploy says so."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={"SECRET_KEY": "short"})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012"):
        assert warning in result.stderr


PUBLIC_PAGES = ["articles:home", "articles:article-list", "articles:tag-list", "articles:city-list"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PUBLIC_PAGES, "admin:login"])
def test_pages_send_nosniff_referrer_policy_and_frame_denial(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PUBLIC_PAGES, "admin:login"])
def test_pages_send_a_content_security_policy_without_inline_script(client, name):
    policy = client.get(reverse(name))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_hsts_is_sent_only_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_tls = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_tls["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/")


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_when_asked(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/articles/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/articles/"
    assert client.get("/healthz").status_code == 200  # probes speak plain HTTP


def test_fresh_clone_serves_plain_http_without_redirect(client, db):
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(client, make_article, hangzhou):
    """What the policy would block: no <script> or <style> element, no style="" attribute.

    Data blocks (JSON-LD, json_script) are not run, and our own static scripts are allowed."""
    article = make_article(title="杭州观察", tags=["人工智能"], cities=[hangzhou])
    for url in [
        "/",
        "/articles/",
        article.get_absolute_url(),
        "/tags/",
        hangzhou.get_absolute_url(),
        "/no-such-page/",
    ]:
        html = client.get(url).content.decode()
        code = re.sub(
            r'<script[^>]*(type="application/(ld\+)?json"|src="/static/)[^>]*>.*?</script>',
            "",
            html,
            flags=re.S,
        )
        assert "<script" not in code and "<style" not in code and " style=" not in code, url

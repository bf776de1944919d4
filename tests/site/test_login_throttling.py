"""Login throttling through the admin login form (django-axes).

Failures are counted per username *and* address: the attacker's address is locked out, the
editor at their own address still logs in.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import otp_code

ATTACKER = "203.0.113.66"
EDITOR_DESK = "198.51.100.7"


def attempt(client, password, address, username="editor"):
    """A sign-in with the editor's current second-factor code: only the password varies."""
    return client.post(
        reverse("admin:login"),
        {
            "username": username,
            "password": password,
            "otp_token": otp_code(username),
            "next": "/admin/",
        },
        REMOTE_ADDR=address,
    )


def fail_until_locked(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-guess", ATTACKER)


@pytest.mark.django_db
def test_a_few_wrong_passwords_only_show_the_form_again(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong-guess", ATTACKER)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert attempt(client, "pw-editor-1", ATTACKER).status_code == 302


@pytest.mark.django_db
def test_too_many_failures_lock_out_even_the_right_password(client, editor):
    fail_until_locked(client)
    response = attempt(client, "pw-editor-1", ATTACKER)
    assert response.status_code == 429
    assert "登录尝试过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_attacker_elsewhere_cannot_lock_the_editor_out(client, editor):
    fail_until_locked(client)
    response = attempt(client, "pw-editor-1", EDITOR_DESK)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == editor.pk


@pytest.mark.django_db
def test_forged_forwarded_for_header_does_not_dodge_the_lock(client, editor):
    """With no trusted proxy, X-Forwarded-For is the client's own words and is ignored."""
    fail_until_locked(client)
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "pw-editor-1"},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR=EDITOR_DESK,
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    editor_via_proxy = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "pw-editor-1", "otp_token": otp_code("editor")},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=EDITOR_DESK,
    )
    assert editor_via_proxy.status_code == 302

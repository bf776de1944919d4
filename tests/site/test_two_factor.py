"""Two-factor sign-in to the admin (django-otp): whoever may publish needs a second factor, an
authenticator app's code or a recovery code, each good once."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import otp_code

ADMIN = "/admin/"
LOGIN = "/admin/login/"


def sign_in(client, username, password, code=""):
    return client.post(
        LOGIN, {"username": username, "password": password, "otp_token": code, "next": ADMIN}
    )


@pytest.fixture
def bare_editor(db, django_user_model):
    """An Editor with a password and no second factor yet."""
    call_command("setup_roles", stdout=StringIO())
    user = django_user_model.objects.create_user("lin", password="pw-lin-77", is_staff=True)
    user.groups.add(Group.objects.get(name="编辑"))
    return user


def test_an_editor_without_a_second_factor_cannot_reach_the_admin(client, bare_editor):
    response = sign_in(client, "lin", "pw-lin-77")
    assert response.status_code == 200
    assert "编辑必须用两步验证登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN).status_code == 302


def test_a_session_without_the_second_step_is_sent_back_to_sign_in(bare_editor):
    """Even signed in by password alone (a session from before 2FA), the admin stays shut."""
    client = Client()
    assert client.login(request=HttpRequest(), username="lin", password="pw-lin-77")
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_with_a_second_factor_the_editor_can(client, bare_editor):
    out = StringIO()
    call_command("two_factor", "lin", stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert sign_in(client, "lin", "pw-lin-77").status_code == 200  # the code is required now
    response = sign_in(client, "lin", "pw-lin-77", otp_code("lin"))
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get("/admin/articles/article/").status_code == 200


def test_a_wrong_code_is_refused(client, editor):
    right = otp_code("editor")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = sign_in(client, "editor", "pw-editor-1", wrong)
    assert "请输入身份验证器上当前的验证码" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_code_is_good_once(editor):
    code = otp_code("editor")
    assert sign_in(Client(), "editor", "pw-editor-1", code).status_code == 302
    assert sign_in(Client(), "editor", "pw-editor-1", code).status_code == 200


def test_recovery_codes_each_work_once(bare_editor):
    out = StringIO()
    call_command("two_factor", "lin", stdout=out)
    codes = re.search(r"Recovery codes \(each works once\): (.+)", out.getvalue()).group(1).split()
    assert len(codes) == 8
    first = Client()
    assert sign_in(first, "lin", "pw-lin-77", codes[0]).status_code == 302
    assert first.get(ADMIN).status_code == 200
    assert sign_in(Client(), "lin", "pw-lin-77", codes[1]).status_code == 302
    assert sign_in(Client(), "lin", "pw-lin-77", codes[0]).status_code == 200


def test_a_lost_phone_is_replaced(bare_editor):
    call_command("two_factor", "lin", stdout=StringIO())
    old_key = TOTPDevice.objects.get(user=bare_editor).key
    old_code = otp_code("lin")
    call_command("two_factor", "lin", "--reset", stdout=StringIO())
    assert TOTPDevice.objects.get(user=bare_editor).key != old_key
    assert StaticDevice.objects.filter(user=bare_editor).count() == 1
    assert sign_in(Client(), "lin", "pw-lin-77", old_code).status_code == 200
    assert sign_in(Client(), "lin", "pw-lin-77", otp_code("lin")).status_code == 302


def test_an_author_without_a_second_factor_signs_in_with_a_password(db, django_user_model):
    """Authors cannot publish: for them the second factor is offered, not required."""
    call_command("setup_roles", stdout=StringIO())
    user = django_user_model.objects.create_user("zhou", password="pw-zhou-88", is_staff=True)
    user.groups.add(Group.objects.get(name="作者"))
    client = Client()
    assert sign_in(client, "zhou", "pw-zhou-88").status_code == 302
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_the_demo_admin_prints_what_signs_in(client, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "chosen-by-me-42")
    out = StringIO()
    call_command("demo_admin", stdout=out)
    codes = re.search(r"Recovery codes \(each works once\): (.+)", out.getvalue()).group(1).split()
    assert sign_in(client, "admin", "chosen-by-me-42").status_code == 200
    assert sign_in(client, "admin", "chosen-by-me-42", codes[0]).status_code == 302
    assert client.get(ADMIN).status_code == 200

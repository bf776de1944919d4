"""Shared fixtures: factories for articles and cities, and the people who use the site."""

import itertools
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from siteconf.admin import give_second_factor, needs_second_factor

from articles.management.commands.setup_roles import AUTHOR, EDITOR
from articles.models import Article, City, CityFigures

_counter = itertools.count(1)
FORMER_ROLE_NAMES = {"Author": AUTHOR, "Editor": EDITOR}


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages are tested with the production static storage (hashed, compressed names)."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Tasks run where they are enqueued (after the commit that enqueues them), so a test sees
    their effect; tests of the worker itself switch to the database backend (worker_backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def worker_backend(settings):
    """Tasks wait in the database for the worker (tests.helpers.run_worker), as in production;
    a failed one may be tried again at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_SECONDS = 0


@pytest.fixture
def make_article(db):
    """make_article(title=…, tags=[…], cities=[…], **fields): published, a day apart, unless told."""

    def make(*, tags=(), cities=(), **fields):
        n = next(_counter)
        fields.setdefault("title", f"测试文章 {n}")
        fields.setdefault("summary", f"摘要 {n}")
        fields.setdefault("body", f"正文 {n}")
        fields.setdefault("status", Article.Status.PUBLISHED)
        if fields["status"] == Article.Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - timedelta(days=1, minutes=n))
        article = Article.objects.create(**fields)
        if tags:
            article.tags.set(list(tags))
        if cities:
            article.cities.set(list(cities))
        return article

    return make


@pytest.fixture
def make_city(db):
    def make(name, slug, *, figures=(), tags=(), **fields):
        city = City.objects.create(name=name, slug=slug, **fields)
        for year, gdp, population in figures:
            CityFigures.objects.create(
                city=city,
                year=year,
                gdp=None if gdp is None else Decimal(gdp),
                population=None if population is None else Decimal(population),
                gdp_source="https://example.com/bulletin" if gdp is not None else "",
            )
        if tags:
            city.tags.set(list(tags))
        return city

    return make


@pytest.fixture
def hangzhou(make_city):
    return make_city(
        "杭州",
        "hangzhou",
        name_en="Hangzhou",
        province="浙江省",
        region="长三角",
        figures=[(2023, "20059", "1252.2"), (2024, "21860", "1262")],
        tags=["数字经济"],
    )


@pytest.fixture
def nanjing(make_city):
    return make_city(
        "南京",
        "nanjing",
        name_en="Nanjing",
        province="江苏省",
        region="长三角",
        figures=[(2024, "18500.81", "957.70")],
    )


@pytest.fixture
def editor(role_user):
    """A member of the real Editor group: edits and publishes everything, manages tags and cities."""
    return role_user("editor", "编辑", password="pw-editor-1")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def role_user(db, django_user_model):
    """role_user("wang", "作者"): a staff member in one of the groups setup_roles makes, with
    a second factor (tests.helpers.otp_code gives its current code) as the admin asks of Editors.

    Without a password the user can only be logged in with force_login. The roles' former
    English names ("Author", "Editor") are still understood, for tests written before the rename."""
    call_command("setup_roles", stdout=StringIO())

    def make(username, role, password=None):
        user = django_user_model.objects.create_user(username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=FORMER_ROLE_NAMES.get(role, role)))
        give_second_factor(user)
        return user

    return make


@pytest.fixture
def author(role_user):
    return role_user("author", "作者")


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty page cache: its database is new, so must its pages be."""
    cache.clear()


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """Client.force_login skips the password; it skips the second factor the same way, as if
    the person had entered their code, giving one first to a person who must have one (a
    superuser made in a test). The sign-in form itself: tests/site/test_two_factor.py."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and needs_second_factor(user):
            give_second_factor(user)
            device = TOTPDevice.objects.get(user=user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)

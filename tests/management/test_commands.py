from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from articles.models import Article, City, CityFigures


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "articles": sorted(Article.objects.values_list("slug", "title", "status", "published_at")),
        "cities": sorted(City.objects.values_list("slug", "name", "summary")),
        "figures": sorted(
            CityFigures.objects.values_list("city__slug", "year", "gdp", "population")
        ),
        "tags": sorted((a.slug, tuple(sorted(a.tags.names()))) for a in Article.objects.all()),
    }


@pytest.mark.django_db
def test_loaddemo_builds_a_site_a_reader_can_browse(client):
    assert "Demo content loaded" in run("loaddemo")
    assert City.objects.count() == 13
    assert Article.objects.published().count() >= 6
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    home = client.get(reverse("articles:home"))
    assert home.status_code == 200
    for article in Article.objects.published():
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_loaddemo_is_idempotent():
    run("loaddemo")
    first = snapshot()
    run("loaddemo")
    assert snapshot() == first


@pytest.mark.django_db
def test_loaddemo_keeps_missing_figures_empty_and_sourced():
    run("loaddemo")
    ningbo = CityFigures.objects.get(city__name="宁波", year=2024)
    assert ningbo.gdp is None and ningbo.gdp_source == ""
    assert str(ningbo.population) == "978.00"
    nanjing = CityFigures.objects.get(city__name="南京", year=2024)
    assert str(nanjing.gdp) == "18500.81" and nanjing.gdp_rank == 10
    assert nanjing.gdp_source.startswith("https://")
    hangzhou = CityFigures.objects.get(city__name="杭州", year=2024)
    assert hangzhou.gdp - nanjing.gdp == Decimal("3359.19")


@pytest.mark.django_db
def test_loaddemo_dry_run_saves_nothing():
    assert "nothing was saved" in run("loaddemo", "--dry-run")
    assert not Article.objects.exists() and not City.objects.exists()


@pytest.mark.django_db
def test_demo_admin_prints_a_password_that_logs_in(client, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    out = run("demo_admin")
    password = out.split("password: ")[1].split()[0]
    assert client.login(request=HttpRequest(), username="admin", password=password)
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_admin_keeps_an_existing_password(client, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "chosen-by-me-42")
    run("demo_admin")
    monkeypatch.delenv("ADMIN_PASSWORD")
    assert "unchanged" in run("demo_admin")
    assert client.login(request=HttpRequest(), username="admin", password="chosen-by-me-42")

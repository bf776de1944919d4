"""/healthz tells a probe, in JSON, whether the database and the cache are up."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_healthz_is_200_when_all_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": "up", "cache": "up"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_database_when_it_is_down(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/healthz")
    monkeypatch.undo()  # before the test database is rolled back
    assert response.status_code == 503
    assert response.json() == {"status": "down", "db": "down", "cache": "up"}


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_cache_when_it_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis: connection refused")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "db": "up", "cache": "down"}


@pytest.mark.django_db
def test_healthz_accepts_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405

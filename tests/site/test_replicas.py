"""Read replicas against a real PostgreSQL streaming replica the test makes (initdb a primary,
pg_basebackup -R a replica), behind gunicorn: anonymous readers read the replica (and so see
its lag), a session or a recent write reads the primary, and a replica that goes away costs
no reader anything."""

import pytest
from django.conf import settings

from tests.services import (
    Gunicorn,
    PostgresPair,
    http_get,
    site_env,
    site_shell,
    wait_until_serving,
)

PUBLISH = """
from django.utils import timezone
from articles.models import Article
Article.objects.create(title={title!r}, slug={slug!r}, summary="摘要", body="正文",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - timezone.timedelta(minutes=1))
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, collected_static):
    folder = tmp_path_factory.mktemp("replicas")
    pair = PostgresPair().start()
    try:
        with pair.connect(pair.primary_port) as primary:
            primary.execute("CREATE DATABASE site")
        primary_env = site_env(
            STATIC_ROOT=str(settings.STATIC_ROOT),
            DATABASE_URL=pair.url(pair.primary_port),
            PAGE_CACHE="0",  # what is read, not what a cache kept, is under test
        )
        site_shell(
            primary_env,
            "from django.core.management import call_command; call_command('migrate', verbosity=0)",
        )
        env = primary_env | {
            "DATABASE_REPLICA_URL": pair.url(pair.replica_port),
            "GUNICORN_WORKERS": "1",
            "REPLICA_RETRY_SECONDS": "1",
        }
        gunicorn = Gunicorn(env, folder / "gunicorn.log").start()
        pair.catch_up()
        wait_until_serving(gunicorn.port)
        yield {"pair": pair, "gunicorn": gunicorn, "env": primary_env}
        gunicorn.stop()
    finally:
        pair.stop()


def status(cluster, slug, **headers):
    return http_get(cluster["gunicorn"].port, f"/articles/{slug}/", headers=headers)[0]


def publish(cluster, slug):
    site_shell(cluster["env"], PUBLISH.format(title=f"副本测试 {slug}", slug=slug))


def test_anonymous_readers_read_the_replica_and_see_its_lag(cluster):
    pair = cluster["pair"]
    publish(cluster, "before-pause")
    pair.catch_up()
    assert status(cluster, "before-pause") == 200

    with pair.connect(pair.replica_port) as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            publish(cluster, "during-pause")
            # The replica has not replayed it: an anonymous reader does not see it yet...
            assert status(cluster, "during-pause") == 404
            # ...while a signed-in session and a recent writer read the primary.
            assert status(cluster, "during-pause", Cookie="sessionid=any") == 200
            assert status(cluster, "during-pause", Cookie="primary=1") == 200
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    pair.catch_up()
    assert status(cluster, "during-pause") == 200


def test_a_write_pins_the_writer_to_the_primary_for_a_few_seconds(cluster):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", cluster["gunicorn"].port, timeout=10)
    connection.request("POST", "/admin/login/", body="", headers={"Content-Length": "0"})
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie") or ""
    connection.close()
    assert "primary=1" in cookie
    assert f"Max-Age={settings.REPLICA_PIN_SECONDS}" in cookie


def test_a_replica_that_goes_away_sends_readers_to_the_primary(cluster):
    pair = cluster["pair"]
    assert status(cluster, "before-pause") == 200  # a kept connection to the replica, if any
    pair.stop_replica()
    publish(cluster, "after-replica-died")
    for _ in range(5):
        assert status(cluster, "before-pause") == 200
        assert status(cluster, "after-replica-died") == 200

"""Two app servers behind one balancer, as deploy/ shows: Varnish in front of nginx in front of
two gunicorn instances sharing PostgreSQL, Redis and object storage. An editor's edit (with a
cover) through one instance is what every reader gets through the balancer and through the
other instance; one instance stopped, or crashed, while readers are reading costs none of them
an error."""

import itertools
import json
import re
import threading
import time
import uuid

import pytest
import requests
from django.conf import settings

from tests.helpers import article_form, picture
from tests.services import (
    CutShortServer,
    Gunicorn,
    Nginx,
    PostgresDatabase,
    Redis,
    S3Server,
    Varnish,
    Worker,
    site_env,
    site_shell,
    wait_until_serving,
)

EDITOR = """
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from siteconf.admin import give_second_factor
call_command("setup_roles", verbosity=0)
user = User.objects.create_user("lin", password="pw-lin-cluster-1", is_staff=True)
user.groups.add(Group.objects.get(name="编辑"))
open({path!r}, "w").write(give_second_factor(user)[1][0])
"""


@pytest.fixture(scope="module")
def topology(tmp_path_factory, collected_static):
    folder = tmp_path_factory.mktemp("two-servers")
    database = PostgresDatabase()
    redis = Redis(folder / "redis").start()
    s3 = S3Server(folder / "s3").start()
    bucket = "covers"
    s3.client().create_bucket(Bucket=bucket)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    s3.client().put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read))
    env = site_env(
        STATIC_ROOT=str(settings.STATIC_ROOT),
        DATABASE_URL=database.url,
        REDIS_URL=redis.url,
        GUNICORN_WORKERS="2",
        TRUSTED_PROXY_COUNT="1",
        **s3.env(bucket),
    )
    servers, worker = [], None
    try:
        site_shell(
            env,
            "from django.core.management import call_command; call_command('migrate', verbosity=0)",
        )
        site_shell(env, EDITOR.format(path=str(folder / "code")))
        servers = [Gunicorn(env, folder / f"gunicorn-{n}.log").start() for n in (1, 2)]
        worker = Worker(env, folder / "worker.log").start()
        nginx = Nginx(folder, [s.port for s in servers], settings.STATIC_ROOT, folder / "media")
        nginx.start()
        varnish = Varnish(folder / "varnish", nginx.port).start()
        for server in servers:
            wait_until_serving(server.port)
        yield {
            "servers": servers,
            "nginx": nginx,
            "varnish": varnish,
            "s3": s3,
            "bucket": bucket,
            "code": (folder / "code").read_text(),
        }
        varnish.stop()
        nginx.stop()
    finally:
        if worker:
            worker.stop()
        for server in servers:
            server.stop()
        s3.stop()
        redis.stop()
        database.drop()


def csrf(session, url):
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_an_edit_through_one_server_is_what_readers_get_everywhere(topology):
    one, other = (f"http://127.0.0.1:{s.port}" for s in topology["servers"])
    balancer = f"http://127.0.0.1:{topology['nginx'].port}"
    editor = requests.Session()
    login = f"{one}/admin/login/"
    signed_in = editor.post(
        login,
        {
            "csrfmiddlewaretoken": csrf(editor, login),
            "username": "lin",
            "password": "pw-lin-cluster-1",
            "otp_token": topology["code"],
            "next": "/admin/",
        },
        headers={"Referer": login},
        timeout=30,
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]

    add = f"{one}/admin/articles/article/add/"
    for read in (balancer, other):  # the list is cached (Redis) before the edit
        assert requests.get(f"{read}/articles/", timeout=10).status_code == 200
    title = f"两台机器 {uuid.uuid4().hex[:6]}"
    form = article_form(title=title, status="published", cover_alt="封面")
    form = {k: v for k, v in form.items() if v != []}
    saved = editor.post(
        add,
        {**form, "csrfmiddlewaretoken": csrf(editor, add)},
        files={"cover_image": ("封面.jpg", picture(), "image/jpeg")},
        headers={"Referer": add},
        timeout=60,
        allow_redirects=False,
    )
    assert saved.status_code == 302, saved.text[:2000]

    for read in (balancer, other, balancer, other):
        page = requests.get(f"{read}/articles/", timeout=10)
        assert page.status_code == 200 and title in page.text
    # The cover is in the shared bucket, served from there, once the worker has made it.
    s3, bucket = topology["s3"], topology["bucket"]
    deadline = time.monotonic() + 30
    while ".webp" not in page.text and time.monotonic() < deadline:
        time.sleep(0.3)
        page = requests.get(f"{balancer}/articles/", timeout=10)
    keys = [o["Key"] for o in s3.client().list_objects_v2(Bucket=bucket)["Contents"]]
    assert len(keys) == 5  # the cover, its three sizes and its share card
    src = re.search(rf'{re.escape(s3.url)}/{bucket}/[^" ]+\.webp', page.text)
    assert src, "the list shows the cover from the bucket"
    assert requests.get(src.group(0), timeout=10).status_code == 200


def read_under_load(port, interrupt, readers=8):
    """readers read uncached pages (a new query string each time) through port while
    interrupt() runs; returns (answers before, answers in all, errors)."""
    errors, answers = [], []
    stop = threading.Event()

    def read(number):
        with requests.Session() as reader:
            for count in itertools.count():
                if stop.is_set():
                    return
                url = f"http://127.0.0.1:{port}/articles/?reader={number}-{count}"
                try:
                    response = reader.get(url, timeout=10)
                    (answers if response.status_code == 200 else errors).append(
                        response.status_code
                    )
                except requests.RequestException as error:
                    errors.append(repr(error))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    before = len(answers)
    interrupt()
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join()
    return before, len(answers), errors


def test_readers_see_no_error_while_one_server_is_stopped(topology):
    """Stopped as a deploy or a scaler does (SIGTERM): it finishes what it has begun, nginx
    sends the rest to the other."""
    server = topology["servers"][0]
    before, after, errors = read_under_load(topology["nginx"].port, server.process.terminate)
    assert errors == []
    assert before > 0 and after > before  # readers were reading before and after
    server.process.wait()
    server.start()
    wait_until_serving(server.port)


def test_readers_behind_the_cdn_see_no_error_when_one_server_crashes(topology):
    """A crash (SIGKILL of master and workers) can cut a response whose headers nginx has sent,
    which nginx cannot take back; Varnish takes a page whole before sending any of it and
    fetches a cut one again, from the server that is up."""
    before, after, errors = read_under_load(
        topology["varnish"].port, topology["servers"][1].crash, readers=8
    )
    assert errors == []
    assert before > 0 and after > before


def test_a_page_cut_off_mid_way_is_fetched_again_by_the_cdn(topology, tmp_path):
    """Half of nginx's servers answer with headers and a broken body: readers behind Varnish
    get every page whole all the same, and nothing is sent to them twice."""
    cut = CutShortServer()
    server = topology["servers"][0]
    nginx = Nginx(tmp_path, [cut.port, server.port], settings.STATIC_ROOT, tmp_path / "media")
    nginx.start()
    varnish = Varnish(tmp_path / "varnish", nginx.port).start()
    try:
        pages = [requests.get(f"{varnish.url}/articles/?reader={n}", timeout=10) for n in range(6)]
    finally:
        varnish.stop()
        nginx.stop()
        cut.stop()
    assert cut.answered >= 3  # the balancer did send readers to the broken server
    for page in pages:
        assert page.status_code == 200
        assert page.text.rstrip().endswith("</html>") and page.text.count("<!doctype html>") == 1

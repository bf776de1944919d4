"""Production as the README runs it: deploy/nginx.conf in front of gunicorn with
deploy/gunicorn.conf.py (two sync workers), Redis as the cache, real sockets.

Slow and huge clients meet nginx and never hold a worker; a 300 MB body is refused before any
of it is stored; forged X-Forwarded-For values do not escape the rate limits behind the proxy.
"""

import http.client
import select
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.services import Gunicorn, Nginx, Redis, migrated_sqlite, site_env

ATTACK_SECONDS = 40  # the figure: long enough to outlast every nginx timeout
HUGE = 300 * 1024 * 1024


@pytest.fixture(scope="module")
def production(tmp_path_factory, collected_static):
    folder = tmp_path_factory.mktemp("production")
    redis = Redis(folder / "redis").start()
    uploads = folder / "uploads"
    uploads.mkdir()
    env = migrated_sqlite(
        folder,
        site_env(
            STATIC_ROOT=str(settings.STATIC_ROOT),
            MEDIA_ROOT=str(folder / "media"),
            REDIS_URL=redis.url,
            GUNICORN_WORKERS="2",
            TRUSTED_PROXY_COUNT="1",
            API_ANON_RATE="5/min",
            SEARCH_RATE="5/min",
            FILE_UPLOAD_TEMP_DIR=str(uploads),
        ),
    )
    gunicorn = Gunicorn(env, folder / "gunicorn.log").start()
    (folder / "media").mkdir()
    nginx = Nginx(folder, gunicorn.port, settings.STATIC_ROOT, folder / "media").start()
    warm_up(gunicorn.port)
    yield {"nginx": nginx, "gunicorn": gunicorn, "uploads": uploads, "folder": folder}
    nginx.stop()
    gunicorn.stop()
    redis.stop()


def warm_up(port):
    """Wait until both workers have loaded the site (a fresh worker imports it all)."""
    deadline = time.monotonic() + 120
    answered = 0
    while answered < 4:
        try:
            answered += get(port, "/articles/", timeout=30)[0] == 200
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def get(port, path, timeout=5, headers=None):
    """(status, body, seconds) of one GET on a new connection."""
    start = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode(), time.monotonic() - start
    finally:
        connection.close()


class SlowClient(threading.Thread):
    """Sends a request one byte a second until stopped, reconnecting whenever it is cut off:
    slow headers (the headers never end) or a slow body (a long form, trickled)."""

    def __init__(self, port, kind):
        super().__init__(daemon=True)
        self.port, self.kind = port, kind
        self.stopped = threading.Event()
        self.connections = 0

    def request_head(self):
        if self.kind == "headers":
            return b"GET /articles/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
        return (
            b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
            b"username=a&password="
        )

    def run(self):
        while not self.stopped.is_set():
            self.connections += 1
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    s.sendall(self.request_head())
                    while not self.stopped.wait(1):
                        s.sendall(b"a")
            except OSError:
                time.sleep(0.1)  # cut off (408, reset): come back, as an attacker would


def attack(port, seconds, reader_port, path="/articles/"):
    """Two slow-header and two slow-body clients on port for seconds; a reader asks reader_port
    for path every second meanwhile. Returns the reader's (status, seconds) answers."""
    clients = [SlowClient(port, kind) for kind in ("headers", "headers", "body", "body")]
    for client in clients:
        client.start()
    time.sleep(1)  # the slow clients are in
    answers = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            try:
                status, _, took = get(reader_port, path, timeout=3)
            except (TimeoutError, OSError):
                status, took = None, 3.0
            answers.append((status, round(took, 3)))
            time.sleep(max(0, 1 - took))
    finally:
        for client in clients:
            client.stopped.set()
        for client in clients:
            client.join(5)
    return answers, clients


def test_without_nginx_two_slow_clients_stop_gunicorn(production):
    """The attack is real: straight at gunicorn's two sync workers, readers wait."""
    port = production["gunicorn"].port
    assert get(port, "/articles/")[0] == 200
    answers, _ = attack(port, 3, reader_port=port)
    assert all(took >= 1 for _, took in answers), answers
    time.sleep(1)


def test_through_nginx_slow_clients_for_40_seconds_never_delay_a_reader(production):
    port = production["nginx"].port
    assert get(port, "/articles/")[0] == 200
    answers, clients = attack(port, ATTACK_SECONDS, reader_port=port)
    print(f"reader's answers during the attack (status, seconds): {answers}")
    assert len(answers) >= ATTACK_SECONDS * 0.8
    assert all(status == 200 and took < 1 for status, took in answers), answers
    header_clients = [c for c in clients if c.kind == "headers"]
    assert all(c.connections >= 3 for c in header_clients), "nginx cuts slow headers off"


def test_nginx_serves_static_files_itself(production):
    status, body, _ = get(production["nginx"].port, "/static/articles/site.css")
    assert status == 200
    assert "--accent" in body


def post_huge(port, path, folder):
    """Stream a HUGE multipart body to path; return (status line, bytes sent, the most bytes
    seen under folder meanwhile)."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=XyZ\r\n"
        f"Content-Length: {HUGE}\r\n\r\n"
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    chunk = b"\0" * (256 * 1024)
    sent, most_on_disk, answer = 0, 0, b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head)
        while sent < HUGE and not answer:
            if select.select([s], [], [], 0)[0]:
                answer = s.recv(65536)
                break
            try:
                s.sendall(chunk)
            except OSError:
                break
            sent += len(chunk)
            most_on_disk = max(most_on_disk, folder_bytes(folder))
        if not answer:
            s.settimeout(10)
            try:
                answer = s.recv(65536)
            except OSError:
                answer = b""
        try:
            while len(answer) < 4096 and (more := s.recv(65536)):
                answer += more
        except OSError:
            pass
    return answer.decode(errors="replace"), sent, max(most_on_disk, folder_bytes(folder))


def folder_bytes(folder):
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())


def test_a_300_mb_body_is_refused_by_nginx_in_chinese(production):
    answer, sent, on_disk = post_huge(
        production["nginx"].port, "/admin/login/", production["folder"] / "client_body"
    )
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "提交的内容太大" in answer
    assert sent < 10 * 1024 * 1024
    assert on_disk < 10 * 1024 * 1024


def test_a_300_mb_body_is_refused_by_django_before_10_mb_reach_the_disk(production):
    """Even sent past nginx, straight to gunicorn: refused by its Content-Length, unread."""
    answer, sent, on_disk = post_huge(
        production["gunicorn"].port, "/admin/login/", production["uploads"]
    )
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "提交的内容太大" in answer
    assert on_disk < 10 * 1024 * 1024
    assert sent < HUGE


def test_forged_forwarded_for_through_nginx_does_not_escape_the_limits(production):
    port = production["nginx"].port
    api = [
        get(port, "/api/v1/tags/", headers={"X-Forwarded-For": f"198.51.100.{n}"})[0]
        for n in range(8)
    ]
    assert api == [200] * 5 + [429] * 3
    search = [
        get(port, f"/articles/?q={quote(f'城市{n}')}", headers={"X-Forwarded-For": f"192.0.2.{n}"})[
            0
        ]
        for n in range(8)
    ]
    assert search == [200] * 5 + [429] * 3


def test_logs_carry_nginx_request_ids(production):
    connection = http.client.HTTPConnection("127.0.0.1", production["nginx"].port, timeout=5)
    connection.request("GET", "/api/v1/nowhere/")
    response = connection.getresponse()
    request_id = response.getheader("X-Request-ID")
    connection.close()
    assert response.status == 404
    assert len(request_id) == 32
    time.sleep(0.5)
    log = (production["folder"] / "gunicorn.log").read_text()
    assert f'"request_id": "{request_id}"' in log
    assert f"request_id={request_id}" in log  # gunicorn's access line

"""Real services for tests that break them: a redis-server, gunicorn, nginx, Varnish, an S3 server
(moto) and a PostgreSQL primary with a streaming replica of the test's own, each on a free port
chosen at run time, in the test's temporary folder, stopped at the end.

A missing binary skips the test, naming the Debian package (.ci/run installs them).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary(name, package):
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )
    if found is None:
        pytest.skip(f"{name} is not installed: apt-get install {package} (.ci/run does)")
    return found


def wait_for_port(port, process, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds}s")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)  # a paused process cannot act on SIGTERM
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Redis:
    """A redis-server of our own; its data lives in folder (dump.rdb), so it can be restarted
    from a snapshot."""

    def __init__(self, folder, **config):
        self.executable = binary("redis-server", "redis-server")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.config = {"save": "", "appendonly": "no", **config}
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        args = [self.executable, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--dir", str(self.folder), "--dbfilename", "dump.rdb"]
        for name, value in self.config.items():
            args += [f"--{name}", value]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process)
        return self

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=5)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        stop(self.process)


def migrated_sqlite(folder, env):
    """A SQLite database file, migrated, for servers started outside the test's process."""
    database = Path(folder) / "db.sqlite3"
    env = env | {"DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


def site_env(**extra):
    """The production environment (DEBUG off) for a server of the test's."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL", "DATABASE_URL"}}
    return env | {"SECRET_KEY": "tests-only", "ALLOWED_HOSTS": "127.0.0.1,localhost"} | extra


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py, as the README's production section runs it."""

    def __init__(self, env, log):
        self.port = free_port()
        self.env = env | {"GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.log = log
        self.process = None

    def start(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [gunicorn, "-c", "deploy/gunicorn.conf.py", "siteconf.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own process group, for crash()
            )
        wait_for_port(self.port, self.process, seconds=60)
        return self

    def stop(self):
        stop(self.process)

    def crash(self):
        """The machine dies: master and workers SIGKILLed at once, mid-response or not."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


class Worker:
    """The background worker (manage.py db_worker), as the README's production section runs it."""

    def __init__(self, env, log):
        self.env = env
        self.log = log
        self.process = None

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        return self

    def stop(self):
        """SIGTERM, as systemd stops it; its exit status."""
        stop(self.process)
        return self.process.returncode


class CutShortServer:
    """An app server that dies mid-answer, every time: it reads the request, sends a 200's
    headers and the first bytes of its body, and closes the connection. What a crash between
    gunicorn's two writes leaves a reader with, made certain instead of lucky."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.answered = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed by stop()
                return
            with connection:
                connection.recv(65536)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: 5000\r\n\r\n<!doctype html><html lang=zh-CN>"
                )
                self.answered += 1

    def stop(self):
        self.listener.close()


class Nginx:
    """nginx running deploy/nginx.conf, with the ports and folders of the test put in for the
    production ones (the substitutions the README names)."""

    def __init__(self, folder, upstream_ports, static_root, media_root):
        self.executable = binary("nginx", "nginx")
        self.folder = Path(folder)
        self.port = free_port()
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        if isinstance(upstream_ports, int):
            upstream_ports = [upstream_ports]
        upstream = "\n    ".join(
            f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in upstream_ports
        )
        for production, ours in [
            ("listen 80;", f"listen 127.0.0.1:{self.port};"),
            (
                "server 127.0.0.1:8000 max_fails=1 fail_timeout=5s;\n"
                "    server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;",
                upstream,
            ),
            ("/srv/regional/staticfiles/", f"{static_root}/"),
            ("/srv/regional/media/", f"{media_root}/"),
            ("/srv/regional/errors/", f"{ROOT / 'deploy' / 'errors'}/"),
        ]:
            assert production in site, production
            site = site.replace(production, ours)
        (self.folder / "site.conf").write_text(site)
        # As root, nginx's workers would become nobody, who cannot read the test's folders.
        user = "user root;" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(
            f"""
{user}
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {self.folder}/access.log;
    client_body_temp_path {self.folder}/client_body;
    proxy_temp_path {self.folder}/proxy;
    fastcgi_temp_path {self.folder}/fastcgi;
    uwsgi_temp_path {self.folder}/uwsgi;
    scgi_temp_path {self.folder}/scgi;
    include {self.folder}/site.conf;
}}
"""
        )
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.executable, "-c", str(self.folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "stderr.log", "wb"),  # noqa: SIM115 (lives with nginx)
        )
        wait_for_port(self.port, self.process)
        return self

    def stop(self):
        stop(self.process)


class Varnish:
    """varnishd running deploy/varnish.vcl in front of backend_port (the ports put in for the
    production ones)."""

    def __init__(self, folder, backend_port):
        self.executable = binary("varnishd", "varnish")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
        assert '.port = "8080";' in vcl
        (self.folder / "site.vcl").write_text(
            vcl.replace('.port = "8080";', f'.port = "{backend_port}";')
        )
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        args = [self.executable, "-F", "-j", "none", "-n", str(self.folder / "work")]
        args += ["-a", f"127.0.0.1:{self.port}", "-f", str(self.folder / "site.vcl")]
        args += ["-s", "malloc,64m", "-T", "none"]
        self.process = subprocess.Popen(
            args,
            stdout=open(self.folder / "stdout.log", "wb"),  # noqa: SIM115 (lives with varnishd)
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, seconds=30)
        return self

    def stop(self):
        stop(self.process)


class S3Server:
    """moto's S3 server (the moto[server] package), spoken to over HTTP like any S3 service."""

    def __init__(self, folder):
        self.executable = Path(sys.executable).with_name("moto_server")
        if not self.executable.exists():
            pytest.skip("moto_server is not installed: pip install moto[server] (requirements.txt)")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [self.executable, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=open(self.folder / "moto.log", "wb"),  # noqa: SIM115 (lives with moto)
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, seconds=30)
        return self

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def env(self, bucket):
        """The site's variables for a bucket here (settings.MEDIA_S3_*)."""
        return {
            "MEDIA_S3_BUCKET": bucket,
            "MEDIA_S3_ENDPOINT_URL": self.url,
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ACCESS_KEY_ID": "test",
            "MEDIA_S3_SECRET_ACCESS_KEY": "test",
        }

    def stop(self):
        stop(self.process)


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PostgresPair:
    """A PostgreSQL primary (wal_level=replica) and a streaming replica made from it with
    `pg_basebackup -R`, each on a spare port. initdb refuses root, so as root the servers run
    as the postgres user, in a folder of theirs under /tmp (the test's own is root's only)."""

    def __init__(self):
        for name in ("initdb", "pg_ctl", "pg_basebackup"):
            if not (PG_BIN / name).exists():
                pytest.skip(f"{PG_BIN / name} is missing: apt-get install postgresql-15")
        self.folder = Path(tempfile.mkdtemp(prefix="pgpair-"))
        self.primary_port = free_port()
        self.replica_port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *args):
        subprocess.run(
            [*self.as_user, *map(str, args)],
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def ctl(self, name, *args):
        folder = self.folder / name
        self.run(PG_BIN / "pg_ctl", "-D", folder, "-l", self.folder / f"{name}.log", "-w", *args)

    def start(self):
        primary = self.folder / "primary"
        self.run(
            PG_BIN / "initdb",
            "-D",
            primary,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\nwal_level = replica\n"
                "max_wal_senders = 4\nhot_standby = on\nfsync = off\n"
                "shared_buffers = 32MB\n"
            )
        self.ctl("primary", "start")
        self.run(
            PG_BIN / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            self.primary_port,
            "-U",
            "postgres",
            "-D",
            self.folder / "replica",
            "-R",
            "-X",
            "stream",
        )
        with open(self.folder / "replica" / "postgresql.conf", "a") as conf:
            conf.write(f"port = {self.replica_port}\n")
        self.ctl("replica", "start")
        return self

    def url(self, port, database="site"):
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def connect(self, port, database="postgres"):
        import psycopg

        return psycopg.connect(self.url(port, database), autocommit=True)

    def catch_up(self, seconds=20):
        """Wait until the replica has replayed all the primary has written."""
        with self.connect(self.primary_port) as primary:
            lsn = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
        deadline = time.monotonic() + seconds
        with self.connect(self.replica_port) as replica:
            while time.monotonic() < deadline:
                behind = replica.execute(
                    "SELECT coalesce(pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn()) > 0, true)",
                    [lsn],
                ).fetchone()[0]
                if not behind:
                    return
                time.sleep(0.05)
        raise RuntimeError("the replica did not catch up")

    def stop_replica(self):
        self.ctl("replica", "-m", "immediate", "stop")

    def stop(self):
        for name in ("replica", "primary"):
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                self.ctl(name, "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def site_shell(env, code):
    """Run code in the site's `manage.py shell`, as an editor's write from another process."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )


def http_get(port, path, headers=None, timeout=10):
    """(status, headers, body) of one GET on a new connection."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def wait_until_serving(port, path="/articles/", seconds=120):
    """Until a fresh server's workers have loaded the site (each imports it all)."""
    deadline = time.monotonic() + seconds
    answered = 0
    while answered < 4:
        try:
            answered += http_get(port, path, timeout=30)[0] == 200
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class PostgresDatabase:
    """A database of the test's own on the PostgreSQL at DATABASE_HOST_URL (by default the
    machine's, 127.0.0.1:5432, which .ci/run starts), dropped at the end."""

    def __init__(self, server="postgres://postgres@127.0.0.1:5432"):
        import psycopg

        self.server = server
        self.name = f"cluster_{os.getpid()}_{free_port()}"
        try:
            self.admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as error:
            pytest.skip(
                f"no PostgreSQL at {server} ({error}): .ci/run starts the postgresql package's server"
            )
        self.admin.execute(f'CREATE DATABASE "{self.name}"')

    @property
    def url(self):
        return f"{self.server}/{self.name}"

    def drop(self):
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.close()

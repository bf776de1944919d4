"""Real services for tests that break them: a redis-server, gunicorn and nginx of the test's
own, each on a free port chosen at run time, in the test's temporary folder, stopped at the end.

A missing binary skips the test, naming the Debian package (.ci/run installs them).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
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
            )
        wait_for_port(self.port, self.process, seconds=60)
        return self

    def stop(self):
        stop(self.process)


class Nginx:
    """nginx running deploy/nginx.conf, with the ports and folders of the test put in for the
    production ones (the substitutions the README names)."""

    def __init__(self, folder, upstream_port, static_root, media_root):
        self.executable = binary("nginx", "nginx")
        self.folder = Path(folder)
        self.port = free_port()
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        for production, ours in [
            ("listen 80;", f"listen 127.0.0.1:{self.port};"),
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
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

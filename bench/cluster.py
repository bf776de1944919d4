"""Cluster benchmark: the two-instance topology of deploy/ (Varnish in front of nginx in front
of two gunicorn instances sharing PostgreSQL and Redis), measured with wrk.

    nice .venv/bin/python bench/cluster.py [--duration 10] [--connections 32]

Starts everything on free 127.0.0.1 ports with tests/services.py (a database of its own on the
PostgreSQL at 127.0.0.1:5432, dropped at the end; the demo content of `make run`), then prints
requests/s, p50/p95 and errors for cached pages through Varnish, through nginx with Varnish
bypassed (the Redis page cache, two instances) and one instance alone; then the same through
Varnish and through nginx while instance 1 is restarted half-way (SIGTERM, started again), and
while it crashes half-way (SIGKILL of master and workers, started again).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import (  # noqa: E402 (after the path is set)
    Gunicorn,
    Nginx,
    PostgresDatabase,
    Redis,
    Varnish,
    http_get,
    site_env,
    site_shell,
    wait_until_serving,
)

PAGES = ["/", "/articles/", "/tags/"]


def say(*parts):
    print(*parts, file=sys.stderr, flush=True)


def wrk(url, connections, duration):
    report = str(ROOT / "bench" / "report.lua")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", report, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stats = json.loads(out.split("WRK ", 1)[1])
    return {
        "rps": stats["requests"] / (stats["duration_us"] / 1e6),
        "p50": stats["p50_us"] / 1000,
        "p95": stats["p95_us"] / 1000,
        "errors": stats["socket_errors"] + stats["bad_status"],
    }


def restart_half_way(server, duration, crash=False):
    def restart():
        time.sleep(duration / 3)
        say(f"  {'crashing' if crash else 'restarting'} instance on port {server.port}")
        server.crash() if crash else server.stop()
        server.start()

    thread = threading.Thread(target=restart)
    thread.start()
    return thread


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    static = folder / "static"
    database = PostgresDatabase()
    redis = Redis(folder / "redis").start()
    env = site_env(
        STATIC_ROOT=str(static),
        DATABASE_URL=database.url,
        REDIS_URL=redis.url,
        GUNICORN_WORKERS="2",
        TRUSTED_PROXY_COUNT="2",
        CDN_CACHE_SECONDS="3600",
        CDN_PURGE_BACKEND="articles.cdn.VarnishPurge",
        LOG_LEVEL="ERROR",
    )
    servers, nginx, varnish = [], None, None
    try:
        say("migrating and loading the demo content")
        site_shell(
            env,
            "from django.core.management import call_command as c; "
            "c('migrate', verbosity=0); c('loaddemo'); c('collectstatic', '--noinput', verbosity=0)",
        )
        servers = [Gunicorn(env, folder / f"gunicorn-{n}.log") for n in (1, 2)]
        nginx = Nginx(folder, [s.port for s in servers], static, folder / "media")
        varnish = Varnish(folder / "varnish", nginx.port)
        for server in servers:
            server.env["CDN_PURGE_URLS"] = varnish.url
            server.start()
        nginx.start()
        varnish.start()
        for server in servers:
            wait_until_serving(server.port)
        for page in PAGES:  # warm Redis and Varnish
            for port in (varnish.port, nginx.port):
                assert http_get(port, page)[0] == 200, page

        rows = []
        targets = [
            ("through Varnish", varnish.port),
            ("through nginx, Varnish bypassed", nginx.port),
            ("one instance alone", servers[0].port),
        ]
        for label, port in targets:
            for page in PAGES:
                say(f"{label}: {page}")
                rows.append(
                    (
                        label,
                        page,
                        wrk(f"http://127.0.0.1:{port}{page}", args.connections, args.duration),
                    )
                )
        for crash in (False, True):
            event = "crashed (SIGKILL) and started again" if crash else "restarted"
            for label, port in targets[:2]:
                say(f"{label}, instance 1 {event}")
                thread = restart_half_way(servers[0], args.duration, crash)
                result = wrk(f"http://127.0.0.1:{port}/articles/", args.connections, args.duration)
                thread.join()
                rows.append((f"{label}, instance 1 {event}", "/articles/", result))

        load = os.getloadavg()
        print(
            f"\n{args.connections} connections, {args.duration} s each; load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} after the run, {os.cpu_count()} CPUs\n"
        )
        print("| path | page | requests/s | p50 ms | p95 ms | errors |")
        print("|---|---|--:|--:|--:|--:|")
        for label, page, r in rows:
            print(
                f"| {label} | {page} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['errors']} |"
            )
    finally:
        for service in (varnish, nginx, *servers):
            if service is not None and service.process is not None:
                service.stop()
        redis.stop()
        database.drop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

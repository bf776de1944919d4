"""Benchmark: requests/s of the article list, a tag page and an article page, cached and
uncached, on SQLite and PostgreSQL, beside a bare Django view and a static file serving the
same HTML, all in one run.

    .venv/bin/python bench/pages.py                  # both databases, 10 s per measurement
    .venv/bin/python bench/pages.py --db sqlite --duration 15 --connections 8

Needs `wrk` and `nginx` (Debian: apt-get install -y wrk nginx-light; the script installs them
when missing and it runs as root), PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
It builds the data set once (100,000 articles, 2,000 tags, 300 cities; kept in bench/out/ and
in the database regional_i6_bench, and reused while the counts match), runs gunicorn with
production settings (DEBUG off, collected static files, 2 sync workers, persistent database
connections) on a free port, drives it with wrk, stops everything it started and prints a table.
Uncached means PAGE_CACHE=0 (every request rendered); cached means the page cache on Redis.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "regional_i6_bench"
REDIS_URL = "redis://127.0.0.1:6379/6"
SECRET = "bench-only-not-secret"


# ---------------------------------------------------------------- the data set (in Django)


def build(articles, tags, cities):
    """Fill an empty, migrated database with bulk inserts (save() is bypassed, so the derived
    columns are computed here, once per distinct body)."""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, City, CityFigures
    from articles.text import fold, render_markdown, strip_markup

    if Article.objects.count() == articles and Tag.objects.count() == tags:
        print(f"  data set kept: {articles} articles, {tags} tags, {City.objects.count()} cities")
        return
    assert not Article.objects.exists(), "build() expects an empty database"
    rng = random.Random(6)
    demo = tomllib.loads((ROOT / "articles/demo/articles.toml").read_text())["article"]
    bodies = [
        (d["body"], render_markdown(d["body"]), fold(strip_markup(render_markdown(d["body"]))))
        for d in demo
    ]
    started = time.monotonic()
    with transaction.atomic():
        city_rows = City.objects.bulk_create(
            City(
                name=f"城市{n}",
                slug=f"city{n}",
                province=f"省份{n % 31}",
                region=["长三角", "京津冀", "粤港澳大湾区", "成渝", "长江中游"][n % 5],
                summary=f"第 {n} 座城市的简介。",
            )
            for n in range(cities)
        )
        CityFigures.objects.bulk_create(
            CityFigures(city=city, year=year, gdp=1000 + n, population=500 + n)
            for n, city in enumerate(city_rows)
            for year in (2023, 2024)
        )
        tag_rows = Tag.objects.bulk_create(
            Tag(name=f"标签{n}", slug=f"标签{n}") for n in range(tags)
        )
        article_type = ContentType.objects.get_for_model(Article)
        now = timezone.now()
        through = Article.cities.through
        batch = 5000
        for start in range(0, articles, batch):
            rows = []
            for n in range(start, min(start + batch, articles)):
                body, html, folded = bodies[n % len(bodies)]
                title = f"{demo[n % len(demo)]['title']}（{n}）"
                summary = f"第 {n} 篇的摘要。"
                rows.append(
                    Article(
                        title=title,
                        slug=f"bench-{n}",
                        summary=summary,
                        body=body,
                        body_html=html,
                        search_text=f"{fold(title)}\n{fold(summary)}\n{folded}",
                        status=Article.Status.DRAFT if n % 50 == 0 else Article.Status.PUBLISHED,
                        published_at=now
                        - (n + 1) * (now - now.replace(year=now.year - 5)) / articles,
                        source="区域经济观察",
                    )
                )
            rows = Article.objects.bulk_create(rows)
            tagged, placed = [], []
            for article in rows:
                # A few popular tags and a long tail, 3–5 per article, as real tagging goes.
                chosen = {int(rng.paretovariate(0.6)) % tags for _ in range(rng.randint(3, 5))}
                tagged += [
                    TaggedItem(content_type=article_type, object_id=article.pk, tag=tag_rows[t])
                    for t in chosen
                ]
                for c in {rng.randrange(cities) for _ in range(rng.randint(1, 2))}:
                    placed.append(through(article_id=article.pk, city_id=city_rows[c].pk))
            TaggedItem.objects.bulk_create(tagged)
            through.objects.bulk_create(placed)
            print(f"  {start + len(rows)} articles", end="\r", flush=True)
    print(f"  data set built in {time.monotonic() - started:.0f} s{' ' * 20}")


# ---------------------------------------------------------------- processes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def start(command, env=None, cwd=ROOT):
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def worker_memory(process):
    """Largest resident size among the gunicorn master's workers, in MB."""
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            if match:
                sizes.append(int(match.group(1)) / 1024)
    return max(sizes, default=0.0)


def site_env(database_url, cached):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE": "1" if cached else "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    if cached:
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def gunicorn(app, env, port):
    return start(
        [
            PYTHON, "-m", "gunicorn", app,
            "--workers", "2", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ],
        env=env,
    )  # fmt: skip


# ---------------------------------------------------------------- wrk


def wrk(url, duration, connections):
    result = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "30s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", result, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    socket_errors = re.search(r"Socket errors: (.*)", result)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": (int(errors.group(1)) if errors else 0),
        "socket": socket_errors.group(1).strip() if socket_errors else "",
    }


# ---------------------------------------------------------------- the run


def prepare_database(kind, args):
    env = site_env("", cached=False)
    if kind == "sqlite":
        path = OUT / "bench.sqlite3"
        url = f"sqlite:///{path}"
    else:
        url = f"{PG_SERVER}/{PG_NAME}"
    env["DATABASE_URL"] = url
    counted = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from articles.models import Article; print(Article.objects.count())"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if counted.returncode != 0 or counted.stdout.strip().splitlines()[-1:] != [str(args.articles)]:
        print(f"[{kind}] building the data set")
        if kind == "sqlite":
            for leftover in OUT.glob("bench.sqlite3*"):
                leftover.unlink()
        else:
            admin = {**env, "DATABASE_URL": f"{PG_SERVER}/postgres"}
            script = (
                "from django.db import connection\n"
                "connection.ensure_connection(); connection.connection.autocommit = True\n"
                f"connection.cursor().execute('DROP DATABASE IF EXISTS {PG_NAME}')\n"
                f"connection.cursor().execute('CREATE DATABASE {PG_NAME}')\n"
            )
            subprocess.run(
                [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=admin, check=True
            )
        manage(env, "migrate", "--noinput", "-v", "0")
    subprocess.run(
        [PYTHON, __file__, "build", str(args.articles), str(args.tags), str(args.cities)],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "siteconf.settings"}, check=True,
    )  # fmt: skip
    if kind == "postgres":
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )
    return url


def measure_site(kind, url, pages, args, rows):
    for cached in (False, True):
        env = site_env(url, cached)
        if cached:
            subprocess.run(["redis-cli", "-n", "6", "FLUSHDB"], check=True, capture_output=True)
        port = free_port()
        server = gunicorn("siteconf.wsgi", env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            for name, path in pages:
                wait_for(base + path)  # also fills the cache for the cached run
                result = wrk(base + path, args.duration, args.connections)
                result |= {
                    "page": name,
                    "server": f"site, {kind}",
                    "mode": "cached" if cached else "uncached",
                }
                result["mb"] = worker_memory(server)
                rows.append(result)
                print(f"  {kind:8} {result['mode']:8} {name:14} {result['rps']:9.0f} req/s")
        finally:
            stop(server)


def measure_references(html, args, rows):
    page = OUT / "page.html"
    page.write_bytes(html)
    port = free_port()
    # The same floor as bench/load.py measures: one bare Django view, one module.
    bare = gunicorn("bench.floor:application", {**os.environ, "FLOOR_HTML": str(page)}, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/page/")
        result = wrk(f"http://127.0.0.1:{port}/page/", args.duration, args.connections)
        result |= {"page": "article page", "server": "bare Django view", "mode": "from memory"}
        result["mb"] = worker_memory(bare)
        rows.append(result)
    finally:
        stop(bare)

    port = free_port()
    prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    (prefix / "logs").mkdir()
    (prefix / "nginx.conf").write_text(
        f"worker_processes 2;\npid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log;\n"
        "events { worker_connections 1024; }\n"
        "http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;\n"
        f"  server {{ listen 127.0.0.1:{port}; root {OUT};\n"
        "    location = / { default_type text/html; try_files /page.html =404; } } }\n"
    )
    nginx = start(
        ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        result = wrk(f"http://127.0.0.1:{port}/", args.duration, args.connections)
        rows.append(
            result | {"page": "article page", "server": "nginx", "mode": "static file", "mb": 0.0}
        )
    finally:
        stop(nginx)
        shutil.rmtree(prefix, ignore_errors=True)


def print_table(rows, args):
    print()
    print(
        f"wrk: {args.duration} s, {args.connections} connections, 2 threads; gunicorn: 2 sync workers"
    )
    print()
    print("| server | page | mode | req/s | p50 ms | p99 ms | non-2xx | worker MB |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        errors = str(r["errors"]) + (f" ({r['socket']})" if r["socket"] else "")
        memory = f"{r['mb']:.0f}" if r["mb"] else "—"
        print(
            f"| {r['server']} | {r['page']} | {r['mode']} | {r['rps']:,.0f} | {r['p50']:.2f} "
            f"| {r['p99']:.2f} | {errors} | {memory} |"
        )


def ensure_tools():
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if missing and os.geteuid() == 0:
        packages = ["wrk" if tool == "wrk" else "nginx-light" for tool in missing]
        subprocess.run(["apt-get", "install", "-y", *packages], check=True, capture_output=True)
    for tool in ("wrk", "nginx", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install -y wrk nginx-light redis-tools")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=2_000)
    parser.add_argument("--cities", type=int, default=300)
    args = parser.parse_args()
    ensure_tools()
    OUT.mkdir(parents=True, exist_ok=True)
    manage(site_env("", cached=False), "collectstatic", "--noinput", "-v", "0")

    detail = f"/articles/bench-{args.articles // 2 + 1}/"
    pages = [
        ("article list", "/articles/"),
        ("tag page", "/tags/" + urllib.parse.quote("标签7") + "/"),
        ("article page", detail),
    ]
    rows, html = [], None
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        url = prepare_database(kind, args)
        print(f"[{kind}] measuring")
        measure_site(kind, url, pages, args, rows)
        if html is None:
            port = free_port()
            server = gunicorn("siteconf.wsgi", site_env(url, cached=False), port)
            try:
                html = wait_for(f"http://127.0.0.1:{port}{detail}")
            finally:
                stop(server)
    print("[references] measuring")
    measure_references(html, args, rows)
    print_table(rows, args)


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"]:
        sys.path.insert(0, str(ROOT))
        build(*(int(n) for n in sys.argv[2:5]))
    else:
        main()

"""This site against a Wagtail 8.0.1 blog on the same articles: requests/s with no page cache.

    .venv/bin/python bench/compare.py [--db sqlite,postgres] [--articles 10000] [--tags 500]
        [--duration 10] [--connections 8]

Builds this site's data set with bench/load.py's generator (bodies of ~2,000 characters:
24 sentences a section), in bench/out/compare-N.sqlite3 and the PostgreSQL database
regional_compare; exports its published articles; loads them into the Wagtail blog of
bench/wagtail/ (its own virtual environment, bench/out/wagtail-venv, from its pinned
requirements) in bench/out/wagtail-N.sqlite3 and regional_wagtail. Then both sites run
under gunicorn with 2 sync workers, this one with the page cache off (caches in Redis, as
in production), and wrk measures each page for --duration seconds: an article, the newest 20,
the newest 20 with one tag, and a search for a common word. The table gives both sites'
requests/s and p95, this site ÷ Wagtail, and the issue's target ratio.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
import venv
from urllib.parse import quote

from common import (
    OUT,
    PYTHON,
    ROOT,
    ensure_postgres_database,
    run_child,
    say,
    setup_django,
    site_env,
    sqlite_url,
)
from load import REDIS_URL, Server, ensure_wrk, free_port, gunicorn, timed_get, wrk

WAGTAIL = ROOT / "bench" / "wagtail"
WAGTAIL_VENV = OUT / "wagtail-venv"
WORD = "集成电路"  # in one of the generator's eight sentences: most articles hold it
PG = "postgres://postgres@127.0.0.1:5432/"
# Page, and this site's req/s ÷ Wagtail's that issue #21 asks for.
TARGETS = {"article": 2, "latest 20": 5, "tag-filtered list": 5, "search, common word": 50}


def wagtail_python():
    """The Wagtail environment's Python, installed from its pinned requirements when they change."""
    requirements = WAGTAIL / "requirements.txt"
    stamp = WAGTAIL_VENV / ".installed"
    python = WAGTAIL_VENV / "bin" / "python"
    if not stamp.exists() or stamp.read_text() != requirements.read_text():
        say("  installing Wagtail into bench/out/wagtail-venv …")
        venv.create(WAGTAIL_VENV, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", requirements], check=True)
        stamp.write_text(requirements.read_text())
    return python


def export(path):
    """In a child on this site's data set: its published articles as JSON lines (for the
    blog), and the pages to measure on both sites."""
    setup_django()
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article

    published = Article.objects.published()
    with open(path, "w", encoding="utf-8") as out:
        rows = published.prefetch_related("tags").order_by("published_at", "pk")
        for article in rows.iterator(chunk_size=1000):
            row = {
                "title": article.title,
                "slug": article.slug,
                "summary": article.summary,
                "body_html": article.body_html,
                "published_at": article.published_at.isoformat(),
                "tags": sorted(tag.name for tag in article.tags.all()),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    tag = (
        Tag.objects.filter(article__in=published.values("pk"))
        .annotate(n=Count("article"))
        .order_by("-n")
        .first()
    )
    article = published.newest_first()[500]
    word = quote(WORD)
    pages = {
        "article": (article.get_absolute_url(), f"/{article.slug}/"),
        "latest 20": ("/articles/", "/"),
        "tag-filtered list": (f"/articles/?tag={quote(tag.slug)}", f"/?tag={quote(tag.name)}"),
        "search, common word": (f"/articles/?q={word}", f"/?q={word}"),
    }
    print(json.dumps(pages))


def rate(server, path, args, marker):
    """wrk's figures, and how many articles the page lists (marker starts each one): a search
    that finds nothing is fast and no answer."""
    url = f"http://127.0.0.1:{server.port}{path}"
    timed_get(url)  # warm both workers
    with urllib.request.urlopen(url) as response:
        listed = response.read().decode().count(marker)
    return wrk(url, args.connections, args.duration) | {"listed": listed}


def cell(result, page):
    rps = result["rps"]
    figure = f"{rps:,.0f}" if rps >= 100 else f"{rps:.1f}"
    notes = [f"p95 {result['p95']:,.0f} ms"]
    if page != "article":
        notes.append(f"{result['listed']} listed")
    if result["errors"]:
        notes.append(f"{result['errors']} errors")
    return f"{figure} ({', '.join(notes)})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--tags", type=int, default=500)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    ensure_wrk()
    OUT.mkdir(exist_ok=True)
    python = wagtail_python()
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=site_env(sqlite_url("compare.sqlite3")),
        cwd=ROOT,
        check=True,
    )
    n = args.articles
    sites = {
        "sqlite": (sqlite_url(f"compare-{n}.sqlite3"), sqlite_url(f"wagtail-{n}.sqlite3")),
        "postgres": (f"{PG}regional_compare_{n}", f"{PG}regional_wagtail_{n}"),
    }
    tables = []
    for db in args.db.split(","):
        ours, theirs = sites[db]
        say(f"== {db}")
        if db == "postgres":
            ensure_postgres_database(ours)
            ensure_postgres_database(theirs)
        run_child(
            str(ROOT / "bench" / "load.py"),
            ["build", str(n), str(args.tags), "300", "24"],
            site_env(ours),
        )
        exported = OUT / f"compare-{n}.jsonl"
        pages = json.loads(run_child(__file__, ["export", str(exported)], site_env(ours)))
        subprocess.run(
            [python, "load_blog.py", exported],
            env=os.environ | {"DATABASE_URL": theirs},
            cwd=WAGTAIL,
            check=True,
        )
        # No page cache, and no search throttle: wrk is one client asking many times.
        redis_env = {"REDIS_URL": REDIS_URL, "PAGE_CACHE": "0", "SEARCH_RATE": "1000000/min"}
        wagtail_env = os.environ | {"DATABASE_URL": theirs}
        wagtail_env.pop("DJANGO_SETTINGS_MODULE", None)
        rows = []
        for page, (our_path, their_path) in pages.items():
            server = gunicorn("siteconf.wsgi", site_env(ours, **redis_env), free_port())
            try:
                mine = rate(server, our_path, args, 'class="card"')
            finally:
                server.stop()
            port = free_port()
            command = [str(python.parent / "gunicorn"), "wagtail_blog.wsgi", "--workers", "2"]
            server = Server(
                [*command, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                wagtail_env,
                port,
                cwd=WAGTAIL,
            )
            try:
                other = rate(server, their_path, args, "<article>")
            finally:
                server.stop()
            ratio = mine["rps"] / other["rps"] if other["rps"] else float("inf")
            rows.append(
                (page, cell(mine, page), cell(other, page), f"{ratio:.1f}×", f"≥ {TARGETS[page]}×")
            )
            say("  ", " | ".join(rows[-1]))
            time.sleep(1)
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        tables.append((db, rows, load))
    for db, rows, load in tables:
        print(
            f"\n### {db}: {n:,} articles, {args.tags} tags; gunicorn 2 sync workers, "
            f"wrk {args.duration} s at {args.connections} connections; "
            f"load average after: {load} on {os.cpu_count()} cores\n"
        )
        print("| page, page cache off | this site req/s | Wagtail 8.0.1 req/s | ratio | target |")
        print("|---|--:|--:|--:|--:|")
        for row in rows:
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "export":
        export(sys.argv[2])
    else:
        main()

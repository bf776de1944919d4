"""Load benchmark: the site under gunicorn with production settings, measured with wrk.

    make bench                      # both databases, both cache modes, 10 s per measurement
    .venv/bin/python bench/load.py --db sqlite --duration 3 --connections 1,8 --cache off

Builds (once, then reuses) a data set of 100,000 articles, 2,000 tags and 300 cities on
SQLite (bench/out/bench.sqlite3) and on PostgreSQL (database regional_bench, or
BENCH_PG_URL); starts gunicorn (2 sync workers, caches in Redis) on a free 127.0.0.1 port;
runs wrk at 1, 8 and 32 connections against each page with the page cache off (every
request rendered) and on; and prints requests/s, p50/p95/p99 latency, errors, queries per
rendered request (counted in a separate pass with CaptureQueriesContext) and worker memory.
In the same run it measures two floors: a bare Django view returning the article page's
HTML from memory, and that HTML as a static file served by nginx.
"""

import argparse
import concurrent.futures
import functools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import redis
from common import (
    ARTICLES,
    CITY_ROWS,
    OUT,
    PYTHON,
    ROOT,
    TAGS,
    analyze,
    ensure_postgres_database,
    run_child,
    say,
    setup_django,
    site_env,
    sqlite_url,
)

BIN = Path(PYTHON).parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/regional_bench"

PAGES = [
    ("home", "/"),
    ("article list", "/articles/"),
    ("list: two tags", "/articles/?tag={tag}&tag={tag2}"),
    ("list: tag+city+q", "/articles/?tag={tag}&city={city}&q={word}"),
    ("article", "{article}"),
    ("tag page", "/tags/{tag}/"),
    ("city page", "/cities/{city}/"),
    ("comparison", "/cities/compare/?c={city}&c={city2}"),
]
# Both modes keep their caches in Redis, as production with several workers must; "off" renders
# every page (PAGE_CACHE=0), "on" serves pages from the page cache.
REDIS_URL = "redis://127.0.0.1:6379/14"

PREFIXES = [
    "新能源", "芯片", "人工智能", "生物医药", "数字经济", "低空经济", "智能制造", "新材料", "集成电路", "跨境电商", "文旅", "物流",
    "金融科技", "工业互联网", "汽车", "光伏", "储能", "半导体", "软件", "机器人", "医疗器械", "港口", "航运", "农业", "食品",
    "纺织", "化工", "钢铁", "有色金属", "能源", "氢能", "风电", "核电", "数据中心", "算力", "云计算", "大模型", "消费电子",
    "显示面板", "锂电池", "无人机", "卫星", "商业航天", "会展", "总部经济", "楼宇经济", "夜经济", "县域经济", "海洋经济", "绿色金融",
]  # fmt: skip
SUFFIXES = [
    "产业", "集群", "园区", "政策", "投资", "招商", "企业", "人才", "出口", "融资", "上市", "并购", "专利", "标准", "供应链",
    "产业链", "龙头", "独角兽", "专精特新", "基金", "补贴", "用地", "税收", "研发", "孵化", "平台", "基地", "走廊", "协同",
    "转型", "升级", "布局", "规划", "数据", "排名", "指数", "报告", "观察", "案例", "前景",
]  # fmt: skip
CITY_FIRST = "东西南北新安宁平阳江海山长清永兴华金德昌"
CITY_SECOND = "州阳安宁江海山城都京口门沙岭川原"
SENTENCES = [
    "{city}的{tag}在过去三年里保持两位数增长，龙头企业带动了上下游配套。",
    "从统计公报看，{city}的地区生产总值中，{tag}贡献的份额仍在上升。",
    "地方政府设立了专项基金，重点支持{tag}的研发与中试。",
    "与长三角其他城市相比，{city}在土地与人才政策上更为积极。",
    "业内人士认为，集成电路与人工智能的结合将是下一轮竞争的关键。",
    "园区内的企业反映，审批流程缩短了一半，但高端人才依然紧缺。",
    "出口订单回暖，跨境物流成本下降，带动了制造业投资。",
    "数据来源：各市统计局年度公报，部分数字为初步核算数。",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child(mode, database_url, *args):
    """Run this script as `mode` in a child with Django set up for database_url."""
    return run_child(__file__, [mode, *args], site_env(database_url, PAGE_CACHE="0"))


# Building the data set (in a child process, with Django set up)


def chinese_body(rng, city, tags, sentences_per_section):
    paragraphs = []
    for heading in ("背景", "数据", "展望"):
        sentences = [
            rng.choice(SENTENCES).format(city=city, tag=rng.choice(tags))
            for _ in range(sentences_per_section)
        ]
        paragraphs.append(f"## {heading}\n\n" + "".join(sentences))
    paragraphs.append("| 年份 | GDP（亿元） |\n|:--|--:|\n| 2023 | 12,345 |\n| 2024 | 13,210 |")
    return "\n\n".join(paragraphs)


def build(articles, tags, cities, sentences_per_section=8):
    """The data set: 8 sentences a section make ~700 characters a body, 24 about 2,000."""
    setup_django()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag

    from articles.markdown import render_markdown
    from articles.models import Article, ArticleTag, City, CityFigures, scopes
    from articles.search.tokens import body_blocks, index_text, title_blocks
    from articles.tagging import tag_slug

    call_command("migrate", verbosity=0)
    if Article.objects.count() == articles:
        say(f"  data set present ({articles:,} articles)")
        return
    say(f"  building {articles:,} articles, {tags:,} tags, {cities} cities …")
    rng = random.Random(7)
    started = time.monotonic()
    with transaction.atomic():
        ArticleTag.objects.all().delete()
        Article.objects.all().delete()
        Tag.objects.all().delete()
        City.objects.all().delete()

        names = [a + b for a in CITY_FIRST for b in CITY_SECOND][:cities]
        city_rows = City.objects.bulk_create(
            City(
                name=name,
                slug=f"city-{n:03d}",
                province="某省",
                region=rng.choice(["长三角", "京津冀", "粤港澳", "成渝", "长江中游"]),
                summary=f"{name}的城市概况。",
                body_html="<p>城市概况。</p>",
            )
            for n, name in enumerate(names)
        )
        CityFigures.objects.bulk_create(
            CityFigures(city=city, year=year, gdp=rng.randint(1000, 40000), gdp_source="测试数据")
            for city in city_rows
            for year in (2022, 2023, 2024)
        )
        tag_names = [p + s for p in PREFIXES for s in SUFFIXES][:tags]
        tag_rows = Tag.objects.bulk_create(
            Tag(name=name, slug=tag_slug(name)) for name in tag_names
        )
        # Zipf-like popularity, as real tags and cities have.
        tag_weights = [1 / (rank + 1) for rank in range(len(tag_rows))]
        city_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(city_rows))]

        variants = []
        for v in range(6):
            body = chinese_body(random.Random(v), names[v], tag_names[:20], sentences_per_section)
            html = render_markdown(body)
            variants.append((body, html, index_text(body_blocks("", html))))

        now = timezone.now()
        Through = Article.cities.through
        batch = 5000
        for start in range(0, articles, batch):
            rows, picks = [], []
            for n in range(start, min(start + batch, articles)):
                article_tags = set(rng.choices(tag_rows, tag_weights, k=rng.randint(3, 5)))
                article_cities = set(rng.choices(city_rows, city_weights, k=rng.randint(1, 2)))
                city = next(iter(article_cities)).name
                tag = next(iter(article_tags)).name
                title = f"{city}的{tag}：第 {n + 1} 期观察"
                summary = f"{city}在{tag}方面的最新进展与数据。"
                body, html, body_tokens = variants[n % len(variants)]
                published = rng.random() > 0.03
                rows.append(
                    Article(
                        title=title,
                        slug=f"article-{n + 1}",
                        summary=summary,
                        body=body,
                        body_html=html,
                        search_title=index_text(
                            title_blocks(title, [t.name for t in article_tags])
                        ),
                        # The summary's tokens before the body's, as body_blocks() puts them.
                        search_body=f"{index_text([summary])} {body_tokens}",
                        status="published" if published else "draft",
                        published_at=now - timedelta(seconds=rng.randint(3600, 3 * 365 * 86400))
                        if published
                        else None,
                    )
                )
                picks.append((article_tags, article_cities))
            created = Article.objects.bulk_create(rows)
            ArticleTag.objects.bulk_create(
                ArticleTag(content_object=article, tag=tag)
                for article, (article_tags, _) in zip(created, picks, strict=True)
                for tag in article_tags
            )
            Through.objects.bulk_create(
                Through(article_id=article.pk, city_id=city.pk)
                for article, (_, article_cities) in zip(created, picks, strict=True)
                for city in article_cities
            )
            say(f"    {start + len(rows):,} articles")
        scopes.touch_everything()  # bulk_create sends no signals: the counts pages read
    analyze()
    say(f"  built in {time.monotonic() - started:.0f} s")


def probe():
    """The URLs to load, the article's HTML (for the floors), and queries per request."""
    setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.encoding import iri_to_uri
    from taggit.models import Tag

    from articles.models import Article, City

    published = Article.objects.published()
    tag, tag2 = (
        Tag.objects.filter(article__in=published.values("pk"))
        .annotate(n=Count("article"))
        .order_by("-n")[:2]
    )
    city, city2 = City.objects.annotate(n=Count("articles")).order_by("-n")[:2]
    article = published.newest_first()[500]
    values = {
        "tag": tag.slug,
        "tag2": tag2.slug,
        "city": city.slug,
        "city2": city2.slug,
        "word": "集成电路",
        "article": article.get_absolute_url(),
    }
    client = Client()
    pages, queries = {}, {}
    for name, pattern in PAGES:
        # gunicorn refuses raw non-ASCII in the request line, as it may: send it encoded.
        url = iri_to_uri(pattern.format(**values))
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages[name], queries[name] = url, len(captured)
    html = client.get(values["article"]).content.decode()
    print(json.dumps({"pages": pages, "queries": queries, "article_html": html}))


# Servers and measurements (in the parent process)


class Server:
    def __init__(self, command, env, port, cwd=ROOT):
        self.port = port
        self.log = open(OUT / f"server-{port}.log", "w")  # noqa: SIM115  closed in stop()
        self.process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"server on port {port} did not start; see {self.log.name}")

    def worker_rss_mb(self):
        """Largest resident memory among the server's child processes, in MB."""
        largest = 0
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
                )
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid) and "VmRSS" in fields:
                largest = max(largest, int(fields["VmRSS"].split()[0]) // 1024)
        return largest

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def gunicorn(app, env, port, *extra):
    command = [str(BIN / "gunicorn"), app, "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    return Server([*command, "--log-level", "warning", *extra], env, port)


def nginx(root, port):
    conf = OUT / "nginx.conf"
    conf.write_text(
        f"""worker_processes 2;
pid {OUT}/nginx.pid;
error_log {OUT}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type "text/html; charset=utf-8";
  client_body_temp_path {OUT}/nginx-tmp;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""
    )
    (OUT / "nginx-tmp").mkdir(exist_ok=True)
    return Server(["nginx", "-p", str(OUT), "-c", str(conf), "-g", "daemon off;"], None, port)


def wrk(url, connections, duration):
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    stats = json.loads(out.split("WRK ", 1)[1])
    seconds = stats["duration_us"] / 1e6
    return {
        "requests": stats["requests"],
        "rps": stats["requests"] / seconds,
        "p50": stats["p50_us"] / 1000,
        "p95": stats["p95_us"] / 1000,
        "p99": stats["p99_us"] / 1000,
        "errors": stats["socket_errors"] + stats["bad_status"],
    }


def timed_get(url, timeout=120):
    """Seconds one GET of url takes, or None if it fails or times out."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
    except OSError:
        return None
    return time.monotonic() - started


def measure(label, start_server, path, args, rows, queries="", floor=None):
    """wrk at each number of connections, each against a freshly started server: requests
    to a slow page stay queued after wrk stops and would be counted against the next run."""
    alone = None
    for connections in args.connections:
        server = start_server()
        try:
            url = f"http://127.0.0.1:{server.port}{path}"
            # Warm both workers (imports, the pinyin dictionary, the database's caches).
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                list(pool.map(timed_get, [url, url]))
            if alone is None:  # one request on its own: meaningful even when wrk completes none
                alone = timed_get(url)
            result = wrk(url, connections, args.duration)
            rss = server.worker_rss_mb()
        finally:
            server.stop()
        base = (floor or {}).get(connections)
        rows.append(
            [
                label,
                f"{alone * 1000:,.0f}" if alone is not None else "failed",
                connections,
                result["requests"],
                f"{result['rps']:,.0f}" if result["rps"] >= 100 else f"{result['rps']:.1f}",
                f"{result['p50']:.1f}",
                f"{result['p95']:.1f}",
                f"{result['p99']:.1f}",
                result["errors"],
                queries,
                rss or "",
                f"{base / result['rps']:.1f}×" if base and result["rps"] else "",
            ]
        )
        say("  ", " | ".join(str(cell) for cell in rows[-1]))
        if label.startswith("floor: Django"):
            args.floor_rps[connections] = result["rps"]


def print_table(title, rows):
    header = ["page", "alone ms", "conns", "done", "req/s", "p50 ms", "p95 ms", "p99 ms",
              "errors", "queries", "worker MB", "bare Django ÷ page"]  # fmt: skip
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n### {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk is missing: installing the Debian package")
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=True)
    else:
        raise SystemExit("wrk is missing: apt-get install wrk")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--cache", default="off,on", help="page cache off, on or both")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--tags", type=int, default=TAGS)
    parser.add_argument("--cities", type=int, default=CITY_ROWS)
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",")]
    args.floor_rps = {}
    ensure_wrk()
    OUT.mkdir(exist_ok=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=site_env(sqlite_url("bench.sqlite3")),
        cwd=ROOT,
        check=True,
    )
    databases = {
        "sqlite": sqlite_url("bench.sqlite3"),
        "postgres": os.environ.get("BENCH_PG_URL", DEFAULT_PG),
    }
    floors_done = False
    tables = []
    for db in args.db.split(","):
        url = databases[db]
        say(f"== {db}: {url}")
        if db == "postgres":
            ensure_postgres_database(url)
        child("build", url, str(args.articles), str(args.tags), str(args.cities))
        found = json.loads(child("probe", url))
        rows = []
        if not floors_done:
            # The floors: the same article HTML from memory in bare Django, and from nginx.
            page = OUT / "article.html"
            page.write_text(found["article_html"])
            floor_env = os.environ | {"FLOOR_HTML": str(page)}
            bench_dir = str(ROOT / "bench")
            measure(
                "floor: Django from memory",
                functools.partial(
                    gunicorn, "floor:application", floor_env, free_port(), "--pythonpath", bench_dir
                ),
                "/page/",
                args,
                rows,
            )
            if shutil.which("nginx"):
                measure(
                    "floor: nginx static file",
                    functools.partial(nginx, OUT, free_port()),
                    "/article.html",
                    args,
                    rows,
                )
            else:
                say("nginx is missing (apt-get install nginx-light): no static-file floor")
            floors_done = True
        redis.Redis.from_url(REDIS_URL).flushdb()  # nothing of the other database's run
        for name, path in found["pages"].items():
            for cache in args.cache.split(","):
                env = site_env(url, REDIS_URL=REDIS_URL, PAGE_CACHE="1" if cache == "on" else "0")
                measure(
                    f"{name}, cache {cache}",
                    lambda env=env: gunicorn("siteconf.wsgi", env, free_port(), "--timeout", "120"),
                    path,
                    args,
                    rows,
                    found["queries"][name],
                    args.floor_rps,
                )
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        tables.append(
            (
                f"{db} — {args.articles:,} articles, {args.duration} s per cell, "
                f"load average after: {load} on {os.cpu_count()} cores",
                rows,
            )
        )
    for title, rows in tables:
        print_table(title, rows)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        build(*(int(a) for a in sys.argv[2:6]))
    elif len(sys.argv) > 1 and sys.argv[1] == "probe":
        probe()
    else:
        main()

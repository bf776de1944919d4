"""Search benchmark: 100,000 articles of ~2,000 Chinese characters, on SQLite and PostgreSQL.

Run on purpose, not as a test (it is CPU-heavy and takes minutes):

    .venv/bin/python bench/search.py [--articles 100000] [--databases sqlite,postgresql]
        [--postgres URL] [--keep [--keep-index]] [--build-only]

For each database it builds its own data set (SQLite in bench/out/search.sqlite3; PostgreSQL
in the database named by --postgres, created if missing and emptied first) with tags and
cities, and times the index build; --keep reuses a data set of the right size (the index is
rebuilt and timed all the same, unless --keep-index); --build-only stops there (building
100,000 articles takes 10-20 minutes on two cores: build once, measure after each change).
Then, for 20 queries of each kind, it times:

- page: /articles/?q= itself (the view, rendered, the page cache off and the per-version
  memo emptied first: a reader's first request, paying the capped count, the page's rows,
  snippets and facets; only the site's look-up list, shared by every query, is rebuilt untimed);
- search: the same count, rows and snippets alone (ArticleFilterForm.results, as the view);
- facets: the tag, city and year counts alone (ArticleFilterForm.facets, as the view);
- page 2: the second page, also a first request;

beside a floor: /articles/ without a query, with its count and facets memoised (what
rendering the page costs before any search). Every answer is checked against a brute-force
scan of each block's search form (every part of the query in the title, a tag or one
paragraph): the count (exact up to the cap) and the order of pages 1 and 2 (title and tag
matches first, then newest), or the query is reported. The paragraphs carry bold and links, as
mention links do, so that phrases run through markup. Prints one table per database, with the
index size on disk and the load average (the machine may be shared).

Over 400 lines, in one file on purpose: the generator, the brute-force check that regenerates
its texts, and the measurements must agree on every detail of the data set.
"""

import argparse
import json
import os
import random
import re
import statistics
import time
from datetime import UTC, datetime, timedelta

from common import (
    ARTICLES,
    CITY_ROWS,
    OUT,
    TAGS,
    analyze,
    ensure_postgres_database,
    run_child,
    say,
    setup_django,
    site_env,
    sqlite_url,
)

BATCH = 1_000


def words(text):
    return text.split()


CITIES = words(
    "上海 北京 深圳 广州 杭州 南京 苏州 合肥 成都 重庆 武汉 西安 宁波 无锡 青岛 厦门 长沙 郑州 济南 天津"
)
INDUSTRIES = words(
    "芯片 新能源 人工智能 大模型 集成电路 新能源汽车 生物医药 低空经济 算力 机器人 光伏 储能 "
    "跨境电商 数字经济 工业互联网 半导体 动力电池 智能制造 商业航天 量子计算"
)
PLACES = words(
    "上海博物馆 张江科学城 长三角一体化 粤港澳大湾区 成渝双城经济圈 杭州六小龙 阿里云 新华三 海康威视 宇树科技"
)
LATIN = words(
    "DeepSeek Kimi GDP BYD AI Qwen OpenAI Nvidia ARM RISC-V 5G IPO ESG Tesla Huawei iPhone "
    "MP3MP4 A股 DeepSeek-R1 Wi-Fi"
)
# Numbers with units, as economic news writes them.
NUMBERS = [
    *(f"20{y:02d}年" for y in range(8, 25)),
    *(f"{m}月{d}日" for m, d in [(12, 31), (6, 30), (3, 31), (9, 30), (1, 1)]),
    *(f"{a}.{b}%" for a, b in [(3, 5), (5, 2), (12, 8), (0, 7), (7, 1)]),
    "1.85万亿元", "3360亿元", "500万元", "2.3万亿", "18,500.81亿元", "1,000元",
]  # fmt: skip
FILLER = words(
    "发展 经济 产业 企业 城市 政策 创新 投资 市场 增长 数据 显示 今年 同比 项目 建设 推进 加快 "
    "区域 合作 技术 人才 服务 平台 园区 制造 规模 结构 转型 升级 消费 出口 财政 收入 人口 "
    "就业 研发 资本 融资 基金 地方 政府 规划 布局 链条 龙头 配套 集群 生态 环境 营商 改革 开放 "
    "开发区 高新区 指标 总量 排名 全国 省会 一线 二线 核心 引领 带动 辐射 协同 融合 数字 绿色 "
    "低碳 能源 交通 港口 物流 航运 高校 科研 院所 实验室 成果 转化 专利 标准 品牌 质量 效益"
)

# What readers type: 20 of each kind. Traditional queries are folded to simplified.
QUERIES = {
    "Chinese word": [*CITIES[:14], "芯片", "算力", "光伏", "储能", "园区", "龙头"],
    "phrase": [*PLACES, *INDUSTRIES[4:14]],
    "single character": ["芯", "渝", "沪", "粤", "京", "杭", "宁", "汉", "港", "链", "电", "光", "算",
                         "云", "药", "车", "海", "湾", "锂", "氢"],
    "number with unit": ["2008年", "3.5%", "12月31日", "08年", "1.85万亿", "360亿", "2024年", "6月30日",
                         "5.2%", "亿元", "500万", "18,500", "0.7%", "9月30日", "12.8%", "1,000元",
                         "2.3万亿", "15年", "2020年", "31日"],
    "Latin inside a word": ["phone", "Phone", "seek", "mp4", "A股", "pse", "eepS", "3MP", "R1", "wi-fi",
                            "penA", "vidi", "esla", "uawe", "isc-", "IPh", "ek-R", "Qwe", "ime", "DP"],
    "traditional": ["長三角", "上海博物館", "廣州", "蘇州", "無錫", "鄭州", "長沙", "濟南", "廈門", "寧波",
                    "積體電路", "新能源汽車", "人工智慧", "機器人", "數字經濟", "動力電池", "張江科學城",
                    "粵港澳大灣區", "海康威視", "阿里雲"],
    "full-width": ["ＤｅｅｐＳｅｅｋ", "ＧＤＰ", "２０２４年", "３．５％", "ＡＩ", "ｉＰｈｏｎｅ", "Ａ股",
                   "１２月３１日", "ＢＹＤ", "ＫＩＭＩ", "５Ｇ", "ＩＰＯ", "２００８年", "ｑｗｅｎ", "ＴＥＳＬＡ",
                   "ＭＰ３", "ＲＩＳＣ－Ｖ", "１．８５万亿", "ＥＳＧ", "ＷＩ－ＦＩ"],
    "multi-part": ["DeepSeek 杭州", "上海 芯片", "南京 人工智能", "GDP 深圳", "Kimi 北京", "合肥 新能源汽车",
                   "成都 重庆", "苏州 无锡", "BYD 深圳 电池", "AI 大模型", "5G 深圳", "2024年 杭州",
                   "杭州 阿里云", "上海 张江", "3.5% 武汉", "西安 半导体", "青岛 港口", "天津 航运",
                   "iPhone 出口", "长沙 机器人"],
}  # fmt: skip


def article_texts(n, seed=7):
    """n (title, body, tags, cities): realistic length, known vocabulary, deterministic.

    Articles are tagged with their topics and a long tail of other tags, and placed in the
    cities they are about and sometimes another, as editors do, so facets have real work.
    """
    rng = random.Random(seed)
    topics = CITIES + INDUSTRIES + PLACES
    for i in range(n):
        focus = rng.sample(topics, 3)
        latin = rng.sample(LATIN, 2) if rng.random() < 0.3 else []
        numbers = rng.sample(NUMBERS, 3)
        words = rng.choices(FILLER, k=900)
        for word in focus + latin + numbers:
            for _ in range(rng.randint(1, 6)):
                words.insert(rng.randrange(len(words)), word)
        sentences = []
        for start in range(0, len(words), 9):
            sentences.append("".join(words[start : start + 9]) + rng.choice("，。，。；"))
        paragraphs = ["".join(sentences[p : p + 8]) for p in range(0, len(sentences), 8)]
        title = f"{focus[0]}的{focus[1]}观察（{i}）"
        tags = {t for t in focus if t not in CITIES}
        tags |= {f"标签{int(rng.paretovariate(0.6)) % TAGS}" for _ in range(rng.randint(1, 3))}
        cities = {t for t in focus if t in CITIES}
        if rng.random() < 0.5:
            cities.add(f"城市{rng.randrange(len(CITIES), CITY_ROWS)}")
        yield title, paragraphs, sorted(tags), sorted(cities)


def dates(n, now, seed=8):
    """A minute apart, newest first, with two hours of jitter: id order is not date order."""
    rng = random.Random(seed)
    return [now - timedelta(minutes=i, seconds=rng.randrange(60, 7200)) for i in range(n)]


MARKED = re.compile(
    "|".join(map(re.escape, sorted(CITIES + PLACES + LATIN, key=len, reverse=True)))
)


def paragraph_html(paragraph):
    """What Markdown and mention linking make of a paragraph: the first name in it linked
    (as a mention link is), the second in bold."""
    names = iter(range(2))

    def mark(match):
        n = next(names, None)
        if n == 0:
            return f'<a href="/cities/x/">{match.group()}</a>'
        return f"<strong>{match.group()}</strong>" if n == 1 else match.group()

    return f"<p>{MARKED.sub(mark, paragraph)}</p>\n"


def is_draft(i):
    return i % 50 == 49


def build(n):
    """Empty the database and bulk-load n articles (save() bypassed: tokens made here)."""
    from django.db import connection, transaction
    from taggit.models import Tag

    from articles.models import Article, ArticleTag, City, scopes
    from articles.search.tokens import body_blocks, index_text, title_blocks

    drop_index()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "TRUNCATE articles_article, taggit_tag, articles_articletag, articles_city"
                " RESTART IDENTITY CASCADE"
            )
        else:
            for table in ("articles_articletag", "taggit_tag", "articles_article_cities",
                          "articles_city", "articles_article"):  # fmt: skip
                cursor.execute(f"DELETE FROM {table}")

    started = time.perf_counter()
    names = CITIES + [f"城市{n}" for n in range(len(CITIES), CITY_ROWS)]
    cities = City.objects.bulk_create(City(name=name, slug=f"c{i}") for i, name in enumerate(names))
    cities = {city.name: city for city in cities}
    tag_names = [*INDUSTRIES, *PLACES, *(f"标签{n}" for n in range(TAGS))]
    tags = {t.name: t for t in Tag.objects.bulk_create(Tag(name=n, slug=n) for n in tag_names)}
    through = Article.cities.through
    published = dates(n, datetime.now(UTC))
    tokenize_seconds, batch = 0.0, []

    def flush():
        rows = Article.objects.bulk_create([article for article, _, _ in batch])
        # Articles' tags live in their own table (ArticleTag), as the site keeps them.
        ArticleTag.objects.bulk_create(
            ArticleTag(content_object=row, tag=tags[name])
            for row, (_, names, _) in zip(rows, batch, strict=True)
            for name in names
        )
        through.objects.bulk_create(
            through(article_id=row.pk, city_id=cities[name].pk)
            for row, (_, _, names) in zip(rows, batch, strict=True)
            for name in names
        )
        batch.clear()

    with transaction.atomic():
        for i, (title, paragraphs, tag_list, city_list) in enumerate(article_texts(n)):
            body = "\n\n".join(paragraphs)
            body_html = "".join(map(paragraph_html, paragraphs))
            t0 = time.perf_counter()
            title_tokens = index_text(title_blocks(title, tag_list))
            body_tokens = index_text(body_blocks("", body_html))
            tokenize_seconds += time.perf_counter() - t0
            article = Article(
                title=title,
                slug=f"a{i}",
                body=body,
                body_html=body_html,
                status="draft" if is_draft(i) else "published",
                published_at=published[i],
                search_title=title_tokens,
                search_body=body_tokens,
            )
            batch.append((article, tag_list, city_list))
            if len(batch) == BATCH:
                flush()
        if batch:
            flush()
        scopes.touch_everything()  # bulk_create sends no signals: the counts pages read
    load_seconds = time.perf_counter() - started

    return {"load_seconds": load_seconds, "tokenize_seconds": tokenize_seconds,
            "index_seconds": index()}  # fmt: skip


def gin_indexes():
    from articles.search.expressions import token_array_sql

    return {
        "article_tokens_idx": token_array_sql(["search_title", "search_body"]),
        "article_title_tokens_idx": token_array_sql(["search_title"]),
    }


def drop_index():
    from django.db import connection

    from articles.search import sqlite

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in gin_indexes():
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        else:
            for sql in sqlite.SQLITE_DROP_TRIGGERS:  # the index is built once, after loading
                cursor.execute(sql)
            cursor.execute(
                f"INSERT INTO {sqlite.FTS5_TABLE}({sqlite.FTS5_TABLE}) VALUES ('delete-all')"
            )


def has_index():
    from django.db import connection

    from articles.search import sqlite

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = ANY(%s)",
                           [list(gin_indexes())])  # fmt: skip
            return cursor.fetchone()[0] == len(gin_indexes())
        cursor.execute(f"SELECT count(*) FROM {sqlite.FTS5_TABLE}_idx")
        return cursor.fetchone()[0] > 0


def index():
    """Build the full-text index from the token columns; seconds taken."""
    from django.db import connection

    from articles.search import sqlite

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The site's statement timeout is for requests, not for building an index.
            cursor.execute("SET statement_timeout = 0")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, expression in gin_indexes().items():
                cursor.execute(f"CREATE INDEX {name} ON articles_article USING gin ({expression})")
        else:
            fts = sqlite.FTS5_TABLE
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
            for sql in sqlite.SQLITE_TRIGGERS:
                cursor.execute(sql)
    seconds = time.perf_counter() - t0
    analyze()
    return seconds


def sizes():
    from django.db import connection

    from articles.search import sqlite

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_relation_size('article_tokens_idx'),"
                " pg_relation_size('article_title_tokens_idx'),"
                " (SELECT sum(pg_column_size(search_title) + pg_column_size(search_body))"
                " FROM articles_article),"
                " pg_total_relation_size('articles_article')"
            )
            index_bytes, title_bytes, column_bytes, table_bytes = cursor.fetchone()
            index_size = {"GIN indexes": index_bytes + title_bytes, "token columns": column_bytes}
        else:
            cursor.execute(
                f"SELECT (SELECT sum(length(block)) FROM {sqlite.FTS5_TABLE}_data),"
                f" (SELECT count(*) * 64 FROM {sqlite.FTS5_TABLE}_idx)"
            )
            data_bytes, idx_bytes = cursor.fetchone()
            index_size = {"FTS5 index": data_bytes + idx_bytes}
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            table_bytes = pages * cursor.fetchone()[0]
        cursor.execute(
            "SELECT sum(length(search_title) + length(search_body)) FROM articles_article"
        )
        token_chars = cursor.fetchone()[0]
    return {"index_size": index_size, "token_chars": token_chars, "database_bytes": table_bytes}


def child(args):
    """Build (or keep) and measure one database; print the results as JSON."""
    setup_django()
    from django.conf import settings

    # Static URLs unhashed: the bench does not collect static files.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    from django.core.cache import cache
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import RequestFactory
    from django.utils import timezone

    from articles.forms import ArticleFilterForm
    from articles.models import Article
    from articles.search.snippets import with_snippets
    from articles.text import search_form
    from articles.views import PAGE_SIZE, ArticleListView, suggestions

    call_command("migrate", verbosity=0)
    kept = args.keep and Article.objects.filter(slug=f"a{args.articles - 1}").exists()
    kept = kept and Article.objects.count() == args.articles
    if kept and args.keep_index and has_index():
        built = {}  # measuring again after a change to queries, not to what is indexed
    elif kept:  # the articles are kept; the index is rebuilt and timed all the same
        drop_index()
        built = {"index_seconds": index()}
    else:
        built = build(args.articles)

    if args.build_only:
        print(json.dumps({"vendor": connection.vendor, "built": built}))
        return

    # What a brute-force scan finds, to check every answer: the folded text of each
    # published article (title and tags; all of it), newest first as the page orders them.
    published_at = dict(Article.objects.values_list("slug", "published_at"))
    corpus = []
    for i, (title, paragraphs, tags, _) in enumerate(article_texts(args.articles)):
        slug = f"a{i}"
        if is_draft(i):
            continue
        # One block a line: a part (never holding a line break) in a line is in one block.
        head = "\n".join(map(search_form, [title, *tags]))
        text = head + "\n" + "\n".join(map(search_form, paragraphs))
        corpus.append((published_at[slug], slug, head, text))
    corpus.sort(reverse=True)

    view = ArticleListView.as_view()
    factory = RequestFactory(HTTP_HOST="127.0.0.1")

    def page(query, number=1):
        """The page a reader gets, as its first request: nothing of the query memoised. The
        look-up list (every city, organisation and tag with its pinyin, which an ASCII query
        offers 你要找的是不是 from) is built once per content version for every query, not per
        search: built again, untimed, as a reader finds it (about 100 ms to build)."""
        cache.clear()
        suggestions("")
        t0 = time.perf_counter()
        response = view(factory.get("/articles/", {"q": query, "page": number}))
        response.render()
        return (time.perf_counter() - t0) * 1000, response

    def results(query):
        """The search alone, as the view runs it: the capped count, the first page's rows
        and their snippets (the facets apart, the template not rendered)."""
        cache.clear()
        t0 = time.perf_counter()
        form = ArticleFilterForm({"q": query})
        page = Paginator(form.results(Article.objects.published().for_listing()), PAGE_SIZE)
        with_snippets(page.page(1).object_list, query)
        return (time.perf_counter() - t0) * 1000

    def facets(query):
        cache.clear()
        form = ArticleFilterForm({"q": query})
        t0 = time.perf_counter()
        form.facets(Article.objects.published())
        return (time.perf_counter() - t0) * 1000

    # The floor: /articles/ without a query, its count and facets already memoised, as
    # most readers get it; what rendering the page costs before any search.
    page("")
    floor = []
    for _ in range(20):
        t0 = time.perf_counter()
        view(factory.get("/articles/")).render()
        floor.append((time.perf_counter() - t0) * 1000)

    rows = []
    for kind, queries in QUERIES.items():
        times = {"page": [], "search": [], "facets": [], "page 2": []}
        wrong, hits = [], []
        for query in queries:
            ms, response = page(query)
            times["page"].append(ms)
            times["search"].append(results(query))
            times["facets"].append(facets(query))
            ms, response2 = (
                page(query, 2) if response.context_data["page_obj"].has_next() else (None, None)
            )
            if ms is not None:
                times["page 2"].append(ms)
            query_parts = [part for part in map(search_form, query.split()) if part]
            expected = scan(corpus, query_parts, timezone.now())
            hits.append(len(expected))
            problems = check(response, response2, expected)
            if problems:
                wrong.append(f"{query}: {problems}")
        rows.append({"kind": kind, "times": {k: summary(v) for k, v in times.items()},
                     "hits": (min(hits), statistics.median(hits), max(hits)), "wrong": wrong})  # fmt: skip
    print(json.dumps({"vendor": connection.vendor, "articles": args.articles, "built": built,
                      "avg_chars": round(statistics.mean(len(c[3]) for c in corpus[:1000])),
                      "floor": summary(floor), "load": os.getloadavg(), **sizes(),
                      "rows": rows}))  # fmt: skip


def summary(latencies):
    if not latencies:
        return None
    latencies = sorted(latencies)
    return {
        "median": statistics.median(latencies),
        "p95": latencies[max(0, round(len(latencies) * 0.95) - 1)],
        "max": latencies[-1],
    }


def check(response, response2, expected):
    """What is wrong with pages 1 and 2 and the count shown, against the scan's answer."""
    from articles.search.results import RESULT_CAP

    context = response.context_data
    shown = (context["paginator"].count, context.get("more_results", False))
    problems = []
    if shown != (min(len(expected), RESULT_CAP), len(expected) > RESULT_CAP):
        problems.append(f"count {shown}, scan {len(expected)}")
    pages = [[a.slug for a in context["page_obj"]]]
    if response2 is not None:
        pages.append([a.slug for a in response2.context_data["page_obj"]])
    for number, slugs in enumerate(pages):
        if slugs != expected[number * 20 : number * 20 + 20]:
            problems.append(f"page {number + 1} differs")
    return "; ".join(problems)


def scan(corpus, query_parts, now):
    """Slugs of the articles public at now holding every part in one block, title and tag
    matches first, then newest."""

    def holds(text):
        return all(part in text for part in query_parts)

    found = [(head, slug) for at, slug, head, text in corpus if at <= now and holds(text)]
    return [slug for head, slug in found if holds(head)] + [
        slug for head, slug in found if not holds(head)
    ]


def mb(n):
    return f"{n / 1e6:,.0f} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/regional_search_bench"
    )
    parser.add_argument("--keep", action="store_true", help="reuse a data set of the right size")
    parser.add_argument(
        "--keep-index", action="store_true", help="with --keep, reuse its index too, if built"
    )
    parser.add_argument("--build-only", action="store_true", help="build the data set only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for database in args.databases.split(","):
        if database == "postgresql":
            ensure_postgres_database(args.postgres)
            url = args.postgres
        else:
            url = sqlite_url("search.sqlite3")
        say(f"{database}: {args.articles:,} articles …")
        out = run_child(
            __file__,
            ["--child", "--articles", str(args.articles)]
            + (["--keep"] if args.keep else [])
            + (["--keep-index"] if args.keep_index else [])
            + (["--build-only"] if args.build_only else []),
            site_env(url, PAGE_CACHE="0"),
        )
        results.append(json.loads(out.strip().splitlines()[-1]))
        # Each database's figures kept as they come: the other may take an hour more.
        (OUT / f"search-{database}-{args.articles}.json").write_text(json.dumps(results[-1]))
    if args.build_only:
        return

    for result in results:
        built = result["built"]
        if not built:
            how = "articles and index kept from an earlier run"
        elif "load_seconds" in built:
            how = (
                f"loaded in {built['load_seconds']:.0f} s (tokenizing"
                f" {built['tokenize_seconds']:.0f} s), index built in {built['index_seconds']:.1f} s"
            )
        else:
            how = f"articles kept from an earlier run, index rebuilt in {built['index_seconds']:.1f} s"
        print(
            f"\n{result['vendor']}: {result['articles']:,} articles, ~{result['avg_chars']:,} "
            f"characters each; {how}; "
            + ", ".join(f"{k} {mb(v)}" for k, v in result["index_size"].items())
            + f"; token columns {result['token_chars'] / 1e6:,.0f} M characters;"
            f" database {mb(result['database_bytes'])}; load average at the end "
            + " ".join(f"{x:.2f}" for x in result["load"])
        )
        floor = result["floor"]
        print(
            f"floor: /articles/ without a query, count and facets memoised: median"
            f" {floor['median']:.1f} ms, p95 {floor['p95']:.1f} ms"
        )
        print("first requests (nothing memoised), median / p95 ms:")
        print(f"{'query kind':<20} {'page':>13} {'search':>13} {'facets':>13} {'page 2':>13} "
              f"{'matches min/med/max':>22} {'exact':>6}")  # fmt: skip
        for row in result["rows"]:
            cells = [
                f"{t['median']:.1f} / {t['p95']:.1f}" if t else "—"
                for t in (row["times"][k] for k in ("page", "search", "facets", "page 2"))
            ]
            hits = "/".join(f"{h:,.0f}" for h in row["hits"])
            exact = "yes" if not row["wrong"] else f"{len(row['wrong'])} off"
            print(
                f"{row['kind']:<20} "
                + " ".join(f"{c:>13}" for c in cells)
                + f" {hits:>22} {exact:>6}"
            )
            for line in row["wrong"]:
                print(f"    {line}")


if __name__ == "__main__":
    main()

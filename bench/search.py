"""Search benchmark: 100,000 articles of ~2,000 Chinese characters, on SQLite and PostgreSQL.

Run on purpose, not as a test (it is CPU-heavy and takes minutes):

    .venv/bin/python bench/search.py [--articles 100000] [--databases sqlite,postgresql]

For each database it builds its own data set (SQLite in a temporary file; PostgreSQL in the
database named by --postgres, created if missing and emptied first), times the index build,
then runs 20 queries of each kind the way /articles/?q= does (first page of 20, ranked, and
the total count), and checks every result set against a brute-force substring scan of the
folded text: exact recall and precision, or the query is reported. Prints one table.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
LATIN = words("DeepSeek Kimi GDP BYD AI Qwen OpenAI Nvidia ARM RISC-V 5G IPO ESG Tesla Huawei")
FILLER = words(
    "发展 经济 产业 企业 城市 政策 创新 投资 市场 增长 数据 显示 今年 同比 项目 建设 推进 加快 "
    "区域 合作 技术 人才 服务 平台 园区 制造 规模 结构 转型 升级 消费 出口 财政 收入 人口 "
    "就业 研发 资本 融资 基金 地方 政府 规划 布局 链条 龙头 配套 集群 生态 环境 营商 改革 开放 "
    "开发区 高新区 指标 总量 排名 全国 省会 一线 二线 核心 引领 带动 辐射 协同 融合 数字 绿色 "
    "低碳 能源 交通 港口 物流 航运 高校 科研 院所 实验室 成果 转化 专利 标准 品牌 质量 效益"
)

# What readers type: 20 of each kind. Traditional queries are folded to simplified.
QUERIES = {
    "two-character word": [*CITIES[:14], "芯片", "算力", "光伏", "储能", "园区", "龙头"],
    "longer word/phrase": [*PLACES, *INDUSTRIES[4:14]],
    "Latin name": ["deepseek", "Kimi", "GDP", "byd", "AI", "qwen", "OpenAI", "NVIDIA", "arm", "risc-v",
                   "5G", "IPO", "esg", "tesla", "huawei", "Deep Seek", "gdp 2024", "ai芯片", "5g 基站", "kimi k2"],
    "traditional": ["長三角", "上海博物館", "廣州", "蘇州", "無錫", "鄭州", "長沙", "濟南", "廈門", "寧波",
                    "積體電路", "新能源汽車", "人工智慧", "機器人", "數字經濟", "動力電池", "張江科學城",
                    "粵港澳大灣區", "海康威視", "阿里雲"],
    "mixed": ["DeepSeek 杭州", "上海 芯片", "南京 人工智能", "GDP 深圳", "Kimi 北京", "合肥 新能源汽车",
              "成都，重庆", "苏州、无锡", "BYD 深圳 电池", "AI 大模型", "5G 深圳", "Huawei 东莞",
              "杭州 阿里云", "上海 张江", "武汉 光谷", "西安 半导体", "青岛 港口", "天津 航运",
              "厦门 出口", "长沙 机器人"],
    "single character": ["芯", "渝", "沪", "粤", "京", "杭", "宁", "汉", "港", "链", "电", "光", "算",
                         "云", "药", "车", "海", "湾", "锂", "氢"],
}  # fmt: skip


def article_texts(n, seed=7):
    """n (title, body) pairs: realistic length, known vocabulary, deterministic."""
    rng = random.Random(seed)
    topics = CITIES + INDUSTRIES + PLACES
    for i in range(n):
        focus = rng.sample(topics, 3)
        latin = rng.sample(LATIN, 2) if rng.random() < 0.3 else []
        words = rng.choices(FILLER, k=900)
        for word in focus + latin:
            for _ in range(rng.randint(1, 6)):
                words.insert(rng.randrange(len(words)), word)
        sentences = []
        for start in range(0, len(words), 9):
            sentences.append("".join(words[start : start + 9]) + rng.choice("，。，。；"))
        body = "\n\n".join("".join(sentences[p : p + 8]) for p in range(0, len(sentences), 8))
        title = f"{focus[0]}的{focus[1]}观察（{i}）"
        yield title, body


def child(args):
    """Build and measure one database; print the results as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles import search
    from articles.models import Article
    from articles.text import fold

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("TRUNCATE articles_article RESTART IDENTITY CASCADE")
            cursor.execute("DROP INDEX IF EXISTS article_search_vector_idx")
        else:
            cursor.execute("DELETE FROM articles_article")
            for sql in search.SQLITE_DROP_TRIGGERS:  # the index is built once, below
                cursor.execute(sql)

    now = datetime.now(UTC)
    folded, started = [], time.perf_counter()
    tokenize_seconds = 0.0
    batch = []
    for i, (title, body) in enumerate(article_texts(args.articles)):
        t0 = time.perf_counter()
        title_tokens, body_tokens = search.index_text(title), search.index_text(body)
        tokenize_seconds += time.perf_counter() - t0
        folded.append(fold(f"{title}\n{body}"))
        batch.append(
            Article(
                title=title,
                slug=f"a{i}",
                body=body,
                body_html="",  # not read by search; rendering 100,000 bodies is not measured here
                status="published",
                published_at=now - timedelta(minutes=i),
                search_title=title_tokens,
                search_body=body_tokens,
            )
        )
        if len(batch) == BATCH:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    load_seconds = time.perf_counter() - started

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "CREATE INDEX article_search_vector_idx ON articles_article USING gin (search_vector)"
            )
            cursor.execute("ANALYZE articles_article")
        else:
            cursor.execute(
                f"INSERT INTO {search.FTS5_TABLE}({search.FTS5_TABLE}) VALUES ('rebuild')"
            )
            cursor.execute(
                f"INSERT INTO {search.FTS5_TABLE}({search.FTS5_TABLE}) VALUES ('optimize')"
            )
            for sql in search.SQLITE_TRIGGERS:
                cursor.execute(sql)
            cursor.execute("ANALYZE")
    index_seconds = time.perf_counter() - t0

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT pg_relation_size('article_search_vector_idx'),"
                " (SELECT sum(pg_column_size(search_vector)) FROM articles_article),"
                " pg_total_relation_size('articles_article')"
            )
            index_bytes, vector_bytes, table_bytes = cursor.fetchone()
            index_size = {"GIN index": index_bytes, "tsvector column": vector_bytes}
        else:
            cursor.execute(
                f"SELECT (SELECT sum(length(block)) FROM {search.FTS5_TABLE}_data),"
                f" (SELECT count(*) * 64 FROM {search.FTS5_TABLE}_idx)"
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

    published = Article.objects.published()
    rows = []
    for kind, queries in QUERIES.items():
        latencies, wrong, hits = [], [], []
        for query in queries:
            t0 = time.perf_counter()
            ranked = published.search(query).order_by("-search_rank", "-published_at", "-pk")
            first_page = list(ranked.values_list("pk", flat=True)[:20])
            total = ranked.count()
            latencies.append((time.perf_counter() - t0) * 1000)
            found = {pk for pk in published.search(query).values_list("pk", flat=True)}
            expected = scan(folded, search.terms(query), search.CJK)
            hits.append(total)
            if found != expected or len(first_page) != min(20, total):
                wrong.append(f"{query}: found {len(found)}, scan {len(expected)}")
        latencies.sort()
        rows.append(
            {
                "kind": kind,
                "median": statistics.median(latencies),
                "p95": latencies[int(len(latencies) * 0.95) - 1],
                "max": latencies[-1],
                "hits": (min(hits), statistics.median(hits), max(hits)),
                "wrong": wrong,
            }
        )
    print(
        json.dumps(
            {
                "vendor": vendor,
                "articles": args.articles,
                "avg_chars": round(statistics.mean(len(t) for t in folded[:1000])),
                "load_seconds": load_seconds,
                "tokenize_seconds": tokenize_seconds,
                "index_seconds": index_seconds,
                "index_size": index_size,
                "token_chars": token_chars,
                "database_bytes": table_bytes,
                "rows": rows,
            }
        )
    )


def scan(folded, query_terms, cjk):
    """Article ids (1-based, in insertion order) whose folded text holds every term."""
    patterns = []
    for kind, toks in query_terms:
        if kind == "word":
            # A word token: not preceded or followed by another letter or digit of a Latin run.
            patterns.append(re.compile(rf"(?<![^\W_{cjk}]){re.escape(toks[0])}(?![^\W_{cjk}])"))
        else:
            patterns.append(toks[0] + "".join(tok[1] for tok in toks[1:]))
    found = set()
    for i, text in enumerate(folded, start=1):
        if all((p in text) if isinstance(p, str) else p.search(text) for p in patterns):
            found.add(i)
    return found


def ensure_postgres_database(url):
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def mb(n):
    return f"{n / 1e6:,.0f} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/regional_i3_bench"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for database in args.databases.split(","):
            if database == "postgresql":
                ensure_postgres_database(args.postgres)
                url = args.postgres
            else:
                url = f"sqlite:///{tmp}/bench.sqlite3"
            env = {**os.environ, "DATABASE_URL": url}
            env.pop("DEBUG", None)
            print(f"building {args.articles:,} articles on {database} …", file=sys.stderr)
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--articles", str(args.articles)],
                env=env,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if out.returncode:
                sys.exit(out.stderr)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))

    for result in results:
        print(
            f"\n{result['vendor']}: {result['articles']:,} articles, ~{result['avg_chars']:,} "
            f"characters each; loaded in {result['load_seconds']:.0f} s "
            f"(tokenizing {result['tokenize_seconds']:.0f} s), index built in "
            f"{result['index_seconds']:.1f} s; "
            + ", ".join(f"{k} {mb(v)}" for k, v in result["index_size"].items())
            + f"; token columns {result['token_chars'] / 1e6:,.0f} M characters;"
            f" database {mb(result['database_bytes'])}"
        )
        print(f"{'query kind':<20} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
              f"{'hits min/med/max':>22} {'exact':>6}")  # fmt: skip
        for row in result["rows"]:
            hits = "/".join(f"{h:,.0f}" for h in row["hits"])
            exact = "yes" if not row["wrong"] else f"{len(row['wrong'])} off"
            print(
                f"{row['kind']:<20} {row['median']:>10.1f} {row['p95']:>8.1f} {row['max']:>8.1f} "
                f"{hits:>22} {exact:>6}"
            )
            for line in row["wrong"]:
                print(f"    {line}")


if __name__ == "__main__":
    main()

"""What the benchmarks in bench/ share: where they keep their data, the data set's size, the
environment the site runs with, running the benchmark itself as a child process that sets
Django up, and the database chores around a data set (creating the PostgreSQL database,
refreshing the planner's statistics).

Each benchmark keeps its own data generator: load.py caches Markdown articles in
bench/out/bench.sqlite3 and measures pages over them; search.py regenerates its texts to check
every answer against a brute-force scan. One generator for both would change what each measures.
Only load.py starts servers and runs wrk, and each prints its own table.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
SECRET = "bench-only-secret-key-that-is-long-enough-for-production-checks-0123456789"
# The data set BENCHMARKS.md sets the targets on.
ARTICLES, TAGS, CITY_ROWS = 100_000, 2_000, 300


def say(*parts):
    """Progress goes to stderr: stdout is for the tables (and a child's JSON)."""
    print(*parts, file=sys.stderr, flush=True)


def sqlite_url(name):
    return f"sqlite:///{OUT / name}"


def site_env(database_url, **extra):
    """The environment of the site with its production settings, on database_url.

    The caller's DEBUG, settings module and REDIS_URL are dropped: a benchmark uses Redis only
    where it asks for it, never the caller's cache by accident.
    """
    dropped = {"DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return env | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "siteconf.settings",
        **extra,
    }


def run_child(script, args, env):
    """Run the benchmark script again with args, in a child with env; what it prints.

    Django is set up in the child only: each database gets a fresh process and settings.
    """
    result = subprocess.run(
        [PYTHON, script, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    if result.returncode:
        raise SystemExit(f"{Path(script).name} {args[0]} failed (exit {result.returncode})")
    return result.stdout


def setup_django():
    """In a child started by run_child: make the project importable and set Django up."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_postgres_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def analyze():
    """What autovacuum would do in time for a freshly loaded data set: statistics for the
    planner, and on PostgreSQL a visibility map so that index-only scans need not visit the
    table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

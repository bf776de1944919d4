"""SQLite with several writers at once, as a small newsroom produces: nobody sees
"database is locked". Runs real processes on a database file with the site's settings
(WAL, IMMEDIATE transactions, a busy timeout), whichever database the suite itself uses."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4
ARTICLES_EACH = 10

# Read, then write, in one transaction, with tags: the pattern that fails at once under
# SQLite's default deferred transactions when another process holds the write lock. Editors
# pause between saves (here 0.2 s, far less than people do): writers saving back to back on a
# saturated machine can starve one another past the busy timeout, which is a load test of
# SQLite, not a newsroom.
WRITE = """
import os, time
from django.db import transaction
from articles.models import Article
me = os.environ["WRITER"]
for n in range({count}):
    with transaction.atomic():
        seen = Article.objects.count()
        article = Article.objects.create(title=f"并发写入 {{me}}-{{n}}", summary=str(seen), status="published")
        article.tags.set(["并发", f"作者{{me}}"])
    time.sleep(0.2)
"""


def manage(*args, db_file, **extra_env):
    env = os.environ | {"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{db_file}"} | extra_env
    env.pop("DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_writers_never_see_database_is_locked(tmp_path):
    db_file = tmp_path / "newsroom.sqlite3"
    migrate = manage("migrate", "--noinput", db_file=db_file)
    assert migrate.wait(timeout=120) == 0, migrate.stderr.read()

    writers = [
        manage(
            "shell",
            "-v",
            "0",
            "-c",
            WRITE.format(count=ARTICLES_EACH),
            db_file=db_file,
            WRITER=str(i),
        )
        for i in range(WRITERS)
    ]
    results = [(w.wait(timeout=180), w.stderr.read()) for w in writers]
    for code, stderr in results:
        assert "database is locked" not in stderr, stderr
        assert code == 0, stderr

    count = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from articles.models import Article; from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(Article.objects.count(), c.fetchone()[0])",
        db_file=db_file,
    )
    out, err = count.communicate(timeout=60)
    assert out.split() == [str(WRITERS * ARTICLES_EACH), "wal"], err

"""Load the articles bench/compare.py exported (JSON lines) into the blog, once.

Run with the Wagtail environment's Python: DATABASE_URL=… python load_blog.py articles.jsonl
Pages are added one by one, as an editor's publish adds them (tree position, search index).
"""

import json
import os
import sys
import time
from datetime import datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagtail_blog.settings")
import django

django.setup()

from blog.models import BlogIndexPage, BlogPage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402


def main(path):
    call_command("migrate", verbosity=0)
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]  # noqa: SIM115
    if BlogPage.objects.live().count() == len(rows):
        print(f"  Wagtail: data set present ({len(rows):,} posts)", file=sys.stderr)
        return
    started = time.monotonic()
    with transaction.atomic():
        for index in BlogIndexPage.objects.all():
            index.get_descendants().delete()
            index.delete()
        root = Page.get_first_root_node()
        blog = root.add_child(instance=BlogIndexPage(title="文章", slug="articles"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": blog}
        )
        for n, row in enumerate(rows, 1):
            published = datetime.fromisoformat(row["published_at"])
            post = BlogPage(
                title=row["title"],
                slug=row["slug"],
                date=published,
                intro=row["summary"],
                body=row["body_html"],
                first_published_at=published,
                last_published_at=published,
            )
            post.tags.add(*row["tags"])
            blog.add_child(instance=post)
            if n % 1000 == 0:
                print(f"    Wagtail: {n:,} posts", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum would
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  Wagtail: loaded in {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])

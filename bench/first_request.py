"""The first request after an editor's change: how long home, the list, a tag page and an
article page take for the first reader after a draft's save and after a publication.

    .venv/bin/python bench/first_request.py [--articles 3000] [--rounds 5]

In one process with Django's test client and the page cache in local memory, on a fresh SQLite
database in bench/out/ (PostgreSQL with DATABASE_URL): builds the data set with bulk_create
(then forget_version() makes the counts), warms every page, then, each round, saves a draft (a
revision with it) and times each page's first request, and publishes a draft and times them
again. Prints the median and the worst of each, with the load average.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("home", "list", "tag", "article")


def build(articles, tags, cities):
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, ArticleTag, City

    rng = random.Random(21)
    now = timezone.now()
    city_rows = City.objects.bulk_create(
        City(name=f"城市{n}", slug=f"city{n}", region="长三角") for n in range(cities)
    )
    tag_rows = Tag.objects.bulk_create(Tag(name=f"产业{n}", slug=f"tag{n}") for n in range(tags))
    paragraph = "城市产业与区域经济的观察，" * 20
    rows = [
        Article(
            title=f"第{n}篇：城市与产业",
            slug=f"a{n}",
            summary="摘要",
            body=(paragraph + "\n\n") * 8,
            body_html=f"<p>{paragraph}</p>" * 8,
            status="published" if n % 20 else "draft",
            published_at=now - timedelta(minutes=10 + n * 37),
        )
        for n in range(articles)
    ]
    rows = Article.objects.bulk_create(rows, batch_size=500)
    ArticleTag.objects.bulk_create(
        (
            ArticleTag(content_object=article, tag=tag)
            for article in rows
            for tag in rng.sample(tag_rows, 3)
        ),
        batch_size=2000,
    )
    through = Article.cities.through
    through.objects.bulk_create(
        (through(article=article, city=rng.choice(city_rows)) for article in rows),
        batch_size=2000,
    )
    user = get_user_model().objects.create_user("bench-editor", is_staff=True)
    return user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    database = out / "first_request.sqlite3"
    database.unlink(missing_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Pages name their static files unhashed: nothing collected is needed to render them.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    import siteconf
    from django.core.management import call_command
    from django.test import Client
    from taggit.models import Tag

    import articles
    from articles.caching import forget_version
    from articles.editorial.revisions import save_with_revision
    from articles.models import Article

    call_command("migrate", verbosity=0)
    user = build(args.articles, 200, 50)
    forget_version()
    client = Client()
    timings = {(when, page): [] for when in ("draft", "publish") for page in PAGES}

    def first_requests(when):
        newest = Article.objects.published().newest_first().first()
        tag = Tag.objects.filter(article=newest).first()
        urls = {
            "home": "/",
            "list": "/articles/",
            "tag": f"/tags/{tag.slug}/",
            "article": Article.objects.published().newest_first()[40].get_absolute_url(),
        }
        for page, url in urls.items():
            start = time.perf_counter()
            assert client.get(url).status_code == 200, url
            if when:
                timings[(when, page)].append((time.perf_counter() - start) * 1000)

    drafts = list(Article.objects.filter(status="draft").order_by("pk")[: args.rounds])
    for draft in drafts:
        first_requests(None)  # every page cached
        draft.body += "\n\n又改了一句。"
        save_with_revision(draft, user)
        first_requests("draft")
        draft.refresh_from_db()
        draft.published_at = None  # published now: the newest, on home, the list and its tags
        draft.publish()
        save_with_revision(draft, user)
        first_requests("publish")
    load = os.getloadavg()
    print(
        f"code: {Path(articles.__file__).parent.parent}; settings: {Path(siteconf.__file__).parent}"
    )
    print(
        f"{args.articles} articles, {args.rounds} rounds; load average {load[0]:.2f} {load[1]:.2f}"
    )
    print("first request after …   median ms / worst ms")
    for (when, page), values in timings.items():
        print(f"  {when:8} {page:8} {statistics.median(values):8.1f} {max(values):8.1f}")


if __name__ == "__main__":
    main()

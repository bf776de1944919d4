"""Editor benchmark: how long an editor waits for a save with a 36-megapixel cover and for a
tag merge over 10,000 articles, and how long the worker then spends on what they left it.

Run on purpose, not as a test (a minute on one core; before issue 21 the merge took minutes):

    .venv/bin/python bench/editor.py [--database-url URL] [--articles 10000] [--rounds 3]

It builds its own database (bench/out/editor.sqlite3, or URL's, emptied first), signs an
editor of the real 编辑 role in (with a second factor, as the admin asks), and posts the admin's
own forms through Django's test client in this process: the time is the request's, from the
first middleware to the answer, without a network or a browser. The cover is a 7,360×4,912
JPEG (36.2 megapixels) made with Pillow, with camera metadata. Prints a table and the load
average.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, ensure_postgres_database, say, site_env, sqlite_url  # noqa: E402

COVER_SIZE = (7360, 4912)


def cover_bytes():
    """A photo-like picture: smooth colour with fine grain (about 5.7 MB, under
    COVER_MAX_BYTES), with camera metadata."""
    from PIL import Image, ImageChops

    width, height = COVER_SIZE
    gradients = (
        Image.linear_gradient("L"),
        Image.radial_gradient("L"),
        Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_180),
    )
    channels = []
    for gradient in gradients:
        grain = Image.effect_noise((width // 4, height // 4), 24).resize((width, height))
        channels.append(ImageChops.add(gradient.resize((width, height)), grain, scale=2.0))
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=85, exif=exif.tobytes())
    return buffer.getvalue()


def editor_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from siteconf.admin import give_second_factor

    from articles.management.commands.setup_roles import EDITOR

    call_command("setup_roles", stdout=io.StringIO())
    user = get_user_model().objects.create_user("bench-editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    give_second_factor(user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return client


def form(**fields):
    return {
        "title": "封面测试",
        "slug": "",
        "summary": "摘要",
        "body": "正文。",
        "tags": "基准",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "source": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        **fields,
    }


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def waiting_tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").count()


def run_worker():
    """The worker until nothing is left (nothing to do before issue 21: the work was done)."""
    from django.core.management import call_command

    if not waiting_tasks():
        return None
    seconds, _ = timed(
        lambda: call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )
    )
    return seconds


def save_with_cover(client, data, rounds):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    add = reverse("admin:articles_article_add")
    requests, workers = [], []
    for n in range(rounds):
        upload = SimpleUploadedFile("IMG_0001.jpg", data, content_type="image/jpeg")
        fields = form(title=f"封面测试 {n}", cover_image=upload, cover_alt="图")
        seconds, response = timed(lambda fields=fields: client.post(add, fields))
        assert response.status_code == 302, response.content[:2000]
        requests.append(seconds)
        workers.append(run_worker())
    return requests, workers


def make_articles(count):
    """count published articles tagged AI (and every tenth 人工智能 too), in bulk."""
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, ArticleTag

    body = "杭州和南京的产业对比。" * 60
    now = timezone.now()
    Article.objects.bulk_create(
        (
            Article(
                title=f"基准文章 {n}",
                slug=f"bench-{n}",
                summary="摘要",
                body=body,
                body_html=f"<p>{body}</p>",
                status=Article.Status.PUBLISHED,
                published_at=now,
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    ai, _ = Tag.objects.get_or_create(name="AI", slug="ai")
    keep, _ = Tag.objects.get_or_create(name="人工智能", slug="rengong-zhineng")
    ids = list(Article.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    rows = [ArticleTag(content_object_id=pk, tag=ai) for pk in ids]
    rows += [ArticleTag(content_object_id=pk, tag=keep) for pk in ids[::10]]
    ArticleTag.objects.bulk_create(rows, batch_size=1000)
    return ai, keep


def merge(client, ai, keep):
    from django.urls import reverse

    changelist = reverse("admin:taggit_tag_changelist")
    data = {
        "action": "merge_tags",
        "_selected_action": [ai.pk, keep.pk],
        "target": keep.pk,
        "confirm": "1",
    }
    seconds, response = timed(lambda: client.post(changelist, data))
    assert response.status_code == 302, response.content[:2000]
    return seconds, run_worker()


def measure(args):
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", "--noinput", verbosity=0)
    client = editor_client()
    data = cover_bytes()
    say(f"cover: {COVER_SIZE[0]}×{COVER_SIZE[1]}, {len(data) / 1_048_576:.1f} MB")
    requests, workers = save_with_cover(client, data, args.rounds)
    load_cover = os.getloadavg()[0]
    say(f"making {args.articles:,} articles")
    ai, keep = make_articles(args.articles)
    say("merging AI into 人工智能")
    merge_seconds, merge_worker = merge(client, ai, keep)
    load_merge = os.getloadavg()[0]

    def worker(seconds):
        return "—" if seconds is None else f"{seconds:.2f} s"

    print(f"database: {connection.vendor}")
    print("| what | editor waits | worker then | load average (1 min) |")
    print("|---|---|---|---|")
    print(
        f"| save with a 36-megapixel cover (median of {args.rounds}) | "
        f"{statistics.median(requests):.2f} s | "
        f"{worker(statistics.median(workers) if None not in workers else None)} | "
        f"{load_cover:.2f} |"
    )
    print(
        f"| tag merge over {args.articles:,} articles | {merge_seconds:.2f} s | "
        f"{worker(merge_worker)} | {load_merge:.2f} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=sqlite_url("editor.sqlite3"))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.database_url.startswith("postgres"):
        ensure_postgres_database(args.database_url)
    os.environ.update(site_env(args.database_url, MEDIA_ROOT=str(OUT / "editor-media")))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    measure(args)


if __name__ == "__main__":
    main()

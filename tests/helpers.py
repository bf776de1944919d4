"""Plain helpers that several test modules share: the admin's article form and its actions,
cover pictures and uploads, and the API's endpoints.

Fixtures live in conftest.py; a test module imports from here, never from another test module.
"""

import io
import signal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.management.commands import db_worker
from PIL import Image

ADD = reverse("admin:articles_article_add")
WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
CHANGELIST = reverse("admin:articles_article_changelist")

# Every path the API's OpenAPI schema lists.
ENDPOINTS = {
    "/api/v1/articles/",
    "/api/v1/articles/{slug}/",
    "/api/v1/tags/",
    "/api/v1/cities/",
    "/api/v1/cities/{slug}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{slug}/",
}


class Crash(Exception):
    """What a test raises to play a worker dying half-way through a save."""


def article_form(**overrides):
    """The admin's article change form as a browser posts it, with one original link."""
    data = {
        "title": "杭州有DeepSeek，南京有什么？",
        "slug": "",
        "summary": "两座城市的对比。",
        "body": "## 差距\n\n2024 年两市 GDP 相差约 3,359 亿元。",
        "tags": "人工智能，DeepSeek、城市竞争",
        "cities": [],
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "source": "本刊编辑部 · 城市观察",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-title": "原文",
        "links-0-url": "https://example.com/original",
    }
    data.update(overrides)
    return data


def run_action(client, action, *objects, changelist=CHANGELIST, follow=False, **data):
    """Tick `objects` in an admin list (the article list unless told) and run `action`."""
    form = {"action": action, "_selected_action": [obj.pk for obj in objects], **data}
    return client.post(changelist, form, follow=follow)


def picture(fmt="JPEG", size=(2000, 1000), exif=False, mode="RGB"):
    """The bytes of a plain picture, with camera metadata if asked."""
    image = Image.new(mode, size, "#b0282f" if mode == "RGB" else 0)
    buffer = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "PhotoTool 1.0"  # Software
        options["exif"] = data.tobytes()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(content, name="封面.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_with_cover(client, content, alt="杭州钱江新城夜景", share_image="", **kwargs):
    """Add a published article with `content` as its cover through the admin, and let the task
    that prepares the cover run (tests.conftest runs tasks at once, after the commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            ADD,
            article_form(
                status="published",
                cover_image=upload(content, **kwargs),
                cover_alt=alt,
                share_image=share_image,
            ),
        )


def run_worker(**options):
    """django-tasks' database worker (manage.py db_worker), in this process and on the test's
    database, until no task is ready (or after max_tasks=N); the signal handlers it installs
    are given back to pytest after. Its close_old_connections() would drop the connection that
    holds the test's transaction (PostgreSQL), so it is left out, as Django's TestCase leaves
    it out of requests."""
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    try:
        with mock.patch(f"{db_worker.__name__}.close_old_connections"):
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                interval=0,
                verbosity=0,
                **options,
            )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def files_under(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def has_second_factor(username):
    return TOTPDevice.objects.filter(user__username=username, confirmed=True).exists()


def otp_code(username):
    """The code the person's authenticator app shows now. Each code is accepted once, so the
    device forgets the last one it took: a test may sign in twice within 30 seconds."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{totp.token():0{device.digits}d}"

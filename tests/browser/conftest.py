"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They skip, saying which package is missing, where Chromium (or, for accessibility, node and
axe-core) is not installed. Playwright never downloads a browser here.
"""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.browser.helpers import EDITOR_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module.

    Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses ORM
    calls from a thread with a running loop. The calls here are plain blocking test set-up and
    checks, so the refusal is lifted while Playwright runs, and only then: set for the whole
    suite, it would also reach `check --deploy`, which rightly rejects it.
    """
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk"
        )
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def axe_source():
    if shutil.which("node") is None or not AXE.exists():
        pytest.skip(
            "accessibility tests need axe-core: apt-get install nodejs npm, then `npm ci` "
            "(make test does it)"
        )
    return AXE.read_text()


class Page:
    """A Playwright page on the live server that records CSP violations and script errors."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.set_default_timeout(10_000)

    def _console(self, message):
        # A 404 of the page itself is logged too, and the test checks that status: no fault.
        url = message.location["url"]
        if message.type == "error" and url != self.page.url:
            self.problems.append(f"console: {message.text} ({message.location['url']})")

    def open(self, path):
        response = self.page.goto(self.base_url + path)
        return response

    def screenshot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def _wait_for_requests_in_flight(limit=5.0):
    """A closed page's last requests (a heartbeat, the goodbye beacon) may still be served;
    the test database is flushed only once they are done (each is served in its own thread)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture
def open_page(transactional_db, chromium, live_server):
    """open_page(**context_options) -> Page; every page is checked for problems at the end.

    Set up after the database and torn down before it: an open change form keeps asking the
    server (presence, autosave), and a request served after the test database is gone fails."""
    contexts, pages = [], []

    def make(**options):
        context = chromium.new_context(locale="zh-CN", **options)
        contexts.append(context)
        page = Page(context.new_page(), live_server.url)
        pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    _wait_for_requests_in_flight()
    for page in pages:
        assert page.problems == [], "the browser reported errors (CSP violations?)\n" + "\n".join(
            page.problems
        )


@pytest.fixture
def newsroom(transactional_db, role_user, make_city, make_article):
    """An Editor's account, two cities, and articles the reader's filters must tell apart."""
    editor = role_user("editor", "编辑", password=EDITOR_PASSWORD)
    hangzhou = make_city(
        "杭州",
        "hangzhou",
        name_en="Hangzhou",
        province="浙江省",
        region="长三角",
        figures=[(2024, "21860", "1262")],
        tags=["数字经济"],
        summary="浙江省会，数字经济重镇。",
    )
    nanjing = make_city(
        "南京", "nanjing", name_en="Nanjing", province="江苏省", region="长三角",
        figures=[(2024, "18500.81", "957.70")],
    )  # fmt: skip
    make_article(title="南京的人工智能与芯片", tags=["人工智能", "芯片"], cities=[nanjing])
    make_article(title="杭州的人工智能", tags=["人工智能"], cities=[hangzhou])
    make_article(title="长三角的芯片产业", tags=["芯片"], cities=[hangzhou, nanjing])
    return {"editor": editor, "hangzhou": hangzhou, "nanjing": nanjing}


@pytest.fixture(autouse=True)
def plain_static_names(settings):
    """The live server serves static files from the apps' folders, by their plain names,
    ahead of WhiteNoise; so the pages must ask for plain names, not the hashed ones."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }

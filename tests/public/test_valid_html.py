"""Every public page type is valid HTML, as the Nu Html Checker (the W3C validator's engine,
vnu-jar from npm, pinned in package-lock.json) reads it: the demo content, each page type once,
a search, a filtered list, the comparison, a 404. Errors fail; warnings are left to taste."""

import json
import shutil
import subprocess
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, City, Organisation, Subscription, public_tags

VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


@pytest.fixture
def checker():
    if not shutil.which("java"):
        pytest.skip("java is missing: apt-get install default-jre-headless (the Nu Html Checker)")
    if not VNU.exists():
        pytest.skip("vnu-jar is missing: make axe (npm ci) installs it")

    def check(pages):
        """pages: {name: html}; returns the checker's errors as 'name:line: message'."""
        folder = Path(tempfile.mkdtemp(prefix="vnu-"))
        try:
            for name, html in pages.items():
                (folder / f"{name}.html").write_text(html, encoding="utf-8")
            run = subprocess.run(
                ["java", "-Xss2m", "-jar", str(VNU), "--errors-only", "--format", "json", folder],
                capture_output=True,
                text=True,
                timeout=300,
            )
            messages = json.loads(run.stderr or '{"messages": []}')["messages"]
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return [
            f"{Path(m['url']).stem}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages
            if m["type"] == "error"
        ]

    return check


def public_urls():
    article = Article.objects.published().filter(cover_image="").first() or (
        Article.objects.published().first()
    )
    with_cover = Article.objects.published().exclude(cover_image="").first() or article
    tag = public_tags().first()
    cities = list(City.objects.order_by("pk")[:3])
    organisation = Organisation.objects.first()
    return {
        "home": "/",
        "list": "/articles/",
        "list-filtered": f"/articles/?tag={tag.slug}&city={cities[0].slug}&sort=oldest",
        "search": "/articles/?q=杭州",
        "search-none": "/articles/?q=没有这个词语",
        "article": article.get_absolute_url(),
        "article-cover": with_cover.get_absolute_url(),
        "tags": "/tags/",
        "tag": tag.get_absolute_url(),
        "cities": "/cities/",
        "city": cities[0].get_absolute_url(),
        "compare": "/cities/compare/?" + "&".join(f"c={c.slug}" for c in cities),
        "organisations": "/organisations/",
        "organisation": organisation.get_absolute_url(),
        "subscribe": "/subscribe/",
        "subscribe-tag": f"/subscribe/?tag={tag.slug}",
        "not-found": "/articles/没有这篇/",
    }


def test_every_public_page_type_is_valid_html(client, db, checker, make_article):
    call_command("loaddemo", stdout=StringIO())
    just_now = make_article(title="刚刚发布", published_at=timezone.now())  # microseconds
    assert just_now.published_at.microsecond
    pages = {}
    urls = public_urls() | {"just-published": just_now.get_absolute_url()}
    urls |= {f"hant-{name}": f"/hant{urls[name]}" for name in ("article", "search", "city", "home")}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        pages[name] = response.content.decode()
    asked = client.post("/subscribe/", {"email": "r@example.cn", "frequency": "weekly"})
    token = Subscription.objects.get().token
    pages["subscription-asked"] = asked.content.decode()
    pages["subscription-bad"] = client.post("/subscribe/", {"email": "x"}).content.decode()
    pages["unsubscribe"] = client.get(f"/subscriptions/{token}/unsubscribe/").content.decode()
    pages["subscription-done"] = client.get(f"/subscriptions/{token}/confirm/").content.decode()
    pages["unsubscribed"] = client.post(f"/subscriptions/{token}/unsubscribe/").content.decode()
    errors = checker(pages)
    assert not errors, "\n".join(errors)

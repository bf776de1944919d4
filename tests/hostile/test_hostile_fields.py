"""Script and event-handler payloads typed into every field an editor fills, saved through
the admin forms, come out as harmless text on every page that shows them."""

import html
import re
from xml.etree import ElementTree

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from articles.models import Article, City, Organisation
from tests.helpers import article_form, picture, upload
from tests.hostile.payloads import HANDLER, PAYLOAD, SCRIPT, runnable_markup

MARKDOWN_ATTACKS = "\n\n".join(
    [
        "[点我](javascript:alert(1))",
        "[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[大写](JaVaScRiPt:alert(1))",
        "[实体](&#106;avascript:alert(1))",
        "![图](javascript:alert(1))",
        '<a href="javascript:alert(1)">原始链接</a>',
        "<iframe src=https://evil.example></iframe>",
        "<svg onload=alert(1)>",
        SCRIPT,
        HANDLER,
    ]
)


def city_form(**overrides):
    data = {
        "name": "城" + HANDLER[:40],
        "name_en": "Evil" + SCRIPT,
        "slug": "evil-city",
        "province": "省" + SCRIPT,
        "region": "区" + SCRIPT,
        "summary": "简介" + PAYLOAD,
        "body": "介绍" + PAYLOAD + "\n\n" + MARKDOWN_ATTACKS,
        "tags": "产业" + SCRIPT,
        "indicator_values-TOTAL_FORMS": "0",
        "indicator_values-INITIAL_FORMS": "0",
        "figures-TOTAL_FORMS": "1",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
        "figures-0-year": "2024",
        "figures-0-gdp": "100",
        "figures-0-gdp_source": 'https://example.com/x"onmouseover=alert(1) ' + PAYLOAD,
        "figures-0-population": "",
        "figures-0-population_source": "javascript:alert(1)",
        "figures-0-gdp_rank": "",
        "figures-0-gdp_rank_source": PAYLOAD,
    }
    data.update(overrides)
    return data


ORGANISATION = "机构" + PAYLOAD
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def organisation_form(city):
    return {
        "name": ORGANISATION,
        "name_en": "Org" + SCRIPT,
        "slug": "evil-org",
        "kind": "company",
        "city": city.pk,
        "aliases": f"别名{SCRIPT}、{HANDLER}",
        "summary": "机构简介" + PAYLOAD,
        "website": "https://example.com/?q=<script>",
    }


@pytest.fixture
def hostile(editor_client, media):
    """A hostile city and organisation, and a published hostile article with a cover, all
    saved through the admin forms; the article names the city and the organisation, so the
    mention links are made from hostile names too."""
    response = editor_client.post(reverse("admin:articles_city_add"), city_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    city = City.objects.get(slug="evil-city")
    response = editor_client.post(
        reverse("admin:articles_organisation_add"), organisation_form(city)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with TestCase.captureOnCommitCallbacks(execute=True):  # the cover's task runs
        response = editor_client.post(
            reverse("admin:articles_article_add"),
            article_form(
                title="标题" + PAYLOAD,
                summary="摘要" + PAYLOAD,
                body=f"正文{PAYLOAD}\n\n{city.name}与{ORGANISATION}\n\n{MARKDOWN_ATTACKS}",
                source="来源" + PAYLOAD,
                tags=f"标签{SCRIPT}，{HANDLER}",
                cities=[city.pk],
                organisations=[Organisation.objects.get().pk],
                status="published",
                cover_image=upload(picture(size=(600, 300))),
                cover_alt="封面" + PAYLOAD,
                **{
                    "links-0-title": "原文" + PAYLOAD,
                    "links-0-url": "https://example.com/?q=<script>",
                },
            ),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(), city


def pages(article, city):
    tag = article.tags.order_by("name").first()
    return {
        "home": "/",
        "article list": "/articles/",
        "article list filtered": f"/articles/?tag={tag.slug}&city={city.slug}",
        "article list searched": "/articles/?q=标题",
        "article": article.get_absolute_url(),
        "tag list": "/tags/",
        "tag": tag.get_absolute_url(),
        "city list": "/cities/",
        "city": city.get_absolute_url(),
        "comparison": f"/cities/compare/?c={city.slug}&c=hangzhou",
        "organisation list": "/organisations/",
        "organisation": "/organisations/evil-org/",
    }


def test_payloads_were_stored_as_typed(hostile):
    article, city = hostile
    assert article.title == "标题" + PAYLOAD
    assert article.links.get().title == "原文" + PAYLOAD
    assert city.figures.get().gdp_rank_source == PAYLOAD
    assert sorted(article.tags.names()) == sorted([f"标签{SCRIPT}", HANDLER])


def test_no_public_page_runs_anything(client, hostile, hangzhou):
    for name, url in pages(*hostile).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert runnable_markup(response.text) == [], name


def test_payloads_show_as_text(client, hostile, hangzhou):
    article, city = hostile
    shown = {
        article.get_absolute_url(): ["标题", "摘要", "正文", "来源", "原文", "标签", "封面"],
        city.get_absolute_url(): ["简介", "介绍", "机构"],
        "/": ["标题", "标签"],
        "/articles/": ["标题", "摘要", "封面"],
        f"/cities/compare/?c={city.slug}&c=hangzhou": ["城", "机构"],
        "/organisations/": ["机构", "城"],
        "/organisations/evil-org/": ["机构", "机构简介", "城", "标题"],
    }
    for url, prefixes in shown.items():
        response = client.get(url)
        for prefix in prefixes:
            assert escape(prefix + SCRIPT) in response.text or escape(prefix + HANDLER) in (
                response.text
            ), (url, prefix)


def test_figure_source_link_cannot_break_out_of_its_attribute(client, hostile):
    _article, city = hostile
    html = client.get(city.get_absolute_url()).text
    assert 'href="https://example.com/x&quot;onmouseover=alert"' in html
    assert "人口：javascript:alert(1)</div>" in html  # a note, not a link
    assert runnable_markup(html) == []


def test_markdown_links_to_scripts_and_data_are_not_links(client, hostile):
    article, city = hostile
    for url in (article.get_absolute_url(), city.get_absolute_url()):
        html = client.get(url).text
        assert "点我" in html and "原始链接" in html  # the text stays, the link goes
        assert runnable_markup(html) == []


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_city_changelist"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:articles_article_changelist") + "?q=" + SCRIPT,
    ],
)
def test_admin_lists_run_nothing(editor_client, hostile, url):
    response = editor_client.get(url)
    assert response.status_code == 200
    assert runnable_markup(response.text) == []


def test_admin_article_list_shows_the_payload_as_text(editor_client, hostile):
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    assertContains(response, escape("标题" + PAYLOAD))
    assertContains(response, escape(f"标签{SCRIPT}"))


def test_admin_change_forms_run_nothing(editor_client, hostile):
    article, city = hostile
    for url in (
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_city_change", args=[city.pk]),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert runnable_markup(response.text) == []


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", 'https://x/"><script>'],
)
def test_original_link_must_be_a_web_address(editor_client, url):
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form(**{"links-0-url": url})
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["url"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("field", ["title", "summary", "body", "source", "tags"])
def test_nul_byte_in_a_field_is_refused_with_a_message(editor_client, field):
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form(**{field: "坏\x00字符"})
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "html",
    [SCRIPT, HANDLER, '<a href=" JaVa\nScript:alert(1)">x</a>', '<a href="data:text/html,x">x</a>'],
)
def test_the_checker_itself_sees_runnable_markup(html):
    assert runnable_markup(html)


def feed_urls(article, city):
    tag = article.tags.order_by("name").first()
    urls = ["/feeds/rss/", "/feeds/atom/"]
    for kind, slug in (("tags", tag.slug), ("cities", city.slug)):
        urls += [f"/feeds/{kind}/{slug}/rss/", f"/feeds/{kind}/{slug}/atom/"]
    return urls


ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def feed_entries(root):
    """(title, summary, html content, categories) of each item or entry of a parsed feed."""
    for item in root.iter("item"):
        yield (
            item.findtext("title"),
            item.findtext("description"),
            item.findtext(CONTENT),
            [c.text for c in item.iter("category")],
        )
    for entry in root.iter(f"{ATOM}entry"):
        yield (
            entry.findtext(f"{ATOM}title"),
            entry.findtext(f"{ATOM}summary"),
            entry.findtext(f"{ATOM}content"),
            [c.get("term") for c in entry.iter(f"{ATOM}category")],
        )


def test_feeds_carry_payloads_as_text_not_markup(client, hostile):
    article, city = hostile
    for url in feed_urls(article, city):
        response = client.get(url)
        assert response.status_code == 200, url
        root = ElementTree.fromstring(response.content)  # well-formed: nothing broke out
        names = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not names & {"script", "img", "iframe", "svg", "a"}, (url, names)
        [(title, summary, content, categories)] = list(feed_entries(root))
        assert title == article.title and summary == article.summary
        assert sorted(categories) == sorted(article.tags.names())
        # The whole article is HTML for the reader's program to show: sanitised, runs nothing.
        assert "正文" in content and runnable_markup(content) == [], url
    city_feed = ElementTree.fromstring(client.get(f"/feeds/cities/{city.slug}/rss/").content)
    assert city.name in city_feed.findtext("channel/title")


def json_strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)
    elif isinstance(data, str):
        yield data


def test_api_carries_payloads_as_json_strings(client, hostile):
    article, city = hostile
    tag = article.tags.order_by("name").first()
    expected = {
        "/api/v1/articles/": [article.title, article.summary, tag.name, city.name],
        f"/api/v1/articles/{article.slug}/": [article.title, article.source, "原文" + PAYLOAD],
        f"/api/v1/articles/?tag={tag.slug}&city={city.slug}": [article.title],
        "/api/v1/tags/": [tag.name],
        "/api/v1/cities/": [city.name, city.summary, "省" + SCRIPT],
        f"/api/v1/cities/{city.slug}/": [city.name, PAYLOAD],
        "/api/v1/organisations/": [ORGANISATION, "机构简介" + PAYLOAD, "别名" + SCRIPT, HANDLER],
        "/api/v1/organisations/evil-org/": [ORGANISATION],
    }
    for url, values in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json; charset=utf-8", url
        strings = list(json_strings(response.json()))
        for value in values:
            assert value in strings, (url, value)
    body_html = client.get(f"/api/v1/articles/{article.slug}/").json()["body_html"]
    assert runnable_markup(body_html) == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/api/v1/articles/?tag=%3Cscript%3E",
        "/api/v1/articles/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/api/v1/articles/?from=%3Cscript%3E",
        "/api/v1/cities/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E/",
        "/api/v1/organisations/%3Csvg%20onload=alert(1)%3E/",
        "/api/v1/tags/?page=%3Cscript%3E",
    ],
)
def test_api_answers_hostile_requests_in_json_never_html(client, hostile, url):
    response = client.get(url)
    assert response.status_code in {200, 400, 404, 422}, response.status_code
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    response.json()


def test_sitemap_addresses_are_well_formed(client, hostile):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert len(sections) == 5
    locations = []
    for section in sections:
        root = ElementTree.fromstring(client.get(section.removeprefix("http://testserver")).content)
        locations += [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    article, city = hostile
    for path in (article.get_absolute_url(), city.get_absolute_url(), "/organisations/evil-org/"):
        assert "http://testserver" + path in locations
    for location in locations:
        assert not set(location) & set("<>\"' "), location


def test_admin_organisation_pages_run_nothing(editor_client, hostile):
    organisation = Organisation.objects.get()
    for url in (
        reverse("admin:articles_organisation_changelist"),
        reverse("admin:articles_organisation_changelist") + "?q=" + SCRIPT,
        reverse("admin:articles_organisation_change", args=[organisation.pk]),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert runnable_markup(response.text) == [], url
    changelist = editor_client.get(reverse("admin:articles_organisation_changelist"))
    assertContains(changelist, escape(ORGANISATION))


def test_admin_revision_diff_runs_nothing(editor_client, hostile):
    article, _city = hostile
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            title="新标题" + HANDLER,
            summary="摘要" + SCRIPT,
            body="正文" + SCRIPT + "\n\n" + HANDLER,
            tags=f"标签{SCRIPT}，另一个{HANDLER}",
            cover_alt="新封面" + SCRIPT,
            status="published",
            seen_version=article.version,
            published_at_0=f"{article.published_at:%Y-%m-%d}",
            published_at_1=f"{article.published_at:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = editor_client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    assert page.status_code == 200
    assert runnable_markup(page.text) == []
    # A changed field is shown by its changed characters: read the diff's "after" side (the page
    # without what it strikes out), as text.
    after = html.unescape(
        re.sub(r"<[^>]+>", "", re.sub(r"<del>.*?</del>", "", page.text, flags=re.S))
    )
    assert "新标题" + HANDLER in after
    assert "新封面" + SCRIPT in after

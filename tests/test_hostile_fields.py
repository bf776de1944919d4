"""Script and event-handler payloads typed into every field an editor fills, saved through
the admin forms, come out as harmless text on every page that shows them."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from articles.models import Article, City
from tests.hostile import HANDLER, PAYLOAD, SCRIPT, runnable_markup
from tests.test_admin import article_form

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


@pytest.fixture
def hostile(editor_client):
    """A hostile city and a published hostile article, both saved through the admin forms."""
    response = editor_client.post(reverse("admin:articles_city_add"), city_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    city = City.objects.get(slug="evil-city")
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            title="标题" + PAYLOAD,
            summary="摘要" + PAYLOAD,
            body="正文" + PAYLOAD + "\n\n" + MARKDOWN_ATTACKS,
            source="来源" + PAYLOAD,
            tags=f"标签{SCRIPT}，{HANDLER}",
            cities=[city.pk],
            status="published",
            **{"links-0-title": "原文" + PAYLOAD, "links-0-url": "https://example.com/?q=<script>"},
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
        "article": article.get_absolute_url(),
        "tag list": "/tags/",
        "tag": tag.get_absolute_url(),
        "city list": "/cities/",
        "city": city.get_absolute_url(),
    }


def test_payloads_were_stored_as_typed(hostile):
    article, city = hostile
    assert article.title == "标题" + PAYLOAD
    assert article.links.get().title == "原文" + PAYLOAD
    assert city.figures.get().gdp_rank_source == PAYLOAD
    assert sorted(article.tags.names()) == sorted([f"标签{SCRIPT}", HANDLER])


def test_no_public_page_runs_anything(client, hostile):
    for name, url in pages(*hostile).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert runnable_markup(response.text) == [], name


def test_payloads_show_as_text(client, hostile):
    article, city = hostile
    shown = {
        article.get_absolute_url(): ["标题", "摘要", "正文", "来源", "原文", "标签"],
        city.get_absolute_url(): ["简介", "介绍"],
        "/": ["标题", "标签"],
        "/articles/": ["标题", "摘要"],
    }
    for url, prefixes in shown.items():
        response = client.get(url)
        for prefix in prefixes:
            assert escape(prefix + SCRIPT) in response.text or escape(prefix + PAYLOAD) in (
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

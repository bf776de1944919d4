"""axe-core finds no serious or critical accessibility problem on any public page."""

import json

import pytest

from articles.models import Organisation
from tests.browser.helpers import DESKTOP, PHONE

SEVERE = {"serious", "critical"}


@pytest.fixture
def pages(newsroom, make_article):
    article = make_article(
        title="杭州的人工智能与芯片",
        body="## 数据\n\n| 城市 | GDP |\n|:--|--:|\n| 杭州 | 21,860 |",
        tags=["人工智能", "芯片"],
        cities=[newsroom["hangzhou"]],
    )
    Organisation.objects.create(name="深度求索", slug="deepseek", city=newsroom["hangzhou"])
    return {
        "home": "/",
        "article-list": "/articles/",
        "article-list-filtered": "/articles/?tag=人工智能&tag=芯片&city=hangzhou&q=杭州",
        "article-list-refused": "/articles/?year=abcd",
        "article": article.get_absolute_url(),
        "tag-list": "/tags/",
        "tag": "/tags/人工智能/",
        "city-list": "/cities/",
        "city": "/cities/hangzhou/",
        "comparison": "/cities/compare/?c=hangzhou&c=nanjing",
        "comparison-refused": "/cities/compare/?c=hangzhou&c=atlantis",
        "organisation-list": "/organisations/",
        "organisation": "/organisations/deepseek/",
        "not-found": "/no-such-page/",
    }


def severe_violations(page, axe_source):
    page.page.add_script_tag(content=axe_source)
    results = page.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "where": [node["target"] for node in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in SEVERE
    ]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_public_pages_have_no_serious_accessibility_problems(open_page, pages, axe_source, device):
    # axe is injected as an inline script, which the site's own CSP rightly forbids.
    page = open_page(bypass_csp=True, **(PHONE if device == "phone" else DESKTOP))
    found = {}
    for name, path in pages.items():
        page.open(path)
        violations = severe_violations(page, axe_source)
        if violations:
            found[name] = violations
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)

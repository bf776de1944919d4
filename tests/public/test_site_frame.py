"""What every page carries around its content: a favicon and touch icons that exist, a visible
way to subscribe, and a footer whose about / contact / copyright / ICP lines the publisher sets."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse


def test_the_favicon_and_touch_icons_exist(client, db):
    page = client.get("/").content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)"[^>]*href="([^"]+)"', page)
    assert len(icons) == 3
    for url in icons:
        assert client.get(url).status_code == 200, url
    moved = client.get("/favicon.ico")
    assert moved.status_code == 301
    assert client.get(moved["Location"]).status_code == 200


def test_the_subscribe_page_is_one_click_from_every_page_and_lists_the_feeds(
    client, make_article, hangzhou
):
    make_article(title="杭州一文", cities=[hangzhou])
    home = client.get("/").content.decode()
    assert 'href="/subscribe/"' in home
    page = client.get("/subscribe/").content.decode()
    for feed in ("/feeds/rss/", "/feeds/atom/", "/feeds/cities/hangzhou/rss/"):
        assert f'value="http://testserver{feed}"' in page  # the address to copy, whole
        assert client.get(feed).status_code == 200


def test_a_tag_page_links_its_own_feed(client, make_article):
    make_article(title="芯片一文", tags=["芯片"])
    page = client.get("/tags/芯片/").content.decode()
    assert f'href="{reverse("articles:tag-feed-rss", args=["芯片"])}"' in page


@pytest.mark.parametrize("url", ["/", "/articles/", "/cities/"])
def test_the_footer_says_what_the_publisher_set(client, db, url):
    footer = {
        "about": "/about/",
        "contact": "editor@example.cn",
        "copyright": "© 2026 某某传媒",
        "icp": "浙ICP备12345678号-1",
    }
    with override_settings(SITE_FOOTER=footer, PAGE_CACHE=False):
        page = client.get(url).content.decode()
    tail = page.split('<footer class="site-footer">', 1)[1]
    assert 'href="/about/"' in tail and "mailto:editor@example.cn" in tail
    assert "© 2026 某某传媒" in tail
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">浙ICP备12345678号-1</a>' in tail


def test_an_unset_footer_line_is_left_out(client, db):
    footer = {"about": "", "contact": "", "copyright": "© 本站", "icp": ""}
    with override_settings(SITE_FOOTER=footer, PAGE_CACHE=False):
        tail = client.get("/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert "beian" not in tail and "mailto:" not in tail and "关于我们" not in tail

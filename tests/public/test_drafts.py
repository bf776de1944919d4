"""Articles the public may not see never show on a public page; staff can preview them.

Three kinds of hidden article are tried in turn: a draft that was never published, a
withdrawn article (a draft again, but keeping the date it was once published at, which
falls between the two published articles) and a scheduled article (published, but
dated in the future). Each shares tags and cities with the published articles.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article

SHARED_TAG = "人工智能"
HIDDEN_ONLY_TAG = "未公开专题"
HIDDEN_TITLE = "未公开：长三角人工智能产业内部规划"

HIDDEN_KINDS = {
    # status, published_at relative to now
    "draft": (Article.Status.DRAFT, None),
    "withdrawn": (Article.Status.DRAFT, timedelta(days=-2)),
    "scheduled": (Article.Status.PUBLISHED, timedelta(days=3)),
    "scheduled-status": (Article.Status.SCHEDULED, timedelta(days=3)),
}


@pytest.fixture
def older(make_article, hangzhou, nanjing):
    return make_article(
        title="长三角人工智能产业观察",
        tags=[SHARED_TAG, "芯片"],
        cities=[hangzhou, nanjing],
        published_at=timezone.now() - timedelta(days=3),
    )


@pytest.fixture
def newer(make_article, hangzhou):
    return make_article(
        title="杭州人工智能产业新动向",
        tags=[SHARED_TAG],
        cities=[hangzhou],
        published_at=timezone.now() - timedelta(days=1),
    )


@pytest.fixture(params=list(HIDDEN_KINDS))
def hidden(request, make_article, hangzhou, nanjing, older, newer):
    status, offset = HIDDEN_KINDS[request.param]
    return make_article(
        title=HIDDEN_TITLE,
        summary="尚未公开的摘要",
        tags=[SHARED_TAG, "芯片", HIDDEN_ONLY_TAG],
        cities=[hangzhou, nanjing],
        status=status,
        published_at=None if offset is None else timezone.now() + offset,
    )


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password="pw-reader-1")


def assert_hidden_absent(response, hidden):
    assert response.status_code == 200
    assertNotContains(response, HIDDEN_TITLE)
    assertNotContains(response, hidden.get_absolute_url())


def assert_not_found(response):
    assertContains(response, "找不到这个页面", status_code=404)
    assertNotContains(response, HIDDEN_TITLE, status_code=404)


def tag_url(name):
    return reverse("articles:tag-detail", args=[name])


def tag_link_with_count(name, count):
    """A tag link as tag_links.html draws it, with its article count."""
    return f'<a href="{tag_url(name)}">{name}<span class="count">{count}</span></a>'


# Lists


def test_hidden_article_is_not_listed_on_the_home_page(client, hidden, older, newer):
    response = client.get(reverse("articles:home"))
    assert_hidden_absent(response, hidden)
    assertContains(response, newer.title)
    assertContains(response, older.title)


def test_hidden_article_is_not_listed_on_the_article_list(client, hidden, older, newer):
    response = client.get(reverse("articles:article-list"))
    assert_hidden_absent(response, hidden)
    assertContains(response, "共 2 篇")
    assertContains(response, newer.title)


@pytest.mark.parametrize(
    ("params", "expected_count"),
    [
        pytest.param({"tag": SHARED_TAG}, 2, id="shared-tag"),
        pytest.param({"tag": HIDDEN_ONLY_TAG}, 0, id="tag-only-on-hidden-article"),
        pytest.param({"tag": [SHARED_TAG, HIDDEN_ONLY_TAG], "match": "any"}, 2, id="any-tag"),
        pytest.param({"city": "hangzhou"}, 2, id="city"),
        pytest.param({"city": "nanjing"}, 1, id="city-of-older-only"),
        pytest.param({"q": "人工智能产业"}, 2, id="words-in-every-title"),
        pytest.param({"q": "内部规划"}, 0, id="words-only-in-hidden-title"),
        pytest.param({"q": "尚未公开的摘要"}, 0, id="words-only-in-hidden-summary"),
        pytest.param({"tag": SHARED_TAG, "city": "nanjing", "q": "产业"}, 1, id="combined"),
    ],
)
def test_hidden_article_is_not_found_by_filtering_the_article_list(
    client, hidden, params, expected_count
):
    response = client.get(reverse("articles:article-list"), params)
    assert_hidden_absent(response, hidden)
    assertContains(response, f"共 {expected_count} 篇")


def test_article_list_facets_do_not_count_hidden_article(client, hidden):
    response = client.get(reverse("articles:article-list"))
    html = response.content.decode()
    assert re.search(rf">{SHARED_TAG}</a><span class=\"count\">2</span>", html)
    assert re.search(r">杭州</a><span class=\"count\">2</span>", html)
    assert re.search(r">南京</a><span class=\"count\">1</span>", html)
    assertNotContains(response, HIDDEN_ONLY_TAG)


@pytest.mark.parametrize("name", ["articles:home", "articles:article-list"])
def test_hidden_article_is_not_listed_for_staff_either(editor_client, hidden, name):
    response = editor_client.get(reverse(name))
    assert_hidden_absent(response, hidden)


# Tags


def test_tag_used_only_by_hidden_article_is_not_on_the_tag_list(client, hidden):
    response = client.get(reverse("articles:tag-list"))
    assert response.status_code == 200
    assertNotContains(response, HIDDEN_ONLY_TAG)
    assertContains(response, SHARED_TAG)


def test_tag_counts_on_the_tag_list_leave_out_hidden_article(client, hidden):
    response = client.get(reverse("articles:tag-list"))
    assertContains(response, tag_link_with_count(SHARED_TAG, 2), html=True)
    assertContains(response, tag_link_with_count("芯片", 1), html=True)


def test_tag_used_only_by_hidden_article_is_not_on_the_home_page(client, hidden):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assertNotContains(response, HIDDEN_ONLY_TAG)


def test_tag_counts_on_the_home_page_leave_out_hidden_article(client, hidden):
    response = client.get(reverse("articles:home"))
    assertContains(response, tag_link_with_count(SHARED_TAG, 2), html=True)
    assertContains(response, tag_link_with_count("芯片", 1), html=True)


def test_tag_page_does_not_list_hidden_article(client, hidden, older, newer):
    response = client.get(tag_url(SHARED_TAG))
    assert_hidden_absent(response, hidden)
    assertContains(response, "2 篇文章")
    assertContains(response, older.title)
    assertContains(response, newer.title)


def test_tag_page_does_not_offer_tag_used_only_by_hidden_article(client, hidden):
    response = client.get(tag_url("芯片"))
    assert response.status_code == 200
    assertNotContains(response, HIDDEN_ONLY_TAG)


def test_tag_used_only_by_hidden_article_has_no_page(client, hidden):
    assert_not_found(client.get(tag_url(HIDDEN_ONLY_TAG)))


# Cities


def city_row_count(html, slug, name):
    """The article count in the city's row of the /cities/ table."""
    row = re.search(
        rf'<a href="/cities/{slug}/">{name}</a></th>.*?<td class="num">(\d+)</td>\s*</tr>',
        html,
        re.DOTALL,
    )
    assert row, f"no row for {name}"
    return int(row.group(1))


def test_city_list_counts_only_published_articles(client, hidden):
    response = client.get(reverse("articles:city-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert city_row_count(html, "hangzhou", "杭州") == 2
    assert city_row_count(html, "nanjing", "南京") == 1


def test_home_page_city_counts_leave_out_hidden_article(client, hidden):
    response = client.get(reverse("articles:home"))
    assertContains(
        response, '<a href="/cities/hangzhou/">杭州</a> <span class="meta">长三角 · 2 篇'
    )
    assertContains(response, '<a href="/cities/nanjing/">南京</a> <span class="meta">长三角 · 1 篇')


@pytest.mark.parametrize(("slug", "expected"), [("hangzhou", 2), ("nanjing", 1)])
def test_city_page_does_not_list_hidden_article(client, hidden, older, slug, expected):
    response = client.get(reverse("articles:city-detail", args=[slug]))
    assert_hidden_absent(response, hidden)
    assertContains(response, older.title)
    assert response.content.decode().count('<h3><a href="/articles/') == expected


# A published article's page


def test_related_articles_leave_out_hidden_article(client, hidden, older, newer):
    response = client.get(older.get_absolute_url())
    assert_hidden_absent(response, hidden)
    assertContains(response, "相关文章")
    assertContains(response, newer.get_absolute_url())


def test_previous_and_next_links_skip_hidden_article(client, hidden, older, newer):
    on_older = client.get(older.get_absolute_url())
    assert_hidden_absent(on_older, hidden)
    assertContains(on_older, f'<a href="{newer.get_absolute_url()}" rel="next">')
    assertNotContains(on_older, 'rel="prev"')

    on_newer = client.get(newer.get_absolute_url())
    assert_hidden_absent(on_newer, hidden)
    assertContains(on_newer, f'<a href="{older.get_absolute_url()}" rel="prev">')
    assertNotContains(on_newer, 'rel="next"')


# The hidden article's own page


def test_hidden_article_page_is_not_found_for_anonymous_visitors(client, hidden):
    assert_not_found(client.get(hidden.get_absolute_url()))


def test_hidden_article_page_is_not_found_for_signed_in_readers(client, reader, hidden):
    client.force_login(reader)
    assert_not_found(client.get(hidden.get_absolute_url()))


def test_hidden_article_page_is_not_found_for_staff_who_may_not_view_articles(
    client, django_user_model, hidden
):
    staff = django_user_model.objects.create_user("intern", password="pw-intern-1", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_city"))
    client.force_login(staff)
    assert_not_found(client.get(hidden.get_absolute_url()))


def test_staff_can_preview_hidden_article_with_a_notice_and_noindex(editor_client, hidden):
    response = editor_client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, HIDDEN_TITLE)
    assertContains(response, "草稿预览")
    robots = re.search(r'<meta name="robots" content="([^"]*)">', response.content.decode())
    assert robots, "no robots meta"
    assert "noindex" in robots.group(1)


def test_staff_see_no_preview_notice_on_a_published_article(editor_client, hidden, newer):
    response = editor_client.get(newer.get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, "草稿预览")
    assertNotContains(response, "noindex")

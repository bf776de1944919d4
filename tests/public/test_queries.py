"""Each public page runs a fixed number of queries, with 3 articles or with 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import entities

# Every page, cached or not, reads the versions of what it shows, in one query (articles.caching).
VERSION_READ = 1
CEILINGS = {
    "home": 7,
    "article-list": 9,
    "article-detail": 9,  # with the organisations the article names
    "tag-list": 1,
    "tag-detail": 8,
    "city-list": 4,  # cities, figures, and the province and region choices
    "city-detail": 10,
}


@pytest.fixture(params=[3, 30], ids=["3-articles", "30-articles"])
def filled_site(request, make_article, make_city):
    cities = [
        make_city(f"城市{n}", f"city-{n}", figures=[(2023, "100", "10"), (2024, "110", None)])
        for n in range(5)
    ]
    cities[0].tags.set(["人工智能"])
    articles = [
        make_article(
            title=f"文章 {n}",
            tags=["人工智能", f"标签{n % 7}", f"标签{n % 3 + 10}"],
            cities=cities[n % 5 : n % 5 + 2],
        )
        for n in range(request.param)
    ]
    return articles


@pytest.mark.parametrize("page", CEILINGS)
def test_public_page_query_count_is_fixed(client, filled_site, page, django_assert_max_num_queries):
    args = {
        "article-detail": [filled_site[1].slug],
        "tag-detail": ["人工智能"],
        "city-detail": ["city-0"],
    }.get(page, [])
    with django_assert_max_num_queries(CEILINGS[page] + VERSION_READ):
        response = client.get(reverse(f"articles:{page}", args=args))
    assert response.status_code == 200


def test_filtered_list_query_count_is_fixed(client, filled_site, django_assert_max_num_queries):
    query = {"tag": ["人工智能", "标签1"], "city": "city-1", "q": "文章", "year": "2026"}
    # One more than the plain list: the facets of a search count its listed results, whose
    # ids they read once (the count is the page's own; the page then reads its twenty). And
    # the look-up of the city, organisation or tag the query names.
    ceiling = CEILINGS["article-list"] + 1 + entities.LOOKUPS + VERSION_READ
    with django_assert_max_num_queries(ceiling):
        response = client.get(reverse("articles:article-list"), query)
    assert response.status_code == 200


def test_a_repeated_search_reads_its_page_without_counting_again(client, settings, filled_site):
    settings.PAGE_CACHE = False  # every request rendered: only the count is remembered
    query = {"q": "文章", "tag": "人工智能"}
    first = client.get(reverse("articles:article-list"), query)
    with CaptureQueriesContext(connection) as again:
        second = client.get(reverse("articles:article-list"), query)
    assert second.status_code == 200
    assert list(second.context["page_obj"]) == list(first.context["page_obj"])
    assert not [q for q in again.captured_queries if "COUNT(" in q["sql"]]

"""The city, comparison and organisation pages run a fixed number of queries, 3 or 30 of
everything."""

from decimal import Decimal

import pytest
from django.urls import reverse

from articles.models import Indicator, IndicatorValue, Organisation

# Every page, cached or not, reads the versions of what it shows, in one query (articles.caching).
VERSION_READ = 1
CEILINGS = {
    "city-list": 4,
    "city-detail": 10,
    "city-compare": 10,
    "organisation-list": 1,
    "organisation-detail": 6,
}


@pytest.fixture(params=[3, 30], ids=["3-of-each", "30-of-each"])
def filled(request, make_city, make_article):
    n = request.param
    rd = Indicator.objects.create(code="rd_spending", name="研发投入", unit="亿元")
    cities = []
    for k in range(n):
        city = make_city(
            f"城市{k}",
            f"city-{k}",
            province=f"省{k % 4}",
            region=f"区{k % 3}",
            figures=[(2023, "100", "10"), (2024, "110", None)],
            tags=[f"产业{k % 5}"],
        )
        IndicatorValue.objects.create(city=city, indicator=rd, year=2024, value=Decimal(k))
        cities.append(city)
    organisations = [
        Organisation.objects.create(name=f"机构{k}", slug=f"org-{k}", city=cities[k % 2])
        for k in range(n)
    ]
    for k in range(n):
        article = make_article(title=f"文章{k}", cities=cities[:2], tags=[f"标签{k % 4}"])
        article.organisations.set(organisations[:2])
    return cities


# page -> (arguments, query, text the page shows when it works)
PAGES = {
    "city-list": ([], {"sort": "gdp_per_person", "province": "省1"}, "城市1"),
    "city-detail": (["city-0"], {}, "研发投入"),
    "city-compare": ([], {"c": ["city-0", "city-1", "city-2"]}, "城市0与城市1"),
    "organisation-list": ([], {}, "机构1"),
    "organisation-detail": (["org-0"], {}, "文章1"),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_is_fixed(client, filled, page, django_assert_max_num_queries):
    args, query, text = PAGES[page]
    with django_assert_max_num_queries(CEILINGS[page] + VERSION_READ):
        response = client.get(reverse(f"articles:{page}", args=args), query)
    assert response.status_code == 200
    assert text in response.text

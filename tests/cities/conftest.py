"""The city tests' figures carry a status and basis: by default checked bulletin figures of one
basis, so that derived figures are computed unless a test says otherwise."""

from decimal import Decimal

import pytest

from articles.models import City, CityFigures

BASIS = "第五次全国经济普查后"


@pytest.fixture
def make_city(db):
    """make_city(name, slug, figures=[(year, gdp, population), …], status=…, basis=…, tags=…)."""

    def make(name, slug, *, figures=(), tags=(), status="bulletin", basis=BASIS, **fields):
        city = City.objects.create(name=name, slug=slug, **fields)
        for year, gdp, population in figures:
            CityFigures.objects.create(
                city=city,
                year=year,
                gdp=None if gdp is None else Decimal(gdp),
                gdp_status=status,
                gdp_basis=basis,
                population=None if population is None else Decimal(population),
                population_status=status,
                population_basis=basis,
                gdp_source="https://example.com/bulletin" if gdp is not None else "",
            )
        if tags:
            city.tags.set(list(tags))
        return city

    return make

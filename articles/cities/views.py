"""City profiles, the city index, comparisons and organisations."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles.caching import depends_on
from articles.cities.comparison import Comparison
from articles.cities.forms import CityIndexForm, CompareForm
from articles.cities.indicators import CORE, Series, charts, index_rows, measures
from articles.models import Article, City, Organisation, scopes
from articles.views import page_of

ORGANISATIONS = Prefetch("organisations", queryset=Organisation.objects.order_by("kind", "slug"))


@require_safe
def city_list(request):
    form = CityIndexForm(request.GET)
    cities = form.filter(City.objects.with_figures().with_article_counts().order_by("slug"))
    sort, order = form.sort_key
    rows = index_rows(cities, sort, order)
    return render(
        request,
        "articles/city_list.html",
        {
            "form": form,
            "rows": rows,
            "not_computed": [
                (city, figure.why)
                for city, cells in rows
                for _measure, _year, figure in cells
                if figure.why and figure.value is None
            ],
            "measures": CORE,
            "columns": CityIndexForm.COLUMNS,
            "sort": sort,
            "order": order,
        },
    )


@require_safe
def city_detail(request, slug):
    cities = City.objects.with_indicators().with_article_counts()
    city = get_object_or_404(cities.prefetch_related("tags", ORGANISATIONS), slug=slug)
    depends_on(request, scopes.CITIES, scopes.key(scopes.CITY, city.pk))
    series = Series(city)
    shown = measures([series])
    table = series.table(shown)
    articles = Article.objects.published().in_cities([city])
    return render(
        request,
        "articles/city_detail.html",
        {
            "city": city,
            "measures": shown,
            "figures": table,
            "not_computed": [
                (year, figure.why)
                for year, figures, _sources in table
                for figure in figures
                if figure.why
            ],
            "charts": charts([series]),
            "page_obj": page_of(request, articles.for_listing().newest_first(), city.num_articles),
            "other_cities": City.objects.exclude(pk=city.pk).only("name", "slug"),
        },
    )


@require_safe
def city_compare(request):
    choices = list(City.objects.only("name", "slug"))
    form = CompareForm(request.GET, cities=choices)
    slugs = form.selected
    depends_on(
        request, scopes.CITIES, *(scopes.key(scopes.CITY, c.pk) for c in choices if c.slug in slugs)
    )
    context = {"form": form, "choices": choices, "selected": slugs}
    if slugs:
        found = City.objects.with_indicators().prefetch_related("tags", ORGANISATIONS)
        by_slug = {city.slug: city for city in found.filter(slug__in=slugs)}
        comparison = Comparison([by_slug[slug] for slug in slugs])
        context |= {
            "comparison": comparison,
            "industries": comparison.industries(),
            "together": Article.objects.published()
            .in_all_cities(comparison.cities)
            .for_listing()
            .newest_first()[:20],
        }
    return render(request, "articles/city_compare.html", context)


@require_safe
def organisation_list(request):
    organisations = Organisation.objects.with_article_counts().order_by("kind", "slug")
    return render(request, "articles/organisation_list.html", {"organisations": organisations})


@require_safe
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.with_article_counts(), slug=slug)
    depends_on(request, scopes.key(scopes.ORGANISATION, organisation.pk))
    articles = Article.objects.published().filter(organisations=organisation)
    return render(
        request,
        "articles/organisation_detail.html",
        {
            "organisation": organisation,
            "page_obj": page_of(
                request, articles.for_listing().newest_first(), organisation.num_articles
            ),
        },
    )

"""The read-only JSON API, /api/v1/: articles, tags and cities.

django-ninja: the OpenAPI schema comes from the type hints at a stable URL
(/api/v1/openapi.json), pagination and throttling are built in, and a view stays a small
function, so /api/v1/articles/ can hand its parameters to the same ArticleFilterForm that
/articles/ uses.
"""

from datetime import datetime
from functools import wraps
from typing import Literal

from django.conf import settings
from django.http import JsonResponse
from django.utils.functional import lazy
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.renderers import JSONRenderer

from articles.caching import PAGE, cached, depends_on
from articles.forms import MAX_FILTER_VALUES, SLUG, ArticleFilterForm
from articles.models import Article, City, Organisation, scopes
from articles.throttling import wait_before
from articles.views import PAGE_SIZE

MAX_PAGE = 10_000


class ChineseJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as UTF-8, not as \\u escapes


api = NinjaAPI(
    renderer=ChineseJSON(),
    title=lazy(lambda: f"{settings.SITE_NAME} API", str)(),
    version="1",
    description="只读。文章、标签与城市（含年度数据）。匿名访问有频率限制。",
    urls_namespace="api-v1",
)


class InvalidFilters(Exception):
    def __init__(self, form):
        self.errors = {
            name: [error["message"] for error in errors]
            for name, errors in form.errors.get_json_data().items()
        }


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    return api.create_response(request, {"detail": "参数有误。", "errors": exc.errors}, status=400)


@api.exception_handler(InvalidFilters)
def invalid_filters(request, exc):
    return api.create_response(
        request, {"detail": "筛选条件有误。", "errors": exc.errors}, status=400
    )


def throttled(view):
    """Anonymous clients get API_ANON_RATE requests, cached answers included, then a 429.

    The client is siteconf.security.client_ip (as for login lock-outs), not django-ninja's
    reading of X-Forwarded-For, which any client can write."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            wait = wait_before("api", request, settings.API_ANON_RATE)
            if wait is not None:
                response = JsonResponse({"detail": "请求过于频繁，请稍后再试。"}, status=429)
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapper


def public(*query, shows=()):
    """Throttled, then cached; query names the parameters the endpoint reads, shows the scopes
    its answers show whatever they are (articles.models.scopes)."""
    return decorate_view(lambda view: cached(view, query, shows), throttled)


class Pages(PageNumberPagination):
    """Pages of PAGE_SIZE, as on the site; the page number is bounded so OFFSET stays sane."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset = (pagination.page - 1) * PAGE_SIZE
        return {"items": queryset[offset : offset + PAGE_SIZE], "count": queryset.count()}


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | list[dict] | None = None


class TagOut(Schema):
    name: str
    slug: str


class TagCountOut(TagOut):
    articles: int = Field(..., alias="num_articles")


class CityRef(Schema):
    name: str
    slug: str


class ArticleOut(Schema):
    slug: str
    title: str
    summary: str
    source: str
    published_at: datetime
    updated_at: datetime
    url: str
    tags: list[TagOut]
    cities: list[CityRef]

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_tags(obj):
        return list(obj.tags.all())

    @staticmethod
    def resolve_cities(obj):
        return list(obj.cities.all())


class LinkOut(Schema):
    title: str
    url: str


class ArticleDetailOut(ArticleOut):
    body_html: str
    links: list[LinkOut]

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())


class FiguresOut(Schema):
    year: int
    gdp: float | None = Field(None, description="亿元")
    population: float | None = Field(None, description="万人")
    gdp_rank: int | None
    gdp_source: str
    population_source: str
    gdp_rank_source: str


class CityOut(Schema):
    slug: str
    name: str
    name_en: str
    province: str
    region: str
    summary: str
    url: str
    articles: int = Field(..., alias="num_articles")
    figures: list[FiguresOut]

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_figures(obj):
        return list(obj.figures.all())


class OrganisationOut(Schema):
    slug: str
    name: str
    name_en: str
    kind: str = Field(..., description="company / university / lab / media / other")
    city: str | None = Field(None, description="所在城市的网址名")
    aliases: list[str]
    summary: str
    website: str
    url: str
    articles: int = Field(..., alias="num_articles")

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug if obj.city else None

    @staticmethod
    def resolve_aliases(obj):
        return obj.alias_list

    @staticmethod
    def resolve_url(obj, context):
        return context["request"].build_absolute_uri(obj.get_absolute_url())


SLUGS = {"items": {"type": "string", "pattern": SLUG.pattern}, "maxItems": MAX_FILTER_VALUES}


class ArticleFilters(Schema):
    """The filters of /articles/, with the same names and meanings.

    The constraints are written into the schema for clients; ArticleFilterForm checks them, so
    that a bad value gets the same message here as on the site.
    """

    q: str | None = Field(
        None,
        description="关键词（繁简、全半角、大小写不敏感）",
        json_schema_extra={"maxLength": 100},
    )
    tag: list[str] = Field([], description="标签网址名，可重复", json_schema_extra=SLUGS)
    match: Literal["all", "any"] | None = Field(None, description="all：全部标签；any：任一")
    city: list[str] = Field([], description="城市网址名，可重复（任一）", json_schema_extra=SLUGS)
    year: int | None = Field(None, ge=1949, le=2100)
    from_: str | None = Field(
        None, alias="from", description="起始日期", json_schema_extra={"format": "date"}
    )
    to: str | None = Field(None, description="截止日期", json_schema_extra={"format": "date"})
    sort: Literal["newest", "oldest"] | None = None


def _slug(value):
    """A slug from the path, or a 404 before it reaches the database."""
    if not SLUG.match(value):
        raise HttpError(404, "没有这一项。")
    return value


@api.get("/articles/", response={200: list[ArticleOut], 400: Error}, tags=["articles"])
@public(*PAGE, *ArticleFilterForm.base_fields, "from", "to", shows=[scopes.LIST])
@paginate(Pages)
def list_articles(request, filters: Query[ArticleFilters]):
    form = ArticleFilterForm(filters.dict(by_alias=True, exclude_none=True))
    if not form.is_valid():
        raise InvalidFilters(form)
    return form.results(Article.objects.published().for_listing())


@api.get("/articles/{slug}/", response={200: ArticleDetailOut, 404: Error}, tags=["articles"])
@public()
def get_article(request, slug: str):
    article = (
        Article.objects.published()
        .prefetch_related("tags", "cities", "links", "organisations")
        .filter(slug=_slug(slug))
        .first()
    )
    if article is None:
        raise HttpError(404, "没有这篇文章。")
    depends_on(request, *scopes.on_article_page(article))
    return article


@api.get("/tags/", response={200: list[TagCountOut], 400: Error}, tags=["tags"])
@public(*PAGE, shows=[scopes.LIST])
@paginate(Pages)
def list_tags(request):
    return scopes.counted_tags()


@api.get("/cities/", response={200: list[CityOut], 400: Error}, tags=["cities"])
@public(*PAGE, shows=[scopes.LIST, scopes.CITIES])
@paginate(Pages)
def list_cities(request):
    return City.objects.with_figures().with_article_counts()


@api.get("/cities/{slug}/", response={200: CityOut, 404: Error}, tags=["cities"])
@public()
def get_city(request, slug: str):
    city = City.objects.with_figures().with_article_counts().filter(slug=_slug(slug)).first()
    if city is None:
        raise HttpError(404, "没有这个城市。")
    depends_on(request, scopes.key(scopes.CITY, city.pk))
    return city


@api.get(
    "/organisations/", response={200: list[OrganisationOut], 400: Error}, tags=["organisations"]
)
@public(*PAGE, shows=[scopes.LIST])
@paginate(Pages)
def list_organisations(request):
    return Organisation.objects.with_article_counts().order_by("slug")


@api.get(
    "/organisations/{slug}/",
    response={200: OrganisationOut, 404: Error},
    tags=["organisations"],
)
@public()
def get_organisation(request, slug: str):
    organisation = Organisation.objects.with_article_counts().filter(slug=_slug(slug)).first()
    if organisation is None:
        raise HttpError(404, "没有这个机构。")
    depends_on(request, scopes.key(scopes.ORGANISATION, organisation.pk))
    return organisation


def not_found(request):
    """Any other address under /api/v1/: a JSON 404 like the API's own, not the site's page."""
    return JsonResponse(
        {"detail": "API 没有这个地址。"}, status=404, json_dumps_params={"ensure_ascii": False}
    )

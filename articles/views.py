from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from articles.forms import ArticleFilterForm
from articles.models import Article, City, public_tags

PAGE_SIZE = 20


def _page(request, queryset):
    """The requested page of queryset, read as ListView reads it ("last" included)."""
    paginator = Paginator(queryset, PAGE_SIZE)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(paginator.num_pages if number == "last" else number)
    except InvalidPage:
        raise Http404("没有这一页。") from None


@require_safe
def home(request):
    published = Article.objects.published()
    return render(
        request,
        "articles/home.html",
        {
            "latest": published.for_listing().newest_first()[:10],
            "tags": published.tag_facets(limit=40),
            "cities": City.objects.with_figures().with_article_counts(),
        },
    )


class ArticleListView(ListView):
    paginate_by = PAGE_SIZE
    template_name = "articles/article_list.html"

    def get_queryset(self):
        self.form = ArticleFilterForm(self.request.GET)
        return self.form.filter(Article.objects.published()).for_listing()

    def get_context_data(self, **kwargs):
        results = self.object_list
        return super().get_context_data(
            form=self.form,
            chips=self.form.active_filters(),
            tag_facets=results.tag_facets(),
            city_facets=results.city_facets(),
            year_facets=results.year_facets(),
            **kwargs,
        )


@require_safe
def article_detail(request, slug):
    articles = Article.objects.visible_to(request.user).prefetch_related(
        "tags", "links", Prefetch("cities", queryset=City.objects.with_figures())
    )
    article = get_object_or_404(articles, slug=slug)
    published = Article.objects.published()
    is_preview = request.user.is_staff and not published.filter(pk=article.pk).exists()
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "is_preview": is_preview,
            "related": published.related_to(article),
            "previous": published.before(article),
            "next": published.after(article),
        },
    )


@require_safe
def tag_list(request):
    tags = Article.objects.published().tag_facets(limit=None)
    return render(request, "articles/tag_list.html", {"tags": tags})


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(public_tags(), slug=slug)
    articles = Article.objects.published().tagged([slug])
    return render(
        request,
        "articles/tag_detail.html",
        {
            "tag": tag,
            "page_obj": _page(request, articles.for_listing().newest_first()),
            "cities": City.objects.filter(tags__slug=slug),
            "related_tags": [t for t in articles.tag_facets(limit=16) if t.pk != tag.pk],
        },
    )


@require_safe
def city_list(request):
    cities = City.objects.with_figures().with_article_counts().prefetch_related("tags")
    return render(request, "articles/city_list.html", {"cities": cities})


@require_safe
def city_detail(request, slug):
    city = get_object_or_404(City.objects.with_figures().prefetch_related("tags"), slug=slug)
    articles = Article.objects.published().in_cities([slug])
    return render(
        request,
        "articles/city_detail.html",
        {"city": city, "page_obj": _page(request, articles.for_listing().newest_first())},
    )

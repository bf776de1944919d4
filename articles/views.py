from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import ListView

from articles import entities, lookup, subscriptions
from articles.caching import depends_on, memoised
from articles.editorial.redirects import moved_article
from articles.forms import ArticleFilterForm, SubscriptionForm
from articles.models import Article, City, Subscription, TagRedirect, public_tags, scopes
from articles.search import results as search
from articles.search.snippets import with_snippets
from articles.throttling import throttle_sign_ups

PAGE_SIZE = 20


def page_of(request, queryset, count):
    """The requested page of queryset, read as ListView reads it ("last" included). count:
    how many there are, kept on write (articles.models.scopes): a popular tag's is not
    counted by a reader."""
    paginator = Paginator(queryset, PAGE_SIZE)
    paginator.count = count
    number = request.GET.get("page") or 1
    try:
        return paginator.page(paginator.num_pages if number == "last" else number)
    except InvalidPage:
        raise Http404("没有这一页。") from None


HOME_CITIES = 12


@require_safe
def home(request):
    cities = City.objects.with_article_counts().order_by("-num_articles", "slug")
    return render(
        request,
        "articles/home.html",
        {
            "latest": Article.objects.published().for_listing().newest_first()[:10],
            "tags": scopes.counted_tags()[:40],
            "cities": cities[:HOME_CITIES].with_figures(),
        },
    )


class ArticleListView(ListView):
    paginate_by = PAGE_SIZE
    template_name = "articles/article_list.html"

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # Counting a large result set is the costly part: kept on write for the whole archive,
        # and like the facets, once per change to what a filter shows.
        key, shown = self.form.filters_key(), self.form.scopes()
        if not self.form.is_filtered():
            self.total = paginator.count = scopes.article_count()
            return paginator
        if not self.form.query():
            count = memoised("article-count", key, queryset.count, shown)
            self.total = paginator.count = count
            return paginator
        # A search counts to one past search.RESULT_CAP and pages through search.RESULT_CAP at most. Its
        # parts' sizes (and how common each is) are remembered, not only their total: paging
        # through needs them too. So are their listings, in the order asked for.
        key = (key, self.form.cleaned_data["sort"])
        queryset.with_tally(memoised("search-tally", key, queryset.tally, shown))
        self.total = queryset.count()
        paginator.count = min(self.total, search.RESULT_CAP)
        return paginator

    def get_queryset(self):
        self.form = ArticleFilterForm(self.request.GET)
        return self.form.results(Article.objects.published().for_listing())

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        shown = self.form.scopes()
        depends_on(self.request, *shown)
        if self.form.is_filtered():
            facets = memoised(
                "article-facets",
                self.form.filters_key(),
                lambda: self.form.facets(published, self.object_list),
                shown,
            )
        else:
            facets = self.form.counted_facets()
        context = super().get_context_data(
            form=self.form,
            chips=self.form.active_filters(),
            **facets,
            **kwargs,
        )
        if query := self.form.query():
            context["query"] = query
            context["named"] = memoised("search-named", query, lambda: entities.named(query), shown)
            if not context["named"] and query.isascii():  # pinyin typed: 你要找的是不是
                context["suggested"] = suggestions(query)
            context["more_results"] = self.total > search.RESULT_CAP
            page = context["page_obj"]
            page.object_list = with_snippets(page.object_list, query)
        return context


def article_context(article, is_preview):
    published = Article.objects.published()
    previous, following = published.neighbours(article)
    return {
        "article": article,
        "is_preview": is_preview,
        "related": published.related_to(article),
        "previous": previous,
        "next": following,
    }


@require_safe
def article_detail(request, slug):
    articles = Article.objects.visible_to(request.user).select_related("author").for_detail()
    article = articles.filter(slug=slug).first()
    if article is None:
        return moved_article(slug)  # a former slug answers 301; anything else 404
    is_preview = request.user.is_staff and not article.is_public
    depends_on(request, *scopes.on_article_page(article))
    response = render(request, "articles/article_detail.html", article_context(article, is_preview))
    if is_preview:
        add_never_cache_headers(response)
    return response


@require_safe
def tag_list(request):
    return render(request, "articles/tag_list.html", {"tags": scopes.counted_tags()})


@require_safe
def tag_detail(request, slug):
    counted = public_tags().annotate(num_articles=scopes.article_count_of("scope"))
    tag = counted.filter(slug=slug).first()
    if tag is None:
        # A renamed or merged tag's old address moves permanently to the tag it became.
        moved = get_object_or_404(TagRedirect.objects.select_related("tag"), old_slug=slug)
        return redirect(moved.tag, permanent=True)
    articles = Article.objects.published().tagged([tag])
    shown = scopes.key(scopes.TAG, tag.pk)
    depends_on(request, shown)
    return render(
        request,
        "articles/tag_detail.html",
        {
            "tag": tag,
            "page_obj": page_of(request, articles.for_listing().newest_first(), tag.num_articles),
            "cities": City.objects.filter(tags__slug=slug),
            "related_tags": memoised(
                "related-tags",
                slug,
                lambda: [t for t in articles.tag_facets(17) if t.pk != tag.pk],
                [shown],
            ),
        },
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the hashed file."""
    return redirect(static("articles/favicon.ico"), permanent=True)


@throttle_sign_ups
def subscribe(request):
    """Feeds and e-mail: the feeds' addresses, and a sign-up (to everything, or to the tag or
    city the link came from) that is answered alike whether or not the address was known."""
    form = SubscriptionForm(request.POST or None, initial=request.GET.dict())
    if form.is_valid():
        data = form.cleaned_data
        try:
            subscriptions.sign_up(data["email"], data["frequency"], data["tag"], data["city"])
        except OSError:
            form.add_error(None, "确认信暂时发不出去，请过几分钟再试。")
        else:
            return render(request, "articles/subscription_asked.html", {"email": data["email"]})
    scope = SubscriptionForm(request.GET)
    scope.is_valid()
    context = {
        "form": form,
        "scope_tag": scope.cleaned_data.get("tag"),
        "scope_city": scope.cleaned_data.get("city"),
        "cities": City.objects.order_by("pk"),
    }
    return render(request, "articles/subscribe.html", context, status=400 if form.errors else 200)


@require_safe
def confirm_subscription(request, token):
    subscription = get_object_or_404(
        Subscription.objects.select_related("tag", "city"), token=token
    )
    subscriptions.confirm(subscription)
    return render(request, "articles/subscription_done.html", {"subscription": subscription})


@csrf_exempt  # a mail client's one-click POST has no CSRF token; the token in the URL is the key
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks (a mail scanner following links unsubscribes nobody); POST — the page's button or
    a mail client's one-click (RFC 8058) — removes the subscription and the address with it."""
    subscription = Subscription.objects.select_related("tag", "city").filter(token=token).first()
    if request.method == "POST":
        if subscription:
            subscription.delete()
        return render(request, "articles/unsubscribed.html")
    if subscription is None:
        return render(request, "articles/unsubscribed.html", status=404)
    return render(request, "articles/unsubscribe.html", {"subscription": subscription})


def suggestions(typed):
    shown = (scopes.LIST, scopes.CITIES)
    return lookup.suggestions(typed, memoised("lookup", (), lookup.entries, shown))


@require_safe
def suggest(request):
    """The search box's look-up as the reader types (articles/static/articles/lookup.js)."""
    found = suggestions(request.GET.get("q", ""))
    return JsonResponse({"suggestions": found}, json_dumps_params={"ensure_ascii": False})


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

"""The public pages' parameters: the filters of /articles/ (which the API takes too)."""

import re
from functools import cached_property

from django import forms

from articles.models import Article, City, Subscription, public_tags, scopes
from articles.search import results as search

SLUG = re.compile(r"^[-\w]{1,120}$")
MAX_FILTER_VALUES = 10


class SlugListField(forms.Field):
    """A repeatable URL parameter (?tag=a&tag=b) holding slugs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        slugs = []
        for item in value or []:
            item = item.strip()
            if not item:
                continue
            if not SLUG.match(item):
                raise forms.ValidationError(
                    "“%(value)s”不是有效的名称。", params={"value": item[:30]}
                )
            if item not in slugs:
                slugs.append(item)
        if len(slugs) > MAX_FILTER_VALUES:
            raise forms.ValidationError(f"最多同时筛选 {MAX_FILTER_VALUES} 项。")
        return slugs


class ArticleFilterForm(forms.Form):
    """The filters of /articles/: each one a URL parameter, all of them combinable."""

    SORTS = {"newest": ("-published_at", "-pk"), "oldest": ("published_at", "pk")}

    q = forms.CharField(
        label="关键词",
        max_length=100,
        required=False,
        error_messages={"max_length": "关键词最多 %(limit_value)s 个字。"},
    )
    tag = SlugListField(label="标签", required=False)
    match = forms.ChoiceField(
        label="标签匹配",
        choices=[("all", "全部标签"), ("any", "任一标签")],
        required=False,
        error_messages={"invalid_choice": "标签匹配只能是 all（全部标签）或 any（任一标签）。"},
    )
    city = SlugListField(label="城市", required=False)
    year = forms.IntegerField(
        label="年份",
        min_value=1949,
        max_value=2100,
        required=False,
        error_messages={
            "invalid": "年份要写成四位数字，如 2024。",
            "min_value": "年份不能早于 %(limit_value)s 年。",
            "max_value": "年份不能晚于 %(limit_value)s 年。",
        },
    )
    sort = forms.ChoiceField(
        label="排序",
        choices=[("newest", "最新在前"), ("oldest", "最早在前")],
        required=False,
        error_messages={"invalid_choice": "排序只能是 newest（最新在前）或 oldest（最早在前）。"},
    )  # with q and no sort chosen, the best matches come first

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added by name.
        for name, label in (("from", "起始日期"), ("to", "截止日期")):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                error_messages={"invalid": f"{label}要写成 2025-05-01 这样的格式。"},
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期晚于截止日期。")
        return data

    def matching(self, articles):
        """articles narrowed by the valid filters; nothing at all when any filter is invalid."""
        if not self.is_valid():
            return articles.none()
        data = self.cleaned_data
        tags, cities = self.chosen
        # A slug that names nothing stays a slug: the filters then know it matches nothing.
        articles = articles.tagged(
            [tags.get(slug, slug) for slug in data["tag"]], match_all=data["match"] != "any"
        )
        articles = articles.in_cities([cities.get(slug, slug) for slug in data["city"]])
        if data["year"]:
            articles = articles.filter(published_at__year=data["year"])
        if data["from"]:
            articles = articles.filter(published_at__date__gte=data["from"])
        if data["to"]:
            articles = articles.filter(published_at__date__lte=data["to"])
        return articles

    def results(self, articles):
        """What the list shows, in order: a search ranks its matches (best first unless a
        sort is chosen) and pages through at most search.RESULT_CAP of them."""
        articles = self.matching(articles)
        sort = self.cleaned_data["sort"] if self.is_valid() else ""
        if self.query():
            return search.ranked(articles, self.query(), sort and self.SORTS[sort])
        return articles.order_by(*self.SORTS[sort or "newest"])

    def facets(self, articles, listed=None):
        """Tag, city and year counts over every match (not only the page's). A search with
        more than search.RESULT_CAP matches lists only the first search.RESULT_CAP, and its counts
        are of those (listed_only): tallying every match is what is slow, and the links to
        narrow the search matter most when it is broad. listed: the page's results(), if
        already made."""
        found, pks = self.matching(articles), None
        listed_only = False
        if self.query():
            # The page's own results, when given: their count is then made once, not twice.
            listed = self.results(articles) if listed is None else listed
            listed_only = listed.count() > search.RESULT_CAP
            pks = listed.pks(search.RESULT_CAP)
            found = Article.objects.filter(pk__in=pks)
        return {
            "tag_facets": list(found.tag_facets(pks=pks)),
            "city_facets": list(found.city_facets(pks=pks)),
            "year_facets": list(found.year_facets()),
            "facets_listed_only": listed_only,
        }

    def counted_facets(self):
        """The facets of the whole archive, from the counts kept on write."""
        return {
            "tag_facets": list(scopes.counted_tags()[:30]),
            "city_facets": list(
                City.objects.with_article_counts()
                .filter(num_articles__gt=0)
                .order_by("-num_articles", "name")[:30]
            ),
            "year_facets": scopes.counted_years(),
            "facets_listed_only": False,
        }

    def is_filtered(self):
        """Whether the list is narrower than the whole archive (or the filters are invalid)."""
        if not self.is_valid():
            return True
        return any(value for name, value in self.cleaned_data.items() if name != "sort")

    def scopes(self):
        """What the list shows (articles.models.scopes): the tags', cities' or year's articles
        it is narrowed to, or, for a search, a date range or a name that is not there, the
        whole archive."""
        data = self.cleaned_data if self.is_valid() else {}
        if not data or data["q"] or data["from"] or data["to"]:
            return {scopes.LIST}
        tags, cities = self.chosen
        if len(tags) < len(data["tag"]) or len(cities) < len(data["city"]):
            return {scopes.LIST}
        shown = {scopes.key(scopes.TAG, tag.pk) for tag in tags.values()}
        shown |= {scopes.key(scopes.CITY, city.pk) for city in cities.values()}
        if data["year"]:
            shown.add(scopes.key(scopes.YEAR, data["year"]))
        return shown or {scopes.LIST}

    @cached_property
    def chosen(self):
        """({slug: Tag}, {slug: City}) of the tags and cities filtered by, read once for the
        filters and the chips; only tags the public may see."""
        data = self.cleaned_data
        # Most pages filter by neither: no query to build (some 2 ms of a search page each).
        tags = data["tag"] and public_tags().filter(slug__in=data["tag"]).only("name", "slug")
        cities = data["city"] and City.objects.filter(slug__in=data["city"]).only("name", "slug")
        return {t.slug: t for t in tags}, {c.slug: c for c in cities}

    def query(self):
        """The search words, when there are any and the filters are valid."""
        return self.cleaned_data["q"] if self.is_valid() else ""

    def filters_key(self):
        """What the result set depends on (not its order or page): a key for its facets."""
        if not self.is_valid():
            return None
        data = sorted(self.cleaned_data.items())
        return tuple((name, repr(value)) for name, value in data if name != "sort")

    def active_filters(self):
        """(parameter, value, label) for each filter in use, to show as removable chips."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        tags, cities = self.chosen
        chips = [
            ("tag", slug, f"标签：{getattr(tags.get(slug), 'name', slug)}") for slug in data["tag"]
        ]
        chips += [
            ("city", slug, f"城市：{getattr(cities.get(slug), 'name', slug)}")
            for slug in data["city"]
        ]
        if data["year"]:
            chips.append(("year", str(data["year"]), f"{data['year']} 年"))
        for name, label in (("from", "起"), ("to", "止")):
            if data[name]:
                chips.append((name, self.data[name], f"{label}：{data[name]:%Y-%m-%d}"))
        if data["q"]:
            chips.append(("q", self.data["q"], f"关键词：{data['q']}"))
        return chips


class SubscriptionForm(forms.Form):
    """An e-mail subscription to everything, or to the tag or city named by its slug."""

    email = forms.EmailField(
        label="邮箱",
        max_length=254,
        error_messages={"required": "请填写邮箱。", "invalid": "这个邮箱地址写得不对。"},
    )
    frequency = forms.ChoiceField(
        label="频率",
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "频率只能是每天或每周。", "required": "请选择频率。"},
    )
    tag = forms.CharField(required=False, widget=forms.HiddenInput)
    city = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_tag(self):
        slug = self.cleaned_data["tag"]
        if not slug:
            return None
        tag = public_tags().filter(slug=slug).first()
        if tag is None:
            raise forms.ValidationError("没有这个标签。")
        return tag

    def clean_city(self):
        slug = self.cleaned_data["city"]
        if not slug:
            return None
        city = City.objects.filter(slug=slug).first()
        if city is None:
            raise forms.ValidationError("没有这座城市。")
        return city

import re

from django import forms

from articles.models import City, public_tags
from articles.tagging import validate_tag_names

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

    q = forms.CharField(label="关键词", max_length=100, required=False)
    tag = SlugListField(label="标签", required=False)
    match = forms.ChoiceField(
        label="标签匹配",
        choices=[("all", "全部标签"), ("any", "任一标签")],
        required=False,
    )
    city = SlugListField(label="城市", required=False)
    year = forms.IntegerField(label="年份", min_value=1949, max_value=2100, required=False)
    sort = forms.ChoiceField(
        label="排序", choices=[("newest", "最新在前"), ("oldest", "最早在前")], required=False
    )  # with q and no sort chosen, the best matches come first

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added by name.
        self.fields["from"] = forms.DateField(label="起始日期", required=False)
        self.fields["to"] = forms.DateField(label="截止日期", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期晚于截止日期。")
        return data

    def filter(self, articles):
        """articles narrowed by the valid filters; nothing at all when any filter is invalid."""
        if not self.is_valid():
            return articles.none()
        data = self.cleaned_data
        articles = articles.tagged(data["tag"], match_all=data["match"] != "any")
        articles = articles.in_cities(data["city"])
        if data["year"]:
            articles = articles.filter(published_at__year=data["year"])
        if data["from"]:
            articles = articles.filter(published_at__date__gte=data["from"])
        if data["to"]:
            articles = articles.filter(published_at__date__lte=data["to"])
        if data["q"]:
            articles = articles.search(data["q"])
            if not data["sort"]:
                return articles.order_by("-search_rank", *self.SORTS["newest"])
        return articles.order_by(*self.SORTS[data["sort"] or "newest"])

    def query(self):
        """The search words, when there are any and the filters are valid."""
        return self.cleaned_data["q"] if self.is_valid() else ""

    def active_filters(self):
        """(parameter, value, label) for each filter in use, to show as removable chips."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        tags = dict(public_tags().filter(slug__in=data["tag"]).values_list("slug", "name"))
        cities = dict(City.objects.filter(slug__in=data["city"]).values_list("slug", "name"))
        chips = [("tag", slug, f"标签：{tags.get(slug, slug)}") for slug in data["tag"]]
        chips += [("city", slug, f"城市：{cities.get(slug, slug)}") for slug in data["city"]]
        if data["year"]:
            chips.append(("year", str(data["year"]), f"{data['year']} 年"))
        for name, label in (("from", "起"), ("to", "止")):
            if data[name]:
                chips.append((name, self.data[name], f"{label}：{data[name]:%Y-%m-%d}"))
        if data["q"]:
            chips.append(("q", self.data["q"], f"关键词：{data['q']}"))
        return chips


class TaggedAdminForm(forms.ModelForm):
    """Admin form for a model with tags: names that make no URL are refused with a message."""

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        validate_tag_names(names)
        return names

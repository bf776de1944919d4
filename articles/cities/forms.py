"""The city pages' parameters: the /cities/ table's filters and sort, and the cities compared."""

from django import forms

from articles.forms import SlugListField
from articles.models import City


class CityIndexForm(forms.Form):
    """The /cities/ table's filters (province, region) and sort order, each a URL parameter."""

    # column -> (heading, default order)
    COLUMNS = {
        "name": ("城市", "asc"),
        "gdp": ("GDP（亿元）", "desc"),
        "gdp_growth": ("名义增速（%）", "desc"),
        "population": ("常住人口（万人）", "desc"),
        "gdp_per_person": ("人均GDP（元）", "desc"),
        "gdp_rank": ("全国GDP排名", "asc"),
        "articles": ("文章", "desc"),
    }

    province = forms.ChoiceField(
        label="省份", required=False, error_messages={"invalid_choice": "没有收录这个省份的城市。"}
    )
    region = forms.ChoiceField(
        label="区域", required=False, error_messages={"invalid_choice": "没有收录这个区域的城市。"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("province", "region"):
            values = City.objects.exclude(**{name: ""}).order_by(name).values_list(name, flat=True)
            self.fields[name].choices = [("", "全部"), *((v, v) for v in values.distinct())]

    def filter(self, cities):
        if not self.is_valid():
            return cities.none()
        filters = {name: self.cleaned_data[name] for name in ("province", "region")}
        return cities.filter(**{name: value for name, value in filters.items() if value})

    @property
    def sort_key(self):
        """(column, "asc" or "desc"): an unknown column or order falls back to the default,
        as sorting never hides a row."""
        sort = self.data.get("sort")
        sort = sort if sort in self.COLUMNS else "gdp"
        order = self.data.get("order")
        return sort, order if order in ("asc", "desc") else self.COLUMNS[sort][1]


class CompareForm(forms.Form):
    """?c=hangzhou&c=nanjing: two to four cities, in the order given."""

    MIN_CITIES, MAX_CITIES = 2, 4

    c = SlugListField(label="城市", required=False)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = {city.slug: city for city in cities}

    def clean_c(self):
        slugs = self.cleaned_data["c"]
        unknown = [slug for slug in slugs if slug not in self.cities]
        if unknown:
            raise forms.ValidationError(f"没有找到城市：{'、'.join(unknown)}。")
        if len(slugs) > self.MAX_CITIES:
            raise forms.ValidationError(f"最多同时比较 {self.MAX_CITIES} 座城市。")
        if len(slugs) == 1:
            raise forms.ValidationError("请至少选择两座城市。")
        return slugs

    @property
    def selected(self):
        return self.cleaned_data["c"] if self.is_valid() else []

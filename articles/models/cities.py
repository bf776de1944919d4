"""Cities with their yearly figures and further indicators, and the organisations articles
write about."""

from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from taggit.managers import TaggableManager

from articles.cities.citations import Citation, FigureStatus
from articles.cities.columns import validate_indicator_code
from articles.markdown import MAX_BODY_LENGTH, render_markdown
from articles.mentions import build_index
from articles.models.slugs import unique_slug
from articles.tagging import SEPARATORS
from articles.text import pinyin_slug


def status_field(what):
    return models.CharField(
        f"{what}状态",
        max_length=20,
        choices=FigureStatus,
        default=FigureStatus.UNSTATED,
        blank=True,
        help_text="只有统计公报、初步核算、修订后和转引（有出处）的数字才参与计算。",
    )


def basis_field(what):
    return models.CharField(
        f"{what}口径",
        max_length=60,
        blank=True,
        help_text="公布时的口径，如“第五次全国经济普查后”；增速只在两年口径相同时计算。",
    )


def publisher_field(what):
    return models.CharField(f"{what}发布机构", max_length=100, blank=True)


def title_field(what):
    return models.CharField(f"{what}文件名", max_length=200, blank=True)


def published_field(what):
    return models.PositiveSmallIntegerField(f"{what}发布年份", null=True, blank=True)


def published_article_count():
    """How many published articles each city or organisation has: counted on write, in its
    scope (articles.models.scopes)."""
    return Coalesce(F("scope__articles"), 0)


class CityQuerySet(models.QuerySet):
    def with_figures(self):
        return self.prefetch_related(
            Prefetch("figures", queryset=CityFigures.objects.order_by("-year"))
        )

    def with_indicators(self):
        """with_figures() plus the values of the indicators kept beside the core figures."""
        return self.with_figures().prefetch_related(
            Prefetch(
                "indicator_values", queryset=IndicatorValue.objects.select_related("indicator")
            )
        )

    def with_article_counts(self):
        return self.annotate(num_articles=published_article_count())


class City(models.Model):
    name = models.CharField("名称", max_length=50, unique=True)
    name_en = models.CharField("英文名", max_length=80, blank=True)
    slug = models.SlugField(
        "网址名",
        max_length=80,
        unique=True,
        blank=True,
        help_text="留空则按名称的拼音生成，如 hangzhou。",
    )
    province = models.CharField("省份", max_length=50, blank=True)
    region = models.CharField("区域", max_length=50, blank=True, db_index=True)
    summary = models.CharField("简介", max_length=300, blank=True)
    body = models.TextField("介绍（Markdown）", blank=True, max_length=MAX_BODY_LENGTH)
    body_html = models.TextField(editable=False, blank=True)
    tags = TaggableManager("主要产业", blank=True, help_text="用逗号、顿号或分号分隔。")

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]  # pinyin order, as Chinese indexes sort
        verbose_name = "城市"
        verbose_name_plural = "城市"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(City, pinyin_slug(self.name_en or self.name).replace("-", ""))
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:city-detail", args=[self.slug])

    def latest(self, field):
        """(year, value) of the newest year that has field, from prefetched figures."""
        for row in self.figures.all():
            if getattr(row, field) is not None:
                return row
        return None

    @property
    def latest_gdp(self):
        return self.latest("gdp")

    @property
    def latest_population(self):
        return self.latest("population")


class CityFigures(models.Model):
    """One city's figures for one year, each with where it comes from.

    An unknown figure stays empty (NULL), never 0.
    """

    city = models.ForeignKey(
        City, verbose_name="城市", on_delete=models.CASCADE, related_name="figures"
    )
    year = models.PositiveSmallIntegerField("年份")
    gdp = models.DecimalField("GDP（亿元）", max_digits=12, decimal_places=2, null=True, blank=True)
    gdp_status = status_field("GDP ")
    gdp_basis = basis_field("GDP ")
    gdp_source = models.CharField("GDP 来源（链接或说明）", max_length=500, blank=True)
    gdp_publisher = publisher_field("GDP 来源")
    gdp_title = title_field("GDP 来源")
    gdp_published = published_field("GDP 来源")
    population = models.DecimalField(
        "常住人口（万人）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    population_status = status_field("人口")
    population_basis = basis_field("人口")
    population_source = models.CharField("人口来源（链接或说明）", max_length=500, blank=True)
    population_publisher = publisher_field("人口来源")
    population_title = title_field("人口来源")
    population_published = published_field("人口来源")
    gdp_rank = models.PositiveSmallIntegerField("全国 GDP 排名", null=True, blank=True)
    gdp_rank_status = status_field("排名")
    gdp_rank_source = models.CharField("排名来源（链接或说明）", max_length=500, blank=True)
    gdp_rank_publisher = publisher_field("排名来源")
    gdp_rank_title = title_field("排名来源")
    gdp_rank_published = published_field("排名来源")

    class Meta:
        ordering = ["city", "-year"]
        verbose_name = "年度数据"
        verbose_name_plural = "年度数据"
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="one_figures_row_per_city_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=2100), name="figures_year_in_range"
            ),
            models.CheckConstraint(
                condition=Q(gdp__isnull=True) | Q(gdp__gte=0), name="figures_gdp_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population__gte=0),
                name="figures_population_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.city} {self.year}"

    def get_absolute_url(self):
        return f"{self.city.get_absolute_url()}#figures-{self.year}"

    def citation(self, field, label=""):
        """The Citation of one figure (gdp, population or gdp_rank)."""
        return Citation(
            label=label,
            publisher=getattr(self, f"{field}_publisher"),
            title=getattr(self, f"{field}_title"),
            year=getattr(self, f"{field}_published"),
            source=getattr(self, f"{field}_source"),
            status=getattr(self, f"{field}_status"),
            basis=getattr(self, f"{field}_basis", ""),
        )

    @property
    def sources(self):
        """A Citation for each figure that is known or names where it comes from."""
        citations = [
            self.citation(field, label)
            for field, label in (("gdp", "GDP"), ("population", "人口"), ("gdp_rank", "排名"))
        ]
        return [
            c
            for c, field in zip(citations, ("gdp", "population", "gdp_rank"), strict=True)
            if getattr(self, field) is not None or c.source or c.publisher or c.title
        ]


class OrganisationQuerySet(models.QuerySet):
    def with_article_counts(self):
        return self.select_related("city").annotate(num_articles=published_article_count())


class Organisation(models.Model):
    """A company, university, laboratory or media outlet that articles write about."""

    class Kind(models.TextChoices):
        COMPANY = "company", "企业"
        UNIVERSITY = "university", "高校"
        LAB = "lab", "实验室与研究机构"
        MEDIA = "media", "媒体"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100, unique=True)
    name_en = models.CharField("英文名", max_length=100, blank=True)
    slug = models.SlugField(
        "网址名",
        max_length=100,
        unique=True,
        blank=True,
        help_text="留空则按名称生成：中文取拼音，如 yushu-keji；拉丁字母名直接使用，如 deepseek。",
    )
    kind = models.CharField(
        "类型", max_length=20, choices=Kind, default=Kind.COMPANY, db_index=True
    )
    city = models.ForeignKey(
        City,
        verbose_name="所在城市",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
    )
    aliases = models.CharField(
        "别名",
        max_length=300,
        blank=True,
        help_text="文中可能出现的其他叫法，用逗号、顿号或分号分隔，如：Unitree、宇树。",
    )
    summary = models.CharField("简介", max_length=300, blank=True)
    website = models.URLField("网站", max_length=300, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = "机构"
        verbose_name_plural = "机构"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, pinyin_slug(self.name), exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:organisation-detail", args=[self.slug])

    @property
    def alias_list(self):
        return [name.strip() for name in SEPARATORS.split(self.aliases) if name.strip()]


class Indicator(models.Model):
    """A further yearly indicator (R&D spending, port throughput …), added without a migration.

    GDP, population and rank live on CityFigures; per-capita GDP and growth are derived
    (articles/indicators.py) and never stored.
    """

    code = models.SlugField(
        "代码", max_length=40, unique=True, validators=[validate_indicator_code],
        help_text="CSV 中的列名，如 rd_spending；来源列为 rd_spending_source。",
    )  # fmt: skip
    name = models.CharField("名称", max_length=50)
    unit = models.CharField("单位", max_length=20, help_text="如：亿元、万标箱、%")
    description = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "其他指标"
        verbose_name_plural = "其他指标"

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class IndicatorValue(models.Model):
    """One city's value of one further indicator in one year, with its source.

    A value not found has no row: nothing is stored as 0 in its place.
    """

    city = models.ForeignKey(
        City, verbose_name="城市", on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField("年份")
    value = models.DecimalField("数值", max_digits=16, decimal_places=4)
    status = status_field("")
    basis = basis_field("")
    source = models.CharField("来源（链接或说明）", max_length=500, blank=True)
    publisher = publisher_field("来源")
    title = title_field("来源")
    published = published_field("来源")

    class Meta:
        ordering = ["city", "indicator", "-year"]
        verbose_name = "其他指标数值"
        verbose_name_plural = "其他指标数值"
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator", "year"], name="one_value_per_city_indicator_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=2100), name="indicator_year_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.city} {self.year} {self.indicator.name}"

    @property
    def citation(self):
        return Citation(
            label=self.indicator.name,
            publisher=self.publisher,
            title=self.title,
            year=self.published,
            source=self.source,
            status=self.status,
            basis=self.basis,
        )


def name_index():
    """Every city's and organisation's names, folded, for finding mentions (articles.mentions)."""
    return build_index(
        Organisation.objects.values_list("pk", "slug", "name", "name_en", "aliases"),
        City.objects.values_list("pk", "slug", "name"),
    )

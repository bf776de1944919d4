"""A city's indicators by year: the stored figures, the derived ones, and comparisons in words.

Stored: GDP (亿元), resident population (万人) and national GDP rank on CityFigures; further
indicators as IndicatorValue rows. Derived here and nowhere else, never stored: GDP per person
(元) and nominal GDP growth on the year before (%). A missing input gives a missing result.
All arithmetic is Decimal.

Pure: it reads cities loaded with their figures (City.objects.with_indicators()), never the
database itself.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SOURCE_LINK = re.compile(r"https?://[^\s（(]+")
YUAN_PER_100M_YUAN_PER_10K_PEOPLE = Decimal(10_000)  # 亿元 / 万人 = 10,000 元 per person


def split_source(source):
    """(link, note) of a source: a link, a note ("二手转录，尚未与统计公报核对"), or both."""
    match = SOURCE_LINK.match(source)
    link = match.group(0) if match else ""
    return link, source[len(link) :].strip()


def amount(value):
    """18500.81 -> 18,500.81 and 21860.00 -> 21,860; a missing figure shows as —."""
    if value is None or value == "":
        return "—"
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return f"{value:,.{places}f}"


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    more: str = "高"
    less: str = "低"
    diff_unit: str = ""  # the unit of a difference, when it is not the unit of a value
    lower_is_better: bool = False  # a rank: 1 is first
    derived: bool = False
    description: str = ""
    chart: bool = False

    @property
    def label(self):
        return f"{self.name}（{self.unit}）"

    def value(self, series, year):
        """This measure for one year of a city's series: a Decimal, or None if not known."""
        return series.stored(self.code, year)

    def difference(self, name_a, value_a, name_b, value_b, year):
        """The comparison in words: 杭州2024年GDP比南京高3,359.19亿元."""
        subject = f"{year}年{self.name}"
        missing = [name for name, value in ((name_a, value_a), (name_b, value_b)) if value is None]
        if missing:
            return f"{'、'.join(missing)}{subject}暂缺，无法比较。"
        gap = value_b - value_a if self.lower_is_better else value_a - value_b
        if gap == 0:
            return f"{name_a}与{name_b}{subject}相同。"
        word = self.more if gap > 0 else self.less
        return f"{name_a}{subject}比{name_b}{word}{amount(abs(gap))}{self.diff_unit or self.unit}。"


class PerPerson(Measure):
    def value(self, series, year):
        gdp, population = series.stored("gdp", year), series.stored("population", year)
        if gdp is None or not population:
            return None
        per_person = gdp / population * YUAN_PER_100M_YUAN_PER_10K_PEOPLE
        return per_person.quantize(Decimal(1), rounding=ROUND_HALF_UP)


class Growth(Measure):
    def value(self, series, year):
        this, last = series.stored("gdp", year), series.stored("gdp", year - 1)
        if this is None or not last:
            return None
        growth = (this - last) / last * 100
        return growth.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


GDP = Measure("gdp", "GDP", "亿元", chart=True, description="地区生产总值，当年价。")
POPULATION = Measure(
    "population", "常住人口", "万人", more="多", less="少", chart=True, description="年末常住人口。"
)
RANK = Measure(
    "gdp_rank",
    "全国GDP排名",
    "位",
    more="靠前",
    less="靠后",
    lower_is_better=True,
    description="在全国城市中的 GDP 位次。",
)
PER_PERSON = PerPerson(
    "gdp_per_person",
    "人均GDP",
    "元",
    derived=True,
    chart=True,
    description="GDP ÷ 年末常住人口，按同一年的两个数字计算，取整到元；统计公报用年平均人口，可能略有出入。",
)
GROWTH = Growth(
    "gdp_growth",
    "GDP名义增速",
    "%",
    diff_unit="个百分点",
    derived=True,
    description="按当年价 GDP 与上一年相比计算的名义增速；统计公报公布的是按不变价计算的实际增速。",
)
CORE = (GDP, GROWTH, POPULATION, PER_PERSON, RANK)


def measures(series_list=()):
    """The core measures, then each further indicator any of these cities has a value for."""
    further = {}
    for series in series_list:
        for value in series.extra.values():
            indicator = value.indicator
            further.setdefault(
                indicator.code,
                Measure(
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    description=indicator.description,
                ),
            )
    return [*CORE, *sorted(further.values(), key=lambda measure: measure.code)]


class Series:
    """One city's indicators by year, from its prefetched figures (and indicator values)."""

    def __init__(self, city):
        self.city = city
        self.rows = {row.year: row for row in city.figures.all()}
        # Further indicators only where loaded (with_indicators()): never a query per city.
        values = getattr(city, "_prefetched_objects_cache", {}).get("indicator_values", [])
        self.extra = {(value.indicator.code, value.year): value for value in values}
        self.years = sorted(set(self.rows) | {year for _code, year in self.extra}, reverse=True)

    def stored(self, code, year):
        row = self.rows.get(year)
        if code in ("gdp", "population", "gdp_rank"):
            value = getattr(row, code) if row else None
            return None if value is None else Decimal(value)
        value = self.extra.get((code, year))
        return value.value if value else None

    def latest(self, measure):
        """(year, value) of the newest year that has the measure, or (None, None)."""
        for year in self.years:
            value = measure.value(self, year)
            if value is not None:
                return year, value
        return None, None

    def table(self, measures):
        """[(year, [value per measure], [(label, link, note) sources])] newest year first."""
        rows = []
        for year in self.years:
            figures = self.rows.get(year)
            sources = list(figures.sources) if figures else []
            sources += [
                (value.indicator.name, *split_source(value.source))
                for (code, value_year), value in self.extra.items()
                if value_year == year and value.source
            ]
            rows.append((year, [m.value(self, year) for m in measures], sources))
        return rows


@dataclass
class Chart:
    """One measure over the years for one or more cities; the page shows it as a table too."""

    measure: Measure
    years: list
    series: list  # [(city name, [value per year])]

    @property
    def id(self):
        return f"chart-{self.measure.code}"

    @property
    def rows(self):
        """[(year, [value per city])] for the table beside the chart."""
        return [
            (year, [values[n] for _name, values in self.series])
            for n, year in enumerate(self.years)
        ]

    @property
    def data(self):
        """What charts.js draws, emitted with json_script: numbers as floats, a gap as null."""
        return {
            "title": self.measure.label,
            "unit": self.measure.unit,
            "categories": [f"{year}年" for year in self.years],
            "series": [
                {"name": name, "data": [None if v is None else float(v) for v in values]}
                for name, values in self.series
            ],
        }


def charts(series_list):
    """A Chart for each charted measure, years oldest first."""
    years = sorted({year for series in series_list for year in series.years})
    return [
        Chart(m, years, [(s.city.name, [m.value(s, year) for year in years]) for s in series_list])
        for m in measures(series_list)
        if m.chart
    ]


def index_rows(cities, sort, order):
    """The /cities/ table: per city the latest (year, value) of each CORE measure, sorted by one
    column. Rows without a value in the sort column come last whichever the order.
    """
    rows = [(city, [Series(city).latest(m) for m in CORE]) for city in cities]
    if sort == "name":
        return rows if order == "asc" else rows[::-1]
    codes = [m.code for m in CORE]

    def key(row):
        city, cells = row
        return city.num_articles if sort == "articles" else cells[codes.index(sort)][1]

    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    return sorted(known, key=key, reverse=order == "desc") + unknown

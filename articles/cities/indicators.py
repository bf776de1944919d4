"""A city's indicators by year: the stored figures, the derived ones, and comparisons in words.

Stored: GDP (亿元), resident population (万人) and national GDP rank on CityFigures; further
indicators as IndicatorValue rows, each with a status and basis. Derived here and nowhere else,
never stored: GDP per person (元) and nominal GDP growth on the year before (%), computed only
from checked inputs (growth: of one stated basis); otherwise the Figure says why in one line.
A missing input gives a missing result. All arithmetic is Decimal.

Pure: it reads cities loaded with their figures (City.objects.with_indicators()), never the
database itself.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from articles.cities.citations import FigureStatus, is_checked

YUAN_PER_100M_YUAN_PER_10K_PEOPLE = Decimal(10_000)  # 亿元 / 万人 = 10,000 元 per person
DERIVED = "derived"  # the status of a figure the site computed from checked inputs
STORED_ON_FIGURES = ("gdp", "population", "gdp_rank")


def amount(value):
    """18500.81 -> 18,500.81 and 21860.00 -> 21,860; a missing figure shows as —."""
    if value is None or value == "":
        return "—"
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return f"{value:,.{places}f}"


@dataclass(frozen=True)
class Figure:
    """One value with what it is worth: its status and basis, or why it was not computed."""

    value: Decimal | None = None
    status: str = ""
    basis: str = ""
    why: str = ""  # a derived figure left out: the one short line that says why

    @property
    def checked(self):
        return self.status == DERIVED or is_checked(self.status)

    @property
    def flagged(self):
        """A stored value shown but used for nothing: the page marks it."""
        return self.value is not None and not self.checked

    @property
    def standing(self):
        """What an unchecked figure is, in words: 为“二手转录未核对”, or 未标注状态."""
        if self.status == FigureStatus.UNSTATED:
            return "未标注状态"
        return f"为“{self.status_label}”"

    @property
    def status_label(self):
        if self.status == DERIVED:
            return "计算值"
        return FigureStatus(self.status).label if self.status in FigureStatus.values else ""


MISSING = Figure()


def _unchecked(year, what, figure):
    return f"{year}年{what}{figure.standing}"


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

    def figure(self, series, year):
        """This measure for one year of a city's series, as a Figure (value None if not known)."""
        return series.figure(self.code, year)

    def value(self, series, year):
        return self.figure(series, year).value


class PerPerson(Measure):
    def figure(self, series, year):
        gdp, population = series.figure("gdp", year), series.figure("population", year)
        if gdp.value is None or not population.value:
            return MISSING
        unchecked = [
            _unchecked(year, what, f)
            for what, f in (("GDP", gdp), ("常住人口", population))
            if not f.checked
        ]
        if unchecked:
            return Figure(why=f"{'，'.join(unchecked)}，未计算人均GDP。")
        per_person = gdp.value / population.value * YUAN_PER_100M_YUAN_PER_10K_PEOPLE
        value = per_person.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return Figure(value, DERIVED, gdp.basis)


class Growth(Measure):
    def figure(self, series, year):
        this, last = series.figure("gdp", year), series.figure("gdp", year - 1)
        if this.value is None or not last.value:
            return MISSING
        unchecked = [
            _unchecked(y, "GDP", f) for y, f in ((year - 1, last), (year, this)) if not f.checked
        ]
        if unchecked:
            return Figure(why=f"{'，'.join(unchecked)}，未计算名义增速。")
        if not this.basis or this.basis != last.basis:
            bases = f"（{last.basis or '未注明'}；{this.basis or '未注明'}）"
            return Figure(why=f"{year - 1}年与{year}年GDP的口径不同{bases}，未计算名义增速。")
        growth = (this.value - last.value) / last.value * 100
        return Figure(growth.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), DERIVED, this.basis)


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
    description="GDP ÷ 年末常住人口，按同一年的两个已核对数字计算，取整到元；统计公报用年平均人口，可能略有出入。",
)
GROWTH = Growth(
    "gdp_growth",
    "GDP名义增速",
    "%",
    diff_unit="个百分点",
    derived=True,
    description="按当年价 GDP 与上一年相比计算的名义增速，只在两年 GDP 都已核对且口径相同时计算；统计公报公布的是按不变价计算的实际增速。",
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

    def figure(self, code, year):
        if code in STORED_ON_FIGURES:
            row = self.rows.get(year)
            value = getattr(row, code) if row else None
            if value is None:
                return MISSING
            status = getattr(row, f"{code}_status")
            return Figure(Decimal(value), status, getattr(row, f"{code}_basis", ""))
        value = self.extra.get((code, year))
        return Figure(value.value, value.status, value.basis) if value else MISSING

    def stored(self, code, year):
        return self.figure(code, year).value

    def latest(self, measure):
        """(year, Figure) of the newest year that has the measure; failing that, of the newest
        year that says why it has none; else (None, MISSING)."""
        figures = [(year, measure.figure(self, year)) for year in self.years]
        for year, figure in figures:
            if figure.value is not None:
                return year, figure
        for year, figure in figures:
            if figure.why:
                return year, figure
        return None, MISSING

    def table(self, measures):
        """[(year, [Figure per measure], [Citation])] newest year first."""
        rows = []
        for year in self.years:
            figures = self.rows.get(year)
            sources = list(figures.sources) if figures else []
            sources += [
                value.citation
                for (code, value_year), value in sorted(self.extra.items())
                if value_year == year
            ]
            rows.append((year, [m.figure(self, year) for m in measures], sources))
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
    drawn = [
        Chart(m, years, [(s.city.name, [m.value(s, year) for year in years]) for s in series_list])
        for m in measures(series_list)
        if m.chart
    ]
    return [chart for chart in drawn if any(v is not None for _n, vs in chart.series for v in vs)]


def index_rows(cities, sort, order):
    """The /cities/ table: per city (measure, year, Figure) of the latest of each CORE measure,
    sorted by one column. Rows without a value in the sort column come last whichever the order.
    """
    rows = []
    for city in cities:
        series = Series(city)
        rows.append((city, [(m, *series.latest(m)) for m in CORE]))
    if sort == "name":
        return rows if order == "asc" else rows[::-1]
    codes = [m.code for m in CORE]

    def key(row):
        city, cells = row
        return city.num_articles if sort == "articles" else cells[codes.index(sort)][2].value

    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    return sorted(known, key=key, reverse=order == "desc") + unknown

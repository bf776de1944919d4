"""Two to four cities side by side: figures, differences in words, industries, organisations.

Every pair of cities is compared, each sentence names both sides, and no sentence is said twice.
A figure that is missing, unchecked, not computed or of another basis is said so once per city
and measure, naming the cities it cannot be compared with.
"""

from itertools import combinations

from articles.cities.indicators import Series, amount, charts, measures


def _names(cities):
    return "、".join(city.name for city in cities)


def difference(measure, year, a, fa, b, fb):
    """Two checked figures of one basis in words: 杭州2024年GDP比南京高3,359.19亿元。"""
    subject = f"{year}年{measure.name}"
    gap = fb.value - fa.value if measure.lower_is_better else fa.value - fb.value
    if gap == 0:
        return f"{a.name}与{b.name}{subject}相同。"
    word = measure.more if gap > 0 else measure.less
    unit = measure.diff_unit or measure.unit
    return f"{a.name}{subject}比{b.name}{word}{amount(abs(gap))}{unit}。"


def _not_compared(measure, year, city, figure, others):
    """Why one city's figure is compared with none of the others, in one sentence."""
    subject = f"{city.name}{year}年{measure.name}"
    if figure.value is None and figure.why:
        return f"{subject}未计算（{figure.why.rstrip('。')}），无法与{_names(others)}比较。"
    if figure.value is None:
        return f"{subject}暂缺，无法与{_names(others)}比较。"
    return f"{subject}{figure.standing}，不与{_names(others)}比较。"


def sentences(measure, year, cities, figures):
    """Every statement about one measure in one year, each naming both sides."""
    if all(figure.value is None and not figure.why for figure in figures):
        return []
    usable = [
        (city, figure)
        for city, figure in zip(cities, figures, strict=True)
        if figure.value is not None and figure.checked
    ]
    said = [
        _not_compared(measure, year, city, figure, [other for other in cities if other != city])
        for city, figure in zip(cities, figures, strict=True)
        if (city, figure) not in usable
    ]
    for (a, fa), (b, fb) in combinations(usable, 2):
        if fa.basis == fb.basis:
            said.append(difference(measure, year, a, fa, b, fb))
        else:
            said.append(f"{a.name}与{b.name}{year}年{measure.name}的口径不同，不作比较。")
    return list(dict.fromkeys(said))


class Comparison:
    def __init__(self, cities):
        """cities in the reader's order, loaded with_indicators() and their tags and organisations."""
        self.cities = cities
        self.series = [Series(city) for city in cities]
        self.measures = measures(self.series)
        self.years = sorted({year for s in self.series for year in s.years}, reverse=True)

    def table(self):
        """[(year, measure, [Figure per city])] for each year and measure any city has."""
        rows = []
        for year in self.years:
            for measure in self.measures:
                figures = [measure.figure(series, year) for series in self.series]
                if any(figure.value is not None for figure in figures):
                    rows.append((year, measure, figures))
        return rows

    def differences(self):
        """[(year, [sentence])]: every pair of cities, for every measure any of them has."""
        by_year = []
        for year in self.years:
            said = []
            for measure in self.measures:
                figures = [measure.figure(series, year) for series in self.series]
                said += sentences(measure, year, self.cities, figures)
            if said:
                by_year.append((year, list(dict.fromkeys(said))))
        return by_year

    def charts(self):
        return charts(self.series)

    def industries(self):
        """([(tag, [cities that have it])] for tags of two or more cities,
        [(city, [tags no other of these cities has])])."""
        names = [{tag.name for tag in city.tags.all()} for city in self.cities]
        holders = {}
        for city, own in zip(self.cities, names, strict=True):
            for name in own:
                holders.setdefault(name, []).append(city)
        shared = [(name, cities) for name, cities in sorted(holders.items()) if len(cities) > 1]
        unique = [
            (city, sorted(name for name in own if len(holders[name]) == 1))
            for city, own in zip(self.cities, names, strict=True)
        ]
        return shared, unique

"""Two to four cities side by side: figures, differences in words, industries, organisations."""

from articles.cities.indicators import Series, charts, measures


class Comparison:
    def __init__(self, cities):
        """cities in the reader's order, loaded with_indicators() and their tags and organisations."""
        self.cities = cities
        self.series = [Series(city) for city in cities]
        self.measures = measures(self.series)
        self.years = sorted({year for s in self.series for year in s.years}, reverse=True)

    def table(self):
        """[(year, measure, [value per city])] for each year and measure any city has."""
        rows = []
        for year in self.years:
            for measure in self.measures:
                values = [measure.value(series, year) for series in self.series]
                if any(value is not None for value in values):
                    rows.append((year, measure, values))
        return rows

    def differences(self):
        """[(year, [sentence])]: each other city against the first, for every measure either has."""
        first, *others = self.series
        by_year = []
        for year in self.years:
            sentences = []
            for measure in self.measures:
                for other in others:
                    a, b = measure.value(first, year), measure.value(other, year)
                    if a is not None or b is not None:
                        sentences.append(
                            measure.difference(first.city.name, a, other.city.name, b, year)
                        )
            if sentences:
                by_year.append((year, sentences))
        return by_year

    def charts(self):
        return charts(self.series)

    def industries(self):
        """(tags every city has, [(city, its other tags)])."""
        names = [{tag.name for tag in city.tags.all()} for city in self.cities]
        shared = set.intersection(*names) if names else set()
        return sorted(shared), [
            (city, sorted(own - shared)) for city, own in zip(self.cities, names, strict=True)
        ]

"""Who changed the data of record, when, and from what: django-simple-history on the cities,
their figures, indicators and values, organisations, tags and tag aliases.

Registered here, in one place, because Tag is taggit's model: its history table lives in this app.
A change made in the admin records the editor (HistoryRequestMiddleware); a CSV import records
the importer and the file's name as the change reason (articles.cities.figures).
"""

from simple_history import register
from taggit.models import Tag

from articles.models.cities import City, CityFigures, Indicator, IndicatorValue, Organisation
from articles.models.tags import TagAlias

for model, excluded in (
    (City, ["body_html"]),
    (CityFigures, []),
    (Indicator, []),
    (IndicatorValue, []),
    (Organisation, []),
    (Tag, []),
    (TagAlias, []),
):
    register(model, app="articles", excluded_fields=excluded)

"""The app's models, one module per domain; every model is importable from here.

articles: Article, ArticleTag, OriginalLink; queries: ArticleQuerySet, whose published() is the
one door to public content; cities: City, CityFigures, Indicator, IndicatorValue, Organisation;
tags: TagAlias, TagRedirect; editorial: ArticleRevision, SlugRedirect, ArticleImport, and the
editors' private Autosave and EditingPresence; search: SearchEntry (SQLite's index); scopes:
Scope (what pages show: their versions and counts, articles.caching); media: the library's
MediaImage and the ArticleImage uses of it; covers: PendingCover (an upload a task has yet to
prepare); tasks: BackgroundTask (the admin's name for django-tasks' results); subscriptions:
readers' e-mail Subscription; slugs: unique_slug(); history: who changed the data of
record.
"""

from articles.markdown import MAX_BODY_LENGTH
from articles.models import history  # noqa: F401  (registers the history of the data of record)
from articles.models.articles import Article, ArticleTag, CoverNotStored, OriginalLink, StaleEdit
from articles.models.cities import City, CityFigures, Indicator, IndicatorValue, Organisation
from articles.models.covers import PendingCover
from articles.models.editorial import (
    ArticleImport,
    ArticleRevision,
    Autosave,
    EditingPresence,
    SlugRedirect,
)
from articles.models.media import ArticleImage, MediaImage
from articles.models.queries import ArticleQuerySet
from articles.models.scopes import Scope
from articles.models.search import SearchEntry
from articles.models.subscriptions import Subscription
from articles.models.tags import TagAlias, TagRedirect, alias_key, public_tags
from articles.models.tasks import BackgroundTask

__all__ = [
    "MAX_BODY_LENGTH",
    "Article",
    "ArticleImage",
    "ArticleImport",
    "ArticleQuerySet",
    "ArticleRevision",
    "ArticleTag",
    "Autosave",
    "BackgroundTask",
    "City",
    "CityFigures",
    "CoverNotStored",
    "EditingPresence",
    "Indicator",
    "IndicatorValue",
    "MediaImage",
    "Organisation",
    "OriginalLink",
    "PendingCover",
    "Scope",
    "SearchEntry",
    "SlugRedirect",
    "StaleEdit",
    "Subscription",
    "TagAlias",
    "TagRedirect",
    "alias_key",
    "public_tags",
]

"""The admin, one module per admin: articles (with import, preview and revisions), cities
(with indicators and organisations), tags, tasks (background work). Django's autodiscovery
imports this package."""

from articles.admin import articles, cities, tags, tasks  # noqa: F401  (each registers its admins)

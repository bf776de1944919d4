"""The admin, one module per admin: articles (with import, preview and revisions), cities
(with indicators and organisations), the media library, tags, tasks (background work).
Django's autodiscovery imports this package."""

from articles.admin import (  # noqa: F401  (each registers its admins)
    articles,
    cities,
    media,
    tags,
    tasks,
)

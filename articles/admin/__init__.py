"""The admin, one module per admin: articles (with import, preview and revisions), cities
(with indicators and organisations), the media library, tags. Django's autodiscovery imports this package."""

from articles.admin import articles, cities, media, tags  # noqa: F401  (each registers its admins)

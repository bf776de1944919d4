from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "文章与城市"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        # redirects and cover_files are imported for their signals.
        from articles import caching, cover_files, redirects, search  # noqa: F401

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(caching.content_changed, dispatch_uid="content-changed")
        search.connect_signals()

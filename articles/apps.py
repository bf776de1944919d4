from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "文章与城市"

    def ready(self):
        from articles import signals  # noqa: F401  (connects every receiver)

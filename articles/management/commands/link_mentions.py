"""Find mentions again in every article, e.g. after adding organisations or aliases.

Mentions are found when an article is saved; this re-renders saved articles so that older
ones link to profiles added since. It does not change which cities and organisations an
article is linked to (the editor accepts suggestions in the admin).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from articles.models.cities import name_index


class Command(BaseCommand):
    help = "Re-find the cities and organisations each article mentions and re-link them."

    def handle(self, *args, **options):
        changed = 0
        with transaction.atomic():
            fields = ("title", "summary", "body", "body_html", "mentions")
            names = name_index()  # once, not twice per article
            for article in Article.objects.only(*fields):
                html, mentions = article.render_body(names)
                if html != article.body_html or mentions != article.mentions:
                    Article.objects.filter(pk=article.pk).update(body_html=html, mentions=mentions)
                    changed += 1
        self.stdout.write(self.style.SUCCESS(f"{changed} articles re-linked."))

"""Find mentions again in every article, e.g. after adding organisations or aliases.

Mentions are found when an article is saved; this re-renders saved articles so that older
ones link to profiles added since. It does not change which cities and organisations an
article is linked to (the editor accepts suggestions in the admin).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.caching import forget_version
from articles.models import Article


class Command(BaseCommand):
    help = "Re-find the cities and organisations each article mentions and re-link them."

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = Article.objects.relink_mentions()
            if changed:
                forget_version()
        self.stdout.write(self.style.SUCCESS(f"{changed} articles re-linked."))

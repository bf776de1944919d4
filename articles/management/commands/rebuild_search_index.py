"""Rebuild the search index from the articles themselves.

The index follows every save, delete and tag edit on its own; this is for after a change to
the tokenizer, a bulk load that bypassed save(), or an index suspected damaged. Safe to run
at any time: it only derives, never edits what editors wrote.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.caching import forget_version
from articles.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Re-derive the search tokens of every article and rebuild the full-text index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the out-of-date articles; write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            total, stale = rebuild_index(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{total} 篇文章，{stale} 篇的索引已过时；未写入（--dry-run）。")
        else:
            forget_version()  # the rebuild writes without signals; cached pages must go
            self.stdout.write(f"已重建 {total} 篇文章的索引（{stale} 篇有更新）。")

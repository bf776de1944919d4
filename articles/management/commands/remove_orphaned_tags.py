"""Delete the tags nothing uses: our replacement for taggit's command of the same name.

taggit's own `remove_orphaned_tags` counts a tag as used only when taggit's generic
`TaggedItem` holds it. Our articles keep their tags in our own through table, `ArticleTag` (a
real foreign key, see `articles.models`), so taggit's command would delete every tag that only
articles use: nearly all of them, with their aliases and redirects. `articles` comes before
`taggit` in INSTALLED_APPS, so this command answers to the name instead.

A tag is an orphan when nothing refers to it: no article (draft or published) through
`ArticleTag`, no city through taggit's `TaggedItem`, no alias and no redirect. Aliases and
redirects are what editors left behind by typing another name, renaming or merging; they are
deleted with their tag, so removing such a tag would quietly undo that work (typing the alias
would make a new tag instead of finding this one, and an old tag URL would stop answering 301).
An editor who wants one gone deletes it in the tag admin, which lists what goes with it.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from taggit.models import Tag, TaggedItem

from articles.models import ArticleTag, TagAlias, TagRedirect


class Command(BaseCommand):
    help = (
        "Delete tags that no article or city uses and that no alias or redirect names. "
        "Replaces taggit's command, which would delete the tags articles use."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say which tags would go, delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            orphans = sorted(
                Tag.objects.exclude(pk__in=ArticleTag.objects.values("tag"))
                .exclude(pk__in=TaggedItem.objects.values("tag"))
                .exclude(pk__in=TagAlias.objects.values("tag"))
                .exclude(pk__in=TagRedirect.objects.values("tag"))
                .select_for_update(),
                key=lambda tag: tag.name,
            )
            if not dry_run:
                Tag.objects.filter(pk__in=[tag.pk for tag in orphans]).delete()
        names = "、".join(tag.name for tag in orphans)
        if not orphans:
            self.stdout.write("No orphaned tags.")
        elif dry_run:
            self.stdout.write(f"Dry run: would remove {len(orphans)} orphaned tags: {names}")
        else:
            self.stdout.write(f"Removed {len(orphans)} orphaned tags: {names}")

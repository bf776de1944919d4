"""Create or refresh the two newsroom roles as groups with exactly their permissions.

Idempotent: run it after every deploy (`make run` does); a permission added to a role here
reaches every member, and one removed here is taken away.
"""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

AUTHOR, EDITOR = "作者", "编辑"  # the groups' names (migration 0016 renamed Author and Editor)

# (app_label, codename) of each role's permissions.
ROLES = {
    # Writes and edits their own drafts and submits them for review; cannot publish, see
    # others' work, or manage tags.
    AUTHOR: [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        # Only a draft of their own never submitted or published (Article.can_be_deleted_by).
        ("articles", "delete_article"),
        ("articles", "add_originallink"),
        ("articles", "change_originallink"),
        ("articles", "delete_originallink"),
        ("articles", "view_originallink"),
        ("articles", "view_city"),
        # Upload pictures to the media library and use any of them; change only their own
        # (MediaImageAdmin). Deleting is an editor's: a picture may be in others' articles.
        ("articles", "add_mediaimage"),
        ("articles", "change_mediaimage"),
        ("articles", "view_mediaimage"),
    ],
    # Edits and publishes everything, manages tags and cities: a city's figures, its further
    # indicators' values, the indicators themselves and the organisations.
    EDITOR: [
        *[
            ("articles", f"{action}_{model}")
            for model in (
                "article", "originallink", "city", "cityfigures", "tagalias",
                "organisation", "indicator", "indicatorvalue", "mediaimage",
            )
            for action in ("add", "change", "delete", "view")
        ],
        ("articles", "publish_article"),
        *[("taggit", f"{action}_tag") for action in ("add", "change", "delete", "view")],
        # Whether the work their saves set off in the background (covers, re-indexing after a
        # tag merge, re-linking mentions) has run, waits to be tried again, or failed.
        ("articles", "view_backgroundtask"),
    ],
}  # fmt: skip


class Command(BaseCommand):
    help = "Create or update the Author (作者) and Editor (编辑) groups and their permissions."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show, change nothing.")

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        for name, wanted in ROLES.items():
            permissions = []
            for app_label, codename in wanted:
                try:
                    permissions.append(
                        Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    )
                except Permission.DoesNotExist:
                    raise CommandError(
                        f"Permission {app_label}.{codename} is missing: run migrate first."
                    ) from None
            group, created = Group.objects.get_or_create(name=name)
            before = set(group.permissions.values_list("pk", flat=True))
            group.permissions.set(permissions)
            after = {p.pk for p in permissions}
            verb = "created" if created else ("updated" if before != after else "unchanged")
            self.stdout.write(f"{name}: {verb}, {len(permissions)} permissions")
        if dry_run:
            transaction.set_rollback(True)
            self.stdout.write("Dry run: nothing was saved.")

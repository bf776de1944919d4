"""Import city figures from a CSV file (the format of articles/data/cities.csv and of the export).

Every row is checked first; one bad row stops the import with the line numbers of all bad rows,
and nothing is saved. Importing the same file again changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.cities.figures import (
    FigureFileError,
    describe_import,
    import_reason,
    read_figures_file,
    save_figures,
)


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Import yearly city figures from a CSV file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, save nothing."
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            rows = read_figures_file(data)
            with transaction.atomic():
                stats = save_figures(rows, import_reason(file.name))
                if dry_run:
                    raise DryRun
        except FigureFileError as error:
            raise CommandError(f"{file} 没有导入：\n{error}") from None
        except DryRun:
            self.stdout.write("试运行：没有保存任何数据。")
        self.stdout.write(self.style.SUCCESS(describe_import(stats)))

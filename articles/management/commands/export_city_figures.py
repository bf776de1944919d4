"""Write every city's yearly figures as CSV, in the format import_city_figures reads."""

from django.core.management.base import BaseCommand

from articles.cities.figures import write_figures


class Command(BaseCommand):
    help = "Export yearly city figures as CSV (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write; standard output if omitted.")

    def handle(self, *args, file=None, **options):
        if file is None:
            write_figures(self.stdout)
            return
        with open(file, "w", encoding="utf-8", newline="") as stream:
            write_figures(stream)
        self.stderr.write(f"Wrote {file}.")

"""Load the demo site: city profiles with their sourced yearly figures, organisations, and the
demo articles (linked to the cities and organisations they mention).

Safe to run again: every object is found by its slug (figures by city and year) and updated
in place, so a second run leaves the same content and a changed demo file updates what it names.
"""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.cities.figures import FigureFileError, read_figures, save_figures
from articles.models import Article, City, Organisation, OriginalLink

DATA = Path(__file__).resolve().parents[2] / "data"
DEMO = Path(__file__).resolve().parents[2] / "demo"


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Load (or refresh) the demo cities, figures and articles. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report, then roll back.")

    def handle(self, *args, dry_run=False, **options):
        try:
            with (DATA / "cities.csv").open(encoding="utf-8", newline="") as stream:
                figures = read_figures(stream)
        except FigureFileError as error:
            raise CommandError(f"cities.csv:\n{error}") from None
        cities = tomllib.loads((DEMO / "cities.toml").read_text(encoding="utf-8"))["city"]
        articles = tomllib.loads((DEMO / "articles.toml").read_text(encoding="utf-8"))["article"]
        organisations = tomllib.loads((DEMO / "organisations.toml").read_text(encoding="utf-8"))
        organisations = organisations["organisation"]
        try:
            with transaction.atomic():
                by_name = self.load_cities(cities)
                self.load_figures(figures, by_name)
                self.load_organisations(organisations)
                self.load_articles(articles)
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: nothing was saved.")
        summary = (
            f"{len(cities)} cities, {len(figures)} yearly figure rows, "
            f"{len(organisations)} organisations, {len(articles)} articles"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {summary}."))

    def load_cities(self, cities):
        by_name = {}
        for item in cities:
            city, _ = City.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    key: item.get(key, "")
                    for key in ("name", "name_en", "province", "region", "summary", "body")
                },
            )
            city.tags.set(item.get("tags", []))
            by_name[city.name] = city
        return by_name

    def load_figures(self, figures, by_name):
        for row in figures:
            if row.name not in by_name:
                raise CommandError(f"cities.csv line {row.line}: {row.name} has no demo profile.")
        save_figures(figures)

    def load_organisations(self, organisations):
        cities = {city.slug: city for city in City.objects.all()}
        for item in organisations:
            Organisation.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    **{key: item.get(key, "") for key in ("name", "name_en", "kind", "summary")},
                    "city": cities[item["city"]],
                    "aliases": "、".join(item.get("aliases", [])),
                },
            )

    def load_articles(self, articles):
        cities = {city.slug: city for city in City.objects.all()}
        for item in articles:
            article = Article.objects.filter(slug=item["slug"]).first() or Article(
                slug=item["slug"]
            )
            for key in ("title", "summary", "body", "source"):
                setattr(article, key, item.get(key, ""))
            article.status = item.get("status", Article.Status.DRAFT)
            article.published_at = item.get("published_at")
            article.save()
            article.tags.set(item.get("tags", []))
            unknown = set(item.get("cities", [])) - cities.keys()
            if unknown:
                raise CommandError(f"Article {item['slug']}: unknown cities {sorted(unknown)}.")
            article.cities.set([cities[slug] for slug in item.get("cities", [])])
            # The demo's city lists are chosen by hand; its organisations are those mentioned.
            article.organisations.set(article.mentions.get("organisation", []))
            article.links.all().delete()
            OriginalLink.objects.bulk_create(
                OriginalLink(article=article, title=link.get("title", ""), url=link["url"])
                for link in item.get("links", [])
            )

"""Saving an import: the one place the importer touches the database."""

from django.db import transaction
from taggit.models import Tag

from articles.editorial.revisions import save_with_revision
from articles.importer.structure import ImportRefused, check_size, clean
from articles.models import MAX_BODY_LENGTH, Article, ArticleImport, City


def create_draft(raw, filename="", user=None):
    """Clean raw into a new draft with its references, keep raw and the report with it."""
    check_size(raw.encode("utf-8"))
    draft = clean(
        raw,
        existing_tags=Tag.objects.values_list("name", flat=True),
        cities=City.objects.values_list("name", "name_en", "slug"),
    )
    if len(draft.body) > MAX_BODY_LENGTH:
        raise ImportRefused(f"正文超过 {MAX_BODY_LENGTH} 字，请拆分后分别导入。")
    with transaction.atomic():
        article = Article(
            title=draft.title,
            summary=draft.summary,
            body=draft.body,
            source=draft.source,
            status=Article.Status.DRAFT,
            author=user,
        )
        # The references stay in the body ("> 原文：…") and in the report, not as original-link
        # rows without a URL, which no save of the draft would accept.
        save_with_revision(article, user, note="导入")
        ArticleImport.objects.create(
            article=article,
            raw=raw,
            filename=filename[:200],
            report=report_data(draft),
            suggested_tags=draft.tags,
            suggested_cities=draft.cities,
            created_by=user,
        )
    return article


def report_data(draft):
    report = draft.report
    return {
        "counts": report.counts(),
        "repaired": report.spans_repaired,
        "flagged": report.spans_flagged,
        "header_lines": report.header_lines,
        "title_guessed": report.title_guessed,
        "references": draft.references,
        "strong_tags": draft.strong_tags,
        "strong_cities": draft.strong_cities,
    }

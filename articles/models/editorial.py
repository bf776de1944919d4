"""The editorial record of articles: revisions, former slugs and imports."""

from django.conf import settings
from django.db import models

from articles.models.articles import Article


class ArticleRevision(models.Model):
    """A snapshot of an article as one save left it, tags and cities included."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField("版本")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="保存者", on_delete=models.SET_NULL, null=True
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-version", "-pk"]
        verbose_name = "修订"
        verbose_name_plural = "修订"
        indexes = [models.Index(fields=["article", "version"], name="revision_article_idx")]

    def __str__(self):
        return f"{self.article_id} v{self.version}"


class SlugRedirect(models.Model):
    """An article's former slug, so that its old URL answers with a 301 to the current one."""

    old_slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "旧网址"
        verbose_name_plural = "旧网址"

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class ArticleImport(models.Model):
    """What an import started from and what it changed, kept with the draft it made."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="import_record", verbose_name="文章"
    )
    raw = models.TextField("原始文本")
    filename = models.CharField("文件名", max_length=200, blank=True)
    report = models.JSONField("导入报告", default=dict)
    suggested_tags = models.JSONField("建议标签", default=list)
    suggested_cities = models.JSONField("建议城市", default=list)  # city slugs
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.SET_NULL, null=True
    )

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"

    def __str__(self):
        return f"导入：{self.article}"


class Autosave(models.Model):
    """What one editor has typed into an article's form and not yet saved: their private copy,
    never the article, never public. article is empty for a new article's form."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True)
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = "自动保存的草稿"
        verbose_name_plural = "自动保存的草稿"
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_user_article"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_user_new_article",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.article_id or '新文章'}"


class EditingPresence(models.Model):
    """Who has an article's form open, as of their last heartbeat."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = "正在编辑"
        verbose_name_plural = "正在编辑"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="presence_article_user")
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.article_id}"

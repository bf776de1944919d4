"""The version of the public content that the database vouches for (articles.caching)."""

from django.db import models


class ContentVersion(models.Model):
    """One row: a token that every write to articles and tags replaces.

    Cached pages are stored under the token they were made with, and the token is read from
    the database once per request, so a page is served only while the database still says its
    version: a cache restored from an old snapshot, or one that missed an invalidation, can
    never bring back what was unpublished. `until` is the next scheduled publication, when the
    token is replaced by the first request after it (no write happens then).
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "内容版本"
        verbose_name_plural = "内容版本"

    def __str__(self):
        return self.token

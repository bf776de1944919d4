"""A cover as the editor uploaded it, held back from readers until a task has prepared it."""

from django.db import models


class PendingCover(models.Model):
    """An upload judged in the request (articles.editorial.images.judge_cover) and kept in the
    database, not in media storage: it still carries its metadata (camera, GPS, comments), so
    no URL may ever reach it. The database is shared by every app server and the worker, and a
    rolled-back save takes it with it. articles.tasks.prepare_cover re-encodes it, makes its
    sizes and gives it to the article; until then the article shows the cover it had (or none).
    One per article: a newer upload replaces it, clearing the cover drops it."""

    article = models.OneToOneField(
        "Article", on_delete=models.CASCADE, related_name="pending_cover"
    )
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "待处理封面图"
        verbose_name_plural = "待处理封面图"

    def __str__(self):
        return f"{self.article_id}"

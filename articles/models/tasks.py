"""Background tasks as the admin shows them (articles.tasks runs them)."""

from django_tasks_db.models import DBTaskResult


class BackgroundTask(DBTaskResult):
    """django-tasks' result rows, under a name and permission of this app: editors may see
    whether the work their saves set off (covers, re-indexing, re-linking) ran or failed."""

    class Meta:
        proxy = True
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

"""Background tasks (articles.tasks) as editors see them: what ran, what waits to be tried
again, what failed and why. Read only: the worker writes these rows."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import BackgroundTask

# django-tasks' own admin, in English, would show the same rows twice.
admin.site.unregister(DBTaskResult)

STATES = {
    TaskResultStatus.READY: "等待中",
    TaskResultStatus.RUNNING: "运行中",
    TaskResultStatus.SUCCESSFUL: "已完成",
    TaskResultStatus.FAILED: "失败",
}


class StateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(DBTaskResultAdmin):
    list_display = ("task_name", "state", "attempts", "enqueued_at", "finished_at", "error")
    list_filter = (StateFilter,)

    @admin.display(description="任务")
    def task_name(self, result):
        return result.task_name

    @admin.display(description="状态", ordering="status")
    def state(self, result):
        if result.status == TaskResultStatus.READY and result.worker_ids:
            return "失败，等待重试"
        return STATES.get(result.status, result.status)

    @admin.display(description="尝试次数")
    def attempts(self, result):
        return len(result.worker_ids)

    @admin.display(description="最近的错误")
    def error(self, result):
        return result.exception_class_path.rsplit(".", 1)[-1] or "-"

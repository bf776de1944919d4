"""The worker (django-tasks' `manage.py db_worker`) runs what saves left for it, tries a failed
task again later, each time waiting longer, and gives up after TASK_ATTEMPTS; editors see it
all in the admin (后台任务), authors do not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import BackgroundTask
from tests.helpers import run_worker
from tests.tasks import fails_at_first

TASKS = reverse("admin:articles_backgroundtask_changelist")


@pytest.fixture
def worker(worker_backend, db, settings):
    settings.TASK_ATTEMPTS = 3


def test_the_worker_runs_a_waiting_task(worker):
    result = fails_at_first.enqueue(0)
    assert BackgroundTask.objects.get().status == "READY"
    run_worker()
    result.refresh()
    assert (result.status, result.return_value) == ("SUCCESSFUL", 1)


def test_a_failed_task_is_tried_again_and_then_succeeds(worker):
    result = fails_at_first.enqueue(2)
    run_worker()
    result.refresh()
    assert (result.status, result.return_value, result.attempts) == ("SUCCESSFUL", 3, 3)


def test_each_retry_waits_twice_as_long(worker, settings):
    settings.TASK_RETRY_SECONDS = 30
    fails_at_first.enqueue(5)
    waits = []
    for _ in range(2):
        run_worker()  # runs the one attempt that is due, then nothing is ready
        task = BackgroundTask.objects.get()
        assert task.status == "READY"
        waits.append(round((task.run_after - timezone.now()).total_seconds()))
        BackgroundTask.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    assert waits == [30, 60]


def test_a_task_that_always_fails_stops_after_its_attempts_and_shows_as_failed(
    worker, editor_client
):
    result = fails_at_first.enqueue(99)
    run_worker()
    result.refresh()
    assert (result.status, result.attempts) == ("FAILED", 3)
    page = editor_client.get(TASKS, {"status": "FAILED"})
    assert page.status_code == 200
    assert "fails_at_first" in page.text and "失败" in page.text and "RuntimeError" in page.text
    detail = editor_client.get(reverse("admin:articles_backgroundtask_change", args=[result.id]))
    assert "第 3 次尝试失败" in detail.text  # the last traceback


def test_a_task_waiting_to_be_tried_again_says_so(worker, editor_client, settings):
    settings.TASK_RETRY_SECONDS = 60
    fails_at_first.enqueue(1)
    run_worker()
    assert "失败，等待重试" in editor_client.get(TASKS).text


def test_authors_do_not_see_the_tasks(worker, author_client):
    fails_at_first.enqueue(0)
    assert author_client.get(TASKS).status_code == 403

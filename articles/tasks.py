"""Slow work taken off the editors' requests, run by the worker (`manage.py db_worker`).

Each task is enqueued once the change that needs it has committed (the worker must see the
change, and a rolled-back change needs nothing), and each is safe to run again: a task that
fails is tried again later (retry_later, the one retry policy), so it must find the world as
it left it or finish the job.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.caching import forget_version
from articles.editorial import cover_files
from articles.editorial.revisions import record_many
from articles.models import Article, MediaImage, scopes
from articles.search.indexing import refresh_titles

CHUNK = 500  # articles per transaction: short write locks, progress kept if a later chunk fails


def after_commit(task, *args):
    """Enqueue task(*args) once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.enqueue(*args))


def after_commit_once(task):
    """Enqueue task() once the current transaction commits, unless one is still waiting to
    start: that one reads the data when it runs, so it covers this change too (many cities
    saved in a row make one re-linking, not one each)."""

    def enqueue():
        waiting = DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY, worker_ids=[]
        )
        if not (isinstance(task.get_backend(), DatabaseBackend) and waiting.exists()):
            task.enqueue()

    transaction.on_commit(enqueue)


def retry_later(backend, task_result):
    """A failed task of the database backend is made ready again, after TASK_RETRY_SECONDS
    doubled with each attempt, until it has been tried TASK_ATTEMPTS times; then it stays
    failed, with its last traceback, in the admin (后台任务)."""
    attempts = len(task_result.worker_ids)
    if (
        task_result.status != TaskResultStatus.FAILED
        or not issubclass(backend, DatabaseBackend)
        or attempts >= settings.TASK_ATTEMPTS
    ):
        return
    delay = settings.TASK_RETRY_SECONDS * 2 ** (attempts - 1)
    DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + timedelta(seconds=delay),
    )


@task()
def prepare_cover(pending_id):
    """Re-encode a held cover upload and make its sizes; readers see it from then on."""
    return cover_files.prepare(pending_id)


@task()
def prepare_library_image(image_id):
    """Make a library picture's sizes and share card, and draw again the bodies showing it."""
    redrawn = MediaImage.process(image_id)
    # The bodies were updated without signals: the public ones' pages are touched here.
    shown = Article.objects.published().filter(pk__in=redrawn).values_list("pk", flat=True)
    scopes.touch({scopes.key(scopes.ARTICLE, pk) for pk in shown})


@task()
def reindex_titles(article_ids, note="", user_id=None):
    """The title part of the search index (title and tags) of these articles, in bulk, after a
    tag was renamed, merged or deleted; with note, each article also gets a new version and a
    revision saying why (a tag merge changes their tags)."""
    ids = sorted(article_ids)
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            chunk = ids[start : start + CHUNK]
            refresh_titles(chunk)
            if note:
                record_many(Article.objects.filter(pk__in=chunk), user_id, note)
    scopes.touch({scopes.LIST})  # searches read these tokens; the pages themselves are unchanged
    return len(ids)


@task()
def relink_mentions():
    """Every article's links to the cities and organisations it mentions, found again after a
    city or organisation was added, renamed or deleted."""
    changed = Article.objects.relink_mentions()
    if changed:
        forget_version()
    return changed

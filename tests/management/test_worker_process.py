"""The worker as production runs it: its own process (manage.py db_worker) on a database file
other processes write to; it runs what they enqueue, tries a failure again, and stops cleanly
on SIGTERM (systemd's stop, and make run's when runserver ends)."""

import sqlite3
import time

from tests.services import Worker, migrated_sqlite, site_env, site_shell


def statuses(database):
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
        ).fetchall()
    return rows


def test_the_worker_process_runs_a_task_tries_it_again_and_stops_on_sigterm(tmp_path):
    env = migrated_sqlite(tmp_path, site_env(TASK_RETRY_SECONDS="0"))
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    site_shell(env, "from tests.tasks import fails_at_first; fails_at_first.enqueue(1)")
    worker = Worker(env, tmp_path / "worker.log").start()
    try:
        deadline = time.monotonic() + 60
        while statuses(database)[0][0] != "SUCCESSFUL" and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        status = worker.stop()
    [(state, worker_ids)] = statuses(database)
    assert state == "SUCCESSFUL", (tmp_path / "worker.log").read_text()
    assert worker_ids.count(",") == 1  # two attempts
    assert status == 0  # stopped between tasks: a clean exit

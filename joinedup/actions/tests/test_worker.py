"""The proof that reminders go out in production: the task worker, started the documented way
(`manage.py schedule_daily`, then `manage.py db_worker`) as a separate process against a real
database with real commits, writes each reminder email exactly once over two sweeps.

No module-level django_db mark: `committed_db` must be set up first (see joinedup/conftest.py).
A SQLite test database lives in memory, where another process cannot see it, so on SQLite the
committed data is copied to a file for the worker and the file copied back afterwards.
"""

import datetime
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from pathlib import Path

import time_machine
from django.conf import settings
from django.db import connection

from joinedup.actions.models import ActionReminder, ReminderKind
from joinedup.actions.tests.factories import forum_action
from joinedup.core import clock
from joinedup.core.formatting import format_date
from joinedup.core.workdays import add_working_days

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _database_url(sqlite_file: Path | None) -> str:
    if sqlite_file is not None:
        return f"sqlite:///{sqlite_file}"
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def _database_for_subprocesses(tmp_path: Path) -> Iterator[Path | None]:
    """The database another process can open: PostgreSQL's test database as it is, or on SQLite a
    file copy of the in-memory one, copied back when the processes are done."""
    if connection.vendor != "sqlite":
        yield None
        return
    connection.ensure_connection()
    path = tmp_path / "worker.sqlite3"
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    yield path
    with sqlite3.connect(path) as copy:
        copy.backup(connection.connection)


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_the_worker_sends_each_reminder_once_over_two_sweeps(committed_db, partnership, conference, tmp_path):
    p = partnership
    # The worker runs on the real clock. Due dates are set from the real date so a run that crosses
    # midnight still finds one due soon (tomorrow, or then today) and one overdue (three days ago).
    today = clock.today()
    with time_machine.travel(clock.now() - datetime.timedelta(days=10), tick=False):
        overdue = forum_action(conference, owner=p.housing, owner_user=p.housing_officer, due_in_days=7)
    soon = forum_action(conference, owner=p.mental_health, owner_user=p.practitioner, due_in_days=0)
    soon.due_on = add_working_days(today, 1)
    soon.save(update_fields=["due_on"])
    mail = tmp_path / "mail"
    with _database_for_subprocesses(tmp_path) as sqlite_file:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(sqlite_file),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail),
            "DEBUG": "false",
        }
        env.pop("TASKS_BACKEND", None)
        worker = ("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0.1")
        assert "send_action_reminders: queued" in _manage(env, "schedule_daily")
        _manage(env, *worker)
        # The second sweep, as tomorrow's would run (its queued successor waits until 07:00).
        _manage(env, "shell", "-c", "from joinedup.actions.tasks import send_action_reminders as t; t.enqueue()")
        _manage(env, *worker)
    subjects = []
    for path in mail.iterdir():
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                subjects.append((message_from_bytes(chunk.strip()))["Subject"])
    assert sorted(subjects) == sorted(
        [
            f"Action {str(overdue.pk)[:8].upper()} is overdue",
            f"Action {str(soon.pk)[:8].upper()} is due on {format_date(soon.due_on)}",
        ]
    )
    assert set(ActionReminder.objects.values_list("action_id", "kind")) == {
        (overdue.pk, ReminderKind.OVERDUE),
        (soon.pk, ReminderKind.DUE_SOON),
    }

"""Tasks the worker runs each morning. Each run queues the next one for the following morning, so a
single queued run keeps a task going; `manage.py schedule_daily` queues the first of each (at deploy,
and `make run` does it for the demo)."""

from datetime import datetime, time, timedelta
from typing import Any

from django.tasks import Task

from joinedup.core import clock

MORNING = time(7, 0)  # London time, before the working day starts

_TASKS: dict[str, Task[Any, Any]] = {}


def register(task: Task[Any, Any]) -> None:
    """A morning task, for `schedule_daily` to start (each app registers its own in `ready()`)."""
    _TASKS[task.module_path] = task


def registered() -> list[Task[Any, Any]]:
    return [_TASKS[path] for path in sorted(_TASKS)]


def next_morning(now: datetime) -> datetime:
    """07:00 in London on the day after `now` (its London date), as an aware datetime."""
    tomorrow = clock.local(now).date() + timedelta(days=1)
    return datetime.combine(tomorrow, MORNING, tzinfo=clock.LONDON)


def queued(task: Task[Any, Any], after: datetime | None = None) -> bool:
    """A run of the task is waiting in the database queue (optionally: one due after `after`)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY", task_path=task.module_path)
    return waiting.filter(run_after__gt=after).exists() if after else waiting.exists()


def schedule(task: Task[Any, Any], run_after: datetime | None = None) -> bool:
    """Queue a run (now, or at `run_after`) unless one is already waiting. Only a queue that can hold a
    task until later takes part: with an immediate backend the task would call itself forever."""
    if not task.get_backend().supports_defer or queued(task):
        return False
    (task.using(run_after=run_after) if run_after else task).enqueue()
    return True

"""`manage.py schedule_daily`: queue each morning task to run now, unless a run is waiting already."""

from typing import Any

from django.core.management.base import BaseCommand

from joinedup.core import daily


class Command(BaseCommand):
    help = "Queue each morning task (action reminders, forum calendars) to run now, unless one is already queued"

    def handle(self, *args: Any, **options: Any) -> None:
        for task in daily.registered():
            if daily.schedule(task):
                self.stdout.write(f"{task.name}: queued; the task worker will run it, then every morning at 07:00.")
            else:
                self.stdout.write(f"{task.name}: already queued (or this task backend cannot queue it).")

"""`manage.py schedule_reminders`: queue the action reminder sweep now, unless one is waiting already."""

from typing import Any

from django.core.management.base import BaseCommand

from joinedup.actions.tasks import schedule


class Command(BaseCommand):
    help = "Queue the action reminder sweep to run now, unless one is already queued"

    def handle(self, *args: Any, **options: Any) -> None:
        if schedule():
            self.stdout.write("The action reminder sweep is queued: the task worker will run it.")
        else:
            self.stdout.write("An action reminder sweep is already queued (or this task backend cannot queue one).")

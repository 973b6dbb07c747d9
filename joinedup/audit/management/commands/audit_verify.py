"""manage.py audit_verify: prove no audit event was edited, reordered or deleted."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from joinedup.audit import chain


class Command(BaseCommand):
    help = "Check every audit hash chain end to end; exits non-zero if any event was tampered with."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = chain.verify()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {checked} audit events")
        self.stdout.write(f"Audit trail intact: {checked} events verified.")

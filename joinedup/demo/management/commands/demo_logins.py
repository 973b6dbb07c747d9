"""manage.py demo_logins: print how to sign in as each demo persona."""

from typing import Any

from django.core.management.base import BaseCommand

from joinedup.demo import services


class Command(BaseCommand):
    help = "Print the demo personas' usernames and the demo password."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = services.personas()
        if not rows:
            self.stdout.write("No demo personas: run `manage.py demo` first.")
            return
        width = max(len(p.username) for p in rows)
        self.stdout.write("\nDemo personas (synthetic data only). Every password is: " + services.DEMO_PASSWORD)
        self.stdout.write("Or choose a persona at http://127.0.0.1:8000/demo/personas\n")
        for persona in rows:
            self.stdout.write(f"  {persona.username.ljust(width)}  {persona.role}, {persona.agency}")
        self.stdout.write("")

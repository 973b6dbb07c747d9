"""manage.py demo [--people N] [--seed S]: load the synthetic demo partnership once."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from joinedup.demo import plans_story, services


class Command(BaseCommand):
    help = "Load the synthetic demo partnership (skipped if it is already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=500, help="how many people to generate (default 500)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed: the same seed gives the same data")

    def handle(self, *args: Any, people: int, seed: int, **options: Any) -> None:
        if people < 0 or people > 1_000_000:
            self.stderr.write("--people must be between 0 and 1,000,000")
            raise SystemExit(2)
        if services.is_loaded():
            self.stdout.write("The demo partnership is already loaded; keeping its data.")
            return
        started = time.monotonic()
        made = services.generate(people=people, seed=seed)
        plans_story.seed_plans_story()
        took = time.monotonic() - started
        self.stdout.write(
            f"Loaded the demo partnership: {made['agencies']} agencies, {made['users']} users, "
            f"{made['people']} people in {took:.1f}s."
        )

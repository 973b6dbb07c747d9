"""Meeting cadences as RFC 5545 rules, and the slots a rule gives.

Slots are worked out in wall-clock time in Europe/London and only then made aware, so a 10am
meeting stays at 10am across the clock changes."""

from datetime import UTC, date, datetime

from dateutil.rrule import rrulestr
from django.db import models

from joinedup.core.clock import LONDON


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every 2 weeks"
    MONTHLY = "monthly", "Once a month, on the same weekday (for example, the second Tuesday)"


DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def nth_weekday(day: date) -> int:
    """Which of its weekday in the month `day` is: 1 to 4, or -1 for a fifth (so, the last)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def rule_for(cadence: str, first: date) -> str:
    """The RRULE for a cadence, on the weekday (and for monthly, the week of the month) of `first`."""
    day = DAYS[first.weekday()]
    if cadence == Cadence.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if cadence == Cadence.FORTNIGHTLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    if cadence == Cadence.MONTHLY:
        return f"FREQ=MONTHLY;BYDAY={nth_weekday(first)}{day}"
    raise ValueError(f"Unknown cadence {cadence!r}")


def describe(rule: str) -> str:
    """A rule this module makes, in plain English ("The second Tuesday of each month")."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    byday = parts.get("BYDAY", "")
    code, ordinal = byday[-2:], byday[:-2]
    name = DAY_NAMES[DAYS.index(code)] if code in DAYS else ""
    if parts.get("FREQ") == "MONTHLY" and name and ordinal:
        return f"The {ORDINALS.get(int(ordinal), ordinal)} {name} of each month"
    if parts.get("FREQ") == "WEEKLY" and name:
        return f"Every other {name}" if parts.get("INTERVAL") == "2" else f"Every {name}"
    return rule


def _wall(moment: datetime) -> datetime:
    return moment.astimezone(LONDON).replace(tzinfo=None)


def slots(rule: str, first_starts_at: datetime, *, after: datetime, until: datetime) -> list[datetime]:
    """The starts (in UTC) the rule gives from `after` to `until`, both included."""
    recurrence = rrulestr(rule, dtstart=_wall(first_starts_at))
    found = recurrence.between(_wall(after), _wall(until), inc=True)  # type: ignore[union-attr]
    return [wall.replace(tzinfo=LONDON).astimezone(UTC) for wall in found]

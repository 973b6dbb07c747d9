"""One place that says what time it is, so tests can move it (time-machine) and code agrees."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return timezone.now()


def today() -> date:
    """Today's date in England (what a practitioner means by "today")."""
    return now().astimezone(LONDON).date()


def local(moment: datetime) -> datetime:
    """A stored UTC time as Europe/London, for display."""
    return moment.astimezone(LONDON)

"""Response-target clocks: when a decision on a referral is due, in real or working time."""

from datetime import datetime, time, timedelta

from joinedup.core import clock, workdays
from joinedup.referrals.models import TargetUnit, UrgencyLevel

END_OF_WORKING_DAY = time(17, 0)


def due_at(sent_at: datetime, urgency: UrgencyLevel) -> datetime:
    """Hours run round the clock; working hours 9 to 5 on working days; working days end at 5pm."""
    local = clock.local(sent_at)
    if urgency.unit == TargetUnit.HOURS:
        return sent_at + timedelta(hours=urgency.target)
    if urgency.unit == TargetUnit.WORKING_HOURS:
        return workdays.add_working_hours(local, urgency.target)
    day = workdays.add_working_days(local.date(), urgency.target)
    return datetime.combine(day, END_OF_WORKING_DAY, tzinfo=clock.LONDON)


def describe(due: datetime | None, at: datetime) -> str:
    """ "Due in 3 hours", "Due 2 December", "Overdue by 1 day", for inbox clocks."""
    if due is None:
        return ""
    left = due - at
    if left < timedelta(0):
        over = -left
        amount = f"{over.days} day{'s' * (over.days != 1)}" if over.days else f"{over.seconds // 3600} hours"
        return f"Overdue by {amount}" if over.days or over.seconds >= 3600 else "Overdue"
    if left < timedelta(hours=24):
        hours = left.seconds // 3600
        return f"Due in {hours} hour{'s' * (hours != 1)}" if hours else f"Due in {left.seconds // 60} minutes"
    local = clock.local(due)
    return f"Due {local.day} {local:%B} at {local:%H:%M}"

"""Working days in England and Wales: weekends and bank holidays do not count towards a deadline."""

from datetime import date, datetime, timedelta
from functools import cache

from dateutil.easter import easter
from dateutil.relativedelta import MO, relativedelta

# Holidays moved or added by proclamation: (year) -> (removed, added).
_ONE_OFF: dict[int, tuple[set[date], set[date]]] = {
    2011: (set(), {date(2011, 4, 29)}),  # royal wedding
    2012: ({date(2012, 5, 28)}, {date(2012, 6, 4), date(2012, 6, 5)}),  # diamond jubilee
    2020: ({date(2020, 5, 4)}, {date(2020, 5, 8)}),  # VE day 75
    2022: ({date(2022, 5, 30)}, {date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)}),  # jubilee, state funeral
    2023: (set(), {date(2023, 5, 8)}),  # coronation
}


def _substitute(day: date, taken: set[date]) -> date:
    """A holiday on a weekend (or on another holiday's substitute) moves to the next free weekday."""
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    return day


@cache
def bank_holidays(year: int) -> frozenset[date]:
    good_friday = easter(year) - timedelta(days=2)
    days = {
        good_friday,
        good_friday + timedelta(days=3),  # Easter Monday
        date(year, 5, 1) + relativedelta(weekday=MO(1)),  # early May
        date(year, 5, 31) + relativedelta(weekday=MO(-1)),  # spring
        date(year, 8, 31) + relativedelta(weekday=MO(-1)),  # summer
    }
    days.add(_substitute(date(year, 1, 1), set()))
    christmas = _substitute(date(year, 12, 25), set())
    days.add(christmas)
    days.add(_substitute(date(year, 12, 26), {christmas}))
    removed, added = _ONE_OFF.get(year, (set(), set()))
    return frozenset((days - removed) | added)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_working_hours(start: datetime, hours: int, *, day_starts: int = 9, day_ends: int = 17) -> datetime:
    """`hours` of office time after `start` (local time), skipping nights, weekends and bank holidays."""
    moment = start
    remaining = timedelta(hours=hours)
    while remaining > timedelta(0):
        opens = moment.replace(hour=day_starts, minute=0, second=0, microsecond=0)
        closes = moment.replace(hour=day_ends, minute=0, second=0, microsecond=0)
        if not is_working_day(moment.date()) or moment >= closes:
            moment = (moment + timedelta(days=1)).replace(hour=day_starts, minute=0, second=0, microsecond=0)
            continue
        moment = max(moment, opens)
        step = min(remaining, closes - moment)
        moment += step
        remaining -= step
    return moment

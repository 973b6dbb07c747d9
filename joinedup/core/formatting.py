"""Display formats: dates in Europe/London, NHS numbers 3-3-4. Used by presenters and templates."""

from datetime import date, datetime

from joinedup.core import clock


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = clock.local(value).date()
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    moment = clock.local(value)
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{format_date(moment)} at {hour}{minutes}{suffix}"


def format_nhs_number(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def age(born: date | None) -> str:
    if born is None:
        return ""
    today = clock.today()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return str(years)

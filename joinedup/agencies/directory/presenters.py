"""Display-ready values for the directory pages: what, who, where, when open, and how to refer."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from joinedup.agencies.directory.models import Schedule, Service
from joinedup.agencies.directory.search import DAYS, Opening, OpenStatus, ServiceMatch, service_schedules
from joinedup.core import clock

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TAGS = {
    OpenStatus.OPEN: ("Open now", "nhsuk-tag--green"),
    OpenStatus.UNKNOWN: ("Hours not known", "nhsuk-tag--yellow"),
    OpenStatus.CLOSED: ("Closed now", "nhsuk-tag--grey"),
}


def clock_time(value: time) -> str:
    """9am, 7:30pm, midday, midnight."""
    if value == time(0):
        return "midnight"
    if value == time(12):
        return "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def _day(moment: datetime, now: datetime, *, ending: bool = False) -> str:
    moment, today = clock.local(moment), clock.local(now).date()
    # a closing midnight ends the day before: "until midnight" tonight, not "until midnight tomorrow"
    local = (moment - timedelta(minutes=1)).date() if ending and moment.time() == time(0) else moment.date()
    if local == today:
        return "today"
    if (local - today).days == 1:
        return "tomorrow"
    return DAY_NAMES[local.weekday()]


def opening_text(opening: Opening, now: datetime) -> str:
    if opening.always:
        return "Open 24 hours"
    if opening.status == OpenStatus.OPEN and opening.until:
        day = _day(opening.until, now, ending=True)
        return f"Open until {clock_time(clock.local(opening.until).time())}" + ("" if day == "today" else f" {day}")
    if opening.status == OpenStatus.CLOSED and opening.next_open:
        return f"Opens {_day(opening.next_open, now)} at {clock_time(clock.local(opening.next_open).time())}"
    if opening.status == OpenStatus.CLOSED:
        return "Not open in the coming week"
    return "Check the opening hours before sending the person"


def _days(byday: str) -> str:
    days = [d.strip()[-2:] for d in byday.split(",") if d.strip()[-2:] in DAYS]
    if not days:
        return ""
    if len(days) == 7:
        return "Every day"
    indexes = sorted(DAYS.index(d) for d in days)
    if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[indexes[0]]} to {DAY_NAMES[indexes[-1]]}"
    names = [DAY_NAMES[i] for i in indexes]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


def hours_text(schedule: Schedule) -> str:
    """A schedule in words: its own description, or its rule spelled out."""
    if schedule.description:
        return schedule.description
    days = _days(schedule.byday) if schedule.freq == "WEEKLY" else ""
    if schedule.opens_at is not None and schedule.opens_at == schedule.closes_at:
        times = "24 hours"
    elif schedule.opens_at is not None and schedule.closes_at is not None:
        times = f"{clock_time(schedule.opens_at)} to {clock_time(schedule.closes_at)}"
    else:
        times = ""
    return ", ".join(p for p in (days, times) if p) or "Hours not stated"


def _years(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"


def ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return f"Ages {_years(low)} to {_years(high)}"
    if low is not None:
        return f"Ages {_years(low)} and over"
    if high is not None:
        return f"Ages up to {_years(high)}"
    return ""


def where(service: Service) -> list[str]:
    lines = [area.name or area.service_area for area in service.service_areas.all() if area.name or area.service_area]
    for sal in service.service_at_locations.all():
        address = next(iter(sal.location.addresses.all()), None)
        place = ", ".join(p for p in (sal.location.name, address and address.address_1, address and address.city) if p)
        if address:
            place += f" {address.postal_code}"
        lines.append(place)
    return lines


def phones(service: Service) -> list[dict[str, str]]:
    found = list(service.phones.all()) + [p for c in service.contacts.all() for p in c.phones.all()]
    return [{"number": p.number, "description": p.description, "tel": p.number.replace(" ", "")} for p in found]


def referral(service: Service) -> str:
    """Who receives a joinedup referral for this service, if anyone."""
    if service.referral_team is not None:
        return f"{service.referral_team.name}, {service.referral_team.agency.name}"
    if service.referral_agency is not None:
        return service.referral_agency.name
    return ""


def card(match: ServiceMatch, now: datetime) -> dict[str, Any]:
    service = match.service
    label, tag_class = TAGS[match.status]
    return {
        "id": service.pk,
        "name": service.name,
        "organization": service.organization.name,
        "description": service.description,
        "alert": service.alert,
        "who": service.eligibility_description or ages(service),
        "where": where(service),
        "tag": label,
        "tag_class": tag_class,
        "opening": opening_text(match.opening, now),
        "hours": [hours_text(s) for s in service_schedules(service)],
        "how": service.application_process,
        "phones": phones(service),
        "email": service.email,
        "url": service.url,
        "refer_to": referral(service),
        "terms": sorted({a.taxonomy_term.name for a in service.attributes.all()}),
    }

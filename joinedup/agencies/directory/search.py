"""Finding the right service: by need, by area, and whether it is open at a given time.

Used by the staff directory page, the decline-with-onward-route step of a referral and the crisis
contact. Opening hours come from HSDS schedules (RFC 5545 rules: WEEKLY with BYDAY, MONTHLY with
BYMONTHDAY or BYDAY, INTERVAL from DTSTART), read as local time in England. A closing time at or
before the opening time runs into the next day (18:00 to 02:00); equal times mean 24 hours.
"""

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Prefetch, Q, QuerySet

from joinedup.agencies.directory.models import (
    Address,
    Attribute,
    Frequency,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from joinedup.core import clock
from joinedup.core.clock import LONDON

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_POSTCODE = re.compile(rf"^({_OUTWARD})\s*([0-9][A-Z]{{2}})?$")
_DISTRICT = re.compile(rf"^{_OUTWARD}$")
_AREA = re.compile(r"^[A-Z]{1,2}$")
STOPWORDS = frozenset(
    "a an and any are as at be by for from get has have help i in is it me my need needs of on or our "  # noqa: SIM905
    "service services someone support that the their them they this to who with".split()
)
_WEEK = timedelta(days=7)


class OpenStatus(StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"  # no schedule we can read: hours not known
    CLOSED = "closed"


@dataclass(frozen=True)
class Opening:
    """Open or not at a moment; if open, until when; if closed, when next (within a week)."""

    status: OpenStatus
    until: datetime | None = None
    next_open: datetime | None = None

    @property
    def always(self) -> bool:
        """Open round the clock (no closing within the coming week)."""
        return self.status == OpenStatus.OPEN and self.until is None


@dataclass(frozen=True)
class ServiceMatch:
    service: Service
    opening: Opening
    score: int

    @property
    def status(self) -> OpenStatus:
        return self.opening.status


# ---------------------------------------------------------------------------------------------
# Opening hours


def _weekday(token: str) -> tuple[int | None, int] | None:
    """("1MO") -> (1, 0): an optional ordinal (for MONTHLY) and the weekday; None if unreadable."""
    match = _BYDAY.match(token.strip().upper())
    if not match:
        return None
    return (int(match.group(1)) if match.group(1) else None), DAYS.index(match.group(2))


def _byday(schedule: Schedule) -> list[tuple[int | None, int]] | None:
    tokens = [t for t in schedule.byday.split(",") if t.strip()]
    parsed = [_weekday(t) for t in tokens]
    if any(p is None for p in parsed):
        return None
    return [p for p in parsed if p is not None]


def _monthdays(schedule: Schedule) -> list[int] | None:
    try:
        return [int(t) for t in schedule.bymonthday.split(",") if t.strip()]
    except ValueError:
        return None


def _nth_weekday(day: date) -> tuple[int, int]:
    """Which of its weekday in the month `day` is, counted from the start (1..5) and the end (-1..-5)."""
    following = (date(day.year + day.month // 12, day.month % 12 + 1, 1) - day).days
    return (day.day - 1) // 7 + 1, -((following - 1) // 7 + 1)


def _applies(schedule: Schedule, day: date) -> bool | None:
    """Does the schedule run on this (local) day? None when its rule cannot be read."""
    if (schedule.valid_from and day < schedule.valid_from) or (schedule.valid_to and day > schedule.valid_to):
        return False
    if schedule.dtstart and day < schedule.dtstart:
        return False
    interval = schedule.interval or 1
    byday = _byday(schedule)
    if byday is None:
        return None
    if schedule.freq == Frequency.WEEKLY:
        weekdays = {weekday for _, weekday in byday} or ({schedule.dtstart.weekday()} if schedule.dtstart else set())
        if not weekdays:
            return None
        if interval > 1 and schedule.dtstart:
            start_week = schedule.dtstart - timedelta(days=schedule.dtstart.weekday())
            if ((day - timedelta(days=day.weekday()) - start_week).days // 7) % interval:
                return False
        return day.weekday() in weekdays
    if schedule.freq == Frequency.MONTHLY:
        monthdays = _monthdays(schedule)
        if monthdays is None:
            return None
        if not monthdays and not byday:
            if not schedule.dtstart:
                return None
            monthdays = [schedule.dtstart.day]
        if interval > 1 and schedule.dtstart:
            months = (day.year * 12 + day.month) - (schedule.dtstart.year * 12 + schedule.dtstart.month)
            if months % interval:
                return False
        last = (date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)).day
        if any(day.day == (d if d > 0 else last + 1 + d) for d in monthdays):
            return True
        from_start, from_end = _nth_weekday(day)
        return any(weekday == day.weekday() and nth in (None, from_start, from_end) for nth, weekday in byday)
    return None  # no rule: the hours are only in words


def _window(schedule: Schedule, day: date) -> tuple[datetime, datetime]:
    """The opening on `day` as naive local times; closing at or before opening runs into the next day."""
    opens = schedule.opens_at or time(0)
    start = datetime.combine(day, opens)
    if schedule.closes_at is None:
        return start, datetime.combine(day + timedelta(days=1), time(0))
    end = datetime.combine(day, schedule.closes_at)
    return start, end if end > start else end + timedelta(days=1)


def _windows(schedules: Sequence[Schedule], first: date, days: int) -> tuple[list[tuple[datetime, datetime]], bool]:
    """Every opening that starts on the days from `first`, and whether any rule could not be read."""
    windows, unreadable = [], False
    for schedule in schedules:
        for offset in range(days):
            day = first + timedelta(days=offset)
            applies = _applies(schedule, day)
            if applies is None:
                unreadable = True
                break
            if applies:
                windows.append(_window(schedule, day))
    return sorted(windows), unreadable


def opening(schedules: Sequence[Schedule], at: datetime, *, status: str = ServiceStatus.ACTIVE) -> Opening:
    """Whether something with these schedules is open at `at` (any timezone; read in England)."""
    if status != ServiceStatus.ACTIVE:
        return Opening(OpenStatus.CLOSED)
    rules = [s for s in schedules if s.freq]
    if not rules:
        return Opening(OpenStatus.UNKNOWN)
    now = clock.local(at).replace(tzinfo=None)
    windows, unreadable = _windows(rules, now.date() - timedelta(days=1), 9)
    current = [w for w in windows if w[0] <= now < w[1]]
    if current:
        until = max(end for _, end in current)
        for start, end in windows:  # back-to-back openings (every day 00:00 to 00:00) are one
            if start <= until < end:
                until = end
        aware = None if until - now >= _WEEK else until.replace(tzinfo=LONDON)
        return Opening(OpenStatus.OPEN, until=aware)
    if unreadable:
        return Opening(OpenStatus.UNKNOWN)
    upcoming = [start for start, _ in windows if start > now]
    return Opening(OpenStatus.CLOSED, next_open=upcoming[0].replace(tzinfo=LONDON) if upcoming else None)


def service_schedules(service: Service) -> list[Schedule]:
    """The service's own schedules, or else those of the places it runs at (prefetched)."""
    own = list(service.schedules.all())
    if own:
        return own
    return [s for sal in service.service_at_locations.all() for s in sal.location.schedules.all()]


def service_opening(service: Service, at: datetime | None = None) -> Opening:
    return opening(service_schedules(service), at or clock.now(), status=service.status)


# ---------------------------------------------------------------------------------------------
# Need


def need_terms(text: str) -> list[str]:
    """The words of a need worth matching: lower case, no filler words, plural "s" dropped."""
    words = []
    for word in re.findall(r"[a-z0-9]+", text.casefold().replace("'s", "")):
        if word in STOPWORDS or len(word) < 2:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in words:
            words.append(word)
    return words


def need_filter(queryset: QuerySet[Service], terms: Iterable[str]) -> QuerySet[Service]:
    """Every term appears in the name, description, eligibility, organisation or a taxonomy term."""
    for term in terms:
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(alternate_name__icontains=term)
            | Q(description__icontains=term)
            | Q(eligibility_description__icontains=term)
            | Q(organization__name__icontains=term)
            | Q(attributes__taxonomy_term__name__icontains=term)
            | Q(attributes__taxonomy_term__term__icontains=term)
        )
    return queryset.distinct()


def _score(service: Service, terms: Sequence[str], phrase: str) -> int:
    name = f"{service.name} {service.alternate_name}".casefold()
    labels = " ".join(f"{a.taxonomy_term.name} {a.taxonomy_term.term}" for a in service.attributes.all()).casefold()
    text = f"{service.description} {service.eligibility_description}".casefold()
    score = 6 if phrase and phrase in name else 0
    for term in terms:
        score += (
            5 * (term in name) + 4 * (term in labels) + (term in text) + (term in service.organization.name.casefold())
        )
    return score


# ---------------------------------------------------------------------------------------------
# Area


def outward_code(postcode: str) -> str:
    """ "NS1 4AB" -> "NS1" (the postcode district); "" if it is not a postcode."""
    match = _POSTCODE.match(postcode.strip().upper())
    return match.group(1) if match else ""


def _letters(code: str) -> str:
    return re.match(r"[A-Z]*", code).group(0)  # type: ignore[union-attr]


def area_codes(extent: str) -> set[str]:
    """Postcode districts (NS1) and areas (NS) listed in a text extent such as "NS1, NS2, NS3"."""
    tokens = [t for t in re.split(r"[\s,;]+", extent.upper()) if t]
    if tokens and all(_DISTRICT.match(t) or _AREA.match(t) for t in tokens):
        return set(tokens)
    return {t for t in tokens if _DISTRICT.match(t)}  # prose: only what cannot be a word


def covers_area(service: Service, query: str) -> bool:
    text = query.strip()
    if not text:
        return True
    upper = text.upper()
    district = outward_code(upper)
    area = upper if _AREA.match(upper) else ""
    codes: set[str] = set()
    places: list[str] = []
    for service_area in service.service_areas.all():
        if service_area.extent_type in ("", "text"):
            codes |= area_codes(service_area.extent)
        places += [service_area.name, service_area.service_area, service_area.description]
    postcodes = []
    for sal in service.service_at_locations.all():
        places.append(sal.location.name)
        for address in sal.location.addresses.all():
            places += [address.city, address.region, address.state_province]
            postcodes.append(outward_code(address.postal_code))
    if district and (district in codes or _letters(district) in codes or district in postcodes):
        return True
    if area and (area in codes or any(_letters(c) == area for c in codes | set(postcodes) if c)):
        return True
    folded = text.casefold()
    return not district and any(folded in place.casefold() for place in places if place)


# ---------------------------------------------------------------------------------------------
# Search


def searchable_services(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Services with what search and the result cards read, prefetched."""
    queryset = Service.objects.all() if queryset is None else queryset
    return queryset.select_related("organization", "referral_agency", "referral_team__agency").prefetch_related(
        "schedules",
        "service_areas",
        "phones",
        "contacts__phones",
        Prefetch("attributes", queryset=Attribute.objects.select_related("taxonomy_term")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                Prefetch("location__addresses", queryset=Address.objects.order_by("id")), "location__schedules"
            ),
        ),
    )


def service_search(
    *,
    need: str = "",
    area: str = "",
    at: datetime | None = None,
    hide_closed: bool = False,
    age: int | None = None,
    taxonomy_term_id: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[ServiceMatch]:
    """Active (and temporarily closed) services that meet the need in the area, best first.

    Open at `at` (default now) first, then those whose hours are not known, then closed ones
    (left out when `hide_closed`); within each, the best match of the need, then by name.
    """
    at = at or clock.now()
    terms = need_terms(need)
    queryset = Service.objects.exclude(status__in=[ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT])
    if terms:
        queryset = need_filter(queryset, terms)
    if age is not None:
        queryset = queryset.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)).filter(
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
        )
    if taxonomy_term_id:
        queryset = queryset.filter(attributes__taxonomy_term_id=taxonomy_term_id).distinct()
    phrase = " ".join(need.casefold().split())
    rank = {OpenStatus.OPEN: 0, OpenStatus.UNKNOWN: 1, OpenStatus.CLOSED: 2}
    matches = []
    for service in searchable_services(queryset):
        if not covers_area(service, area):
            continue
        match = ServiceMatch(service, service_opening(service, at), _score(service, terms, phrase))
        if hide_closed and match.status == OpenStatus.CLOSED:
            continue
        matches.append(match)
    matches.sort(key=lambda m: (rank[m.status], -m.score, m.service.name.casefold(), str(m.service.pk)))
    return matches[:limit] if limit else matches

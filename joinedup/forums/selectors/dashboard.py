"""A forum's figures for a period: counts, rates and medians only, never a person (DESIGN §1: the
analyst sees aggregates). Nothing here returns a name, a person id or a record.

No access events are written: an aggregate count is not a read of anyone's record (DESIGN §3's
`analytics` purpose), so there is no person to put on the disclosure log."""

import statistics
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from joinedup.actions.models import Action, ActionSource, ActionStatus
from joinedup.agencies.models import AgencyKind
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.forums import rules
from joinedup.forums.models import AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingStatus
from joinedup.referrals.models import PathwayKind, Referral
from joinedup.sharing.models import Forum, ForumKind, ForumMembership

# SafeLives, "Latest Marac national dataset", year to September 2024 (MARAC benchmarks).
SAFELIVES_CASES_PER_10K_WOMEN = 40
# SafeLives, national repeat rate in the year to September 2024.
SAFELIVES_REPEAT_RATE = 0.31
# SafeLives, share of referrals from agencies other than police in the year to September 2024.
SAFELIVES_NON_POLICE_SHARE = 0.36
# SafeLives, recommended caseload: about 100 referrals a year per full-time IDVA.
SAFELIVES_REFERRALS_PER_IDVA = 100

YEAR_DAYS = 365
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.SENT_INFORMATION)


@dataclass(frozen=True)
class AgencyAttendance:
    agency: str  # the agency's name: agencies are not people
    meetings: int  # meetings held while the agency was a member
    attended: int  # present, or sent information

    @property
    def rate(self) -> float:
        return self.attended / self.meetings


@dataclass(frozen=True)
class Figures:
    start: date
    end: date
    meetings_held: int
    cases_heard: int
    repeats: int
    referrals: int
    non_police_referrals: int
    attendance: tuple[AgencyAttendance, ...]
    actions_due: int  # agreed at these meetings, due date passed, not cancelled
    actions_on_time: int
    minutes_per_case: float | None
    days_referral_to_meeting: float | None  # median
    cases_per_10k_women_a_year: float | None
    benchmarks: bool  # a risk conference with its population configured

    @property
    def cases_per_meeting(self) -> float | None:
        return self.cases_heard / self.meetings_held if self.meetings_held else None

    @property
    def repeat_rate(self) -> float | None:
        return self.repeats / self.cases_heard if self.cases_heard else None

    @property
    def non_police_share(self) -> float | None:
        return self.non_police_referrals / self.referrals if self.referrals else None

    @property
    def on_time_rate(self) -> float | None:
        return self.actions_on_time / self.actions_due if self.actions_due else None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as London days, both ends included: [start 00:00, the day after end 00:00)."""
    return (
        datetime.combine(start, time.min, tzinfo=clock.LONDON),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=clock.LONDON),
    )


def _attendance(forum: Forum, meetings: list[Meeting]) -> tuple[AgencyAttendance, ...]:
    """Per member agency, the meetings it was a member for and how many it came to or sent information to."""
    due: dict[uuid.UUID, set[uuid.UUID]] = {}
    names: dict[uuid.UUID, str] = {}
    for m in ForumMembership.objects.filter(forum=forum).select_related("agency"):
        held = {x.pk for x in meetings if m.starts_at <= x.starts_at and (m.ends_at is None or x.starts_at < m.ends_at)}
        if held:
            due.setdefault(m.agency_id, set()).update(held)
            names[m.agency_id] = m.agency.name
    came = Attendance.objects.filter(meeting__in=meetings, observer=False, status__in=ATTENDED)
    attended = {(a.agency_id, a.meeting_id) for a in came}
    rows = [AgencyAttendance(names[a], len(held), sum((a, x) in attended for x in held)) for a, held in due.items()]
    return tuple(sorted(rows, key=lambda r: r.agency))


def _actions(items: list[AgendaItem]) -> tuple[int, int]:
    """(due, on time): actions agreed on these cases whose due date has passed. Cancelled ones are left
    out, since the forum withdrew them rather than an agency missing them."""
    refs = [f"forums.agendaitem:{i.pk}" for i in items]
    due = Action.objects.filter(source=ActionSource.FORUM, source_ref__in=refs, due_on__lt=clock.today()).exclude(
        status=ActionStatus.CANCELLED
    )
    on_time = sum(
        a.status == ActionStatus.DONE and a.completed_at is not None and clock.local(a.completed_at).date() <= a.due_on
        for a in due
    )
    return len(due), on_time


def _referrals(forum: Forum, since: datetime, until: datetime) -> tuple[int, int]:
    """(all, from agencies other than police): referrals sent to this forum through a forum pathway."""
    sent = Referral.objects.filter(
        pathway__kind=PathwayKind.FORUM, pathway__forum=forum, sent_at__gte=since, sent_at__lt=until
    )
    return sent.count(), sent.filter(~Q(from_agency__kind=AgencyKind.POLICE)).count()


def _days_waited(items: list[AgendaItem]) -> float | None:
    waits = [
        (clock.local(i.meeting.starts_at).date() - clock.local(i.referred_at).date()).days
        for i in items
        if i.referred_at is not None
    ]
    return float(statistics.median(waits)) if waits else None


def _per_10k_women(forum: Forum, cases: int, start: date, end: date) -> float | None:
    if not forum.adult_women_population:
        return None
    a_year = YEAR_DAYS / ((end - start).days + 1)  # scale the period up (or down) to a year
    return cases * a_year * 10_000 / forum.adult_women_population


def forum_figures(forum: Forum, *, start: date, end: date) -> Figures:
    """The forum's figures over meetings held (not cancelled) that started between start and end."""
    since, until = _bounds(start, end)
    meetings = list(
        Meeting.objects.filter(forum=forum, status=MeetingStatus.HELD, starts_at__gte=since, starts_at__lt=until)
    )
    items = list(AgendaItem.objects.filter(meeting__in=meetings).select_related("meeting"))
    timed = [i.minutes_taken for i in items if i.minutes_taken is not None]
    referrals, non_police = _referrals(forum, since, until)
    due, on_time = _actions(items)
    return Figures(
        start=start,
        end=end,
        meetings_held=len(meetings),
        cases_heard=len(items),
        repeats=sum(i.repeat for i in items),
        referrals=referrals,
        non_police_referrals=non_police,
        attendance=_attendance(forum, meetings),
        actions_due=due,
        actions_on_time=on_time,
        minutes_per_case=statistics.fmean(timed) if timed else None,
        days_referral_to_meeting=_days_waited(items),
        cases_per_10k_women_a_year=_per_10k_women(forum, len(items), start, end),
        benchmarks=forum.kind == ForumKind.RISK_CONFERENCE and bool(forum.adult_women_population),
    )


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months to today: 365 days, so the yearly rate is the count itself."""
    return today - timedelta(days=YEAR_DAYS - 1), today


def dashboard_get(actor: Actor, *, forum_id: uuid.UUID, start: date, end: date) -> tuple[Forum, Figures]:
    forum = Forum.objects.filter(pk=forum_id).first()
    if forum is None or not rules.sees_dashboard(actor, forum):
        raise NotFound("No such forum")
    return forum, forum_figures(forum, start=start, end=end)

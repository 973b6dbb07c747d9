"""Reads for a meeting's agenda, research, pack, the meeting itself and its minutes.

Every person-level row is read through sharing.policy for the forum purpose and audited; what the
viewer may not read is left out (and a direct request for it is a 404 with a denied event).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from joinedup.actions.models import Action
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.vocabulary import Purpose
from joinedup.forums import rules
from joinedup.forums.models import AgendaItem, Attendance, CaseDiscussion, Meeting, MeetingStatus, Research
from joinedup.people.models import LeadAgency, Person, PersonRecord
from joinedup.referrals.models import Referral
from joinedup.sharing import policy
from joinedup.sharing.models import ForumCase, ForumMembership
from joinedup.sharing.models.forums import forum_cases_open, memberships_in_force
from joinedup.sharing.policy import Shown

PURPOSE = Purpose.FORUM


def meeting_get(actor: Actor, meeting_id: uuid.UUID) -> Meeting:
    """A meeting of a forum the actor's agency hosts or sits on (NotFound otherwise)."""
    meeting = Meeting.objects.select_related("forum", "forum__host").filter(pk=meeting_id).first()
    if meeting is None or not (rules.organises(actor, meeting.forum) or rules.is_member(actor, meeting.forum)):
        raise NotFound("No such meeting")
    return meeting


def organised_meeting(actor: Actor, meeting_id: uuid.UUID) -> Meeting:
    meeting = meeting_get(actor, meeting_id)
    if not rules.organises(actor, meeting.forum):
        raise NotFound("No such meeting")
    return meeting


def member_agencies(meeting: Meeting) -> list[Agency]:
    rows = ForumMembership.objects.filter(memberships_in_force(), forum_id=meeting.forum_id).select_related("agency")
    return sorted((m.agency for m in rows), key=lambda a: a.name)


def _read(actor: Actor, parts: Iterable[QuerySet[Any]], route: str) -> list[Shown[Any]]:
    """Rows already filtered by the policy, annotated with their grounds and audited together."""
    rows: list[Person | PersonRecord] = []
    for qs in parts:
        rows.extend(policy.with_grounds(actor, qs, PURPOSE))
    return policy.access_records(actor, rows, PURPOSE, route=route) if rows else []


def _records[M: PersonRecord](actor: Actor, model: type[M]) -> QuerySet[M]:
    return policy.readable_records(actor, model, PURPOSE)


def _people(actor: Actor, ids: Iterable[uuid.UUID]) -> QuerySet[Person]:
    return policy.readable_people(actor, PURPOSE).filter(pk__in=list(ids))


def _of[T](shown: list[Shown[Any]], kind: type[T]) -> list[T]:
    return [s.record for s in shown if isinstance(s.record, kind)]


@dataclass
class Line:
    """One agenda item as the viewer may see it."""

    item: AgendaItem
    person: Person
    research: list[Research] = field(default_factory=list)
    discussion: CaseDiscussion | None = None


def _lines(actor: Actor, meeting: Meeting, route: str, *, research: bool = False) -> list[Line]:
    """The agenda items of the meeting the viewer may read, with the person's identity (both needed)."""
    listed = list(_records(actor, AgendaItem).filter(meeting=meeting).values_list("person_id", flat=True))
    parts: list[QuerySet[Any]] = [
        _records(actor, AgendaItem).filter(meeting=meeting),
        _people(actor, listed),
    ]
    if research:
        parts.append(_records(actor, Research).filter(meeting=meeting).select_related("recorded_by", "submitted_by"))
    shown = _read(actor, parts, route)
    people = {p.pk: p for p in _of(shown, Person)}
    sent: dict[uuid.UUID, list[Research]] = {}
    for r in sorted(_of(shown, Research), key=lambda r: r.recorded_by.name):
        sent.setdefault(r.person_id, []).append(r)
    items = sorted(_of(shown, AgendaItem), key=lambda i: i.position)
    return [Line(i, people[i.person_id], sent.get(i.person_id, [])) for i in items if i.person_id in people]


# ---------------------------------------------------------------------------------------------
# The coordinator's agenda page.


@dataclass
class Candidate:
    person: Person
    kind: str  # "new" or "review"
    referred_at: datetime | None = None
    referrer: str = ""
    review_due: date | None = None


@dataclass
class TimeCheck:
    cases: int
    minutes_per_case: int
    needed: int
    available: int

    @property
    def fits(self) -> bool:
        return self.needed <= self.available


@dataclass
class AgendaPage:
    meeting: Meeting
    lines: list[Line]
    candidates: list[Candidate]
    time: TimeCheck


def time_check(meeting: Meeting, cases: int) -> TimeCheck:
    available = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    per_case = meeting.forum.minutes_per_case
    return TimeCheck(cases=cases, minutes_per_case=per_case, needed=cases * per_case, available=available)


def _candidate_ids(meeting: Meeting) -> tuple[set[uuid.UUID], dict[uuid.UUID, date]]:
    """Who could be listed: current cases not on any meeting since they were listed (new), and
    cases whose last discussion set a review on or before this meeting's day (reviews)."""
    current = ForumCase.objects.filter(forum_cases_open(), forum_id=meeting.forum_id)
    heard = AgendaItem.objects.filter(meeting__forum_id=meeting.forum_id).exclude(
        meeting__status=MeetingStatus.CANCELLED
    )
    on_this = set(heard.filter(meeting=meeting).values_list("person_id", flat=True))
    # One query, not one per case: listed cases with no hearing since they were listed.
    heard_since_listed = heard.filter(person_id=OuterRef("person_id"), meeting__starts_at__gte=OuterRef("opened_at"))
    new = set(current.exclude(Exists(heard_since_listed)).values_list("person_id", flat=True))
    open_ids = set(current.values_list("person_id", flat=True))
    day = clock.local(meeting.starts_at).date()
    latest: dict[uuid.UUID, date | None] = {}
    discussions = CaseDiscussion.objects.filter(meeting__forum_id=meeting.forum_id, person_id__in=open_ids)
    for person_id, review_on in discussions.order_by("meeting__starts_at").values_list("person_id", "next_review_on"):
        latest[person_id] = review_on  # the last meeting's word stands
    reviews = {p: d for p, d in latest.items() if d is not None and d <= day and p not in on_this}
    return new - on_this, reviews


def agenda_page(actor: Actor, meeting: Meeting, *, route: str) -> AgendaPage:
    """The agenda so far and who could join it (organiser only; the caller checks)."""
    new, reviews = _candidate_ids(meeting)
    ids = new | set(reviews)
    listed = list(_records(actor, AgendaItem).filter(meeting=meeting).values_list("person_id", flat=True))
    shown = _read(
        actor,
        [
            _records(actor, AgendaItem).filter(meeting=meeting),
            _people(actor, ids | set(listed)),
            _records(actor, Referral)
            .filter(person_id__in=ids, pathway__forum_id=meeting.forum_id, sent_at__isnull=False)
            .select_related("from_agency"),
        ],
        route,
    )
    people = {p.pk: p for p in _of(shown, Person)}
    referrals: dict[uuid.UUID, Referral] = {}
    for r in sorted(_of(shown, Referral), key=lambda r: r.sent_at or clock.now()):
        referrals[r.person_id] = r  # the latest
    candidates = []
    for person_id in ids:
        if person_id not in people:
            continue  # nobody the organiser may not identify is offered
        referral = referrals.get(person_id)
        candidates.append(
            Candidate(
                person=people[person_id],
                kind="new" if person_id in new else "review",
                referred_at=referral.sent_at if referral else None,
                referrer=referral.from_agency.name if referral else "",
                review_due=reviews.get(person_id),
            )
        )
    candidates.sort(key=lambda c: (c.kind != "new", c.referred_at or clock.now(), c.person.family_name))
    items = sorted(_of(shown, AgendaItem), key=lambda i: i.position)
    lines = [Line(i, people[i.person_id]) for i in items if i.person_id in people]
    return AgendaPage(meeting, lines, candidates, time_check(meeting, len(items)))


def candidate_person(actor: Actor, meeting: Meeting, person_id: uuid.UUID) -> Person:
    """A person the organiser asked to list: they must be able to identify them (NotFound otherwise)."""
    person = _people(actor, [person_id]).first()
    if person is None:
        raise NotFound("No such person")
    return person


# ---------------------------------------------------------------------------------------------
# Research and the pack.


def research_lines(actor: Actor, meeting: Meeting, *, route: str) -> list[Line]:
    """The listed people the member may see, each with the research its own agency has sent."""
    lines = _lines(actor, meeting, route, research=True)
    for line in lines:
        line.research = [r for r in line.research if r.recorded_by_id == actor.agency_id]
    return lines


@dataclass
class Pack:
    meeting: Meeting
    lines: list[Line]
    members: list[Agency]
    # For the organiser: which member agencies have sent research on each listed person.
    sent: set[tuple[uuid.UUID, uuid.UUID]] | None = None

    def has_sent(self, person_id: uuid.UUID, agency_id: uuid.UUID) -> bool:
        return self.sent is not None and (person_id, agency_id) in self.sent


def pack(actor: Actor, meeting: Meeting, *, route: str) -> Pack:
    lines = _lines(actor, meeting, route, research=True)
    sent = None
    if rules.organises(actor, meeting.forum):
        # Whether an agency has sent anything (not what): the coordinator's readiness measure.
        rows = Research.objects.filter(meeting=meeting).values_list("person_id", "recorded_by_id")
        sent = set(rows)
    return Pack(meeting, lines, member_agencies(meeting), sent)


# ---------------------------------------------------------------------------------------------
# The meeting and one case.


@dataclass
class RunPage:
    meeting: Meeting
    lines: list[Line]
    members: list[Agency]
    attendance: dict[uuid.UUID, Attendance]
    observers: list[Attendance]
    discussed: set[uuid.UUID]


def run_page(actor: Actor, meeting: Meeting, *, route: str) -> RunPage:
    lines = _lines(actor, meeting, route)
    rows = list(Attendance.objects.filter(meeting=meeting))
    discussed = set(
        CaseDiscussion.objects.filter(meeting=meeting).exclude(summary="").values_list("person_id", flat=True)
    )
    return RunPage(
        meeting=meeting,
        lines=lines,
        members=member_agencies(meeting),
        attendance={a.agency_id: a for a in rows if not a.observer and a.agency_id},
        observers=[a for a in rows if a.observer],
        discussed=discussed,
    )


@dataclass
class CasePage:
    meeting: Meeting
    item: AgendaItem
    person: Person
    number: int
    research: list[Research]
    discussion: CaseDiscussion | None
    actions: list[Action]
    leads: list[LeadAgency]
    case_open: bool


def case_page(actor: Actor, meeting: Meeting, item_id: uuid.UUID, *, route: str) -> CasePage:
    """One case at the meeting with what the organiser may read about it; NotFound if forbidden."""
    item = AgendaItem.objects.filter(pk=item_id, meeting=meeting).values_list("person_id", flat=True).first()
    if item is None:
        raise NotFound("No such agenda item")
    shown_item, _ = policy.access_record(actor, AgendaItem, item_id, PURPOSE, route=route, related=("meeting",))
    person_id = shown_item.record.person_id
    shown = _read(
        actor,
        [
            _people(actor, [person_id]),
            _records(actor, Research).filter(meeting=meeting, person_id=person_id).select_related("recorded_by"),
            _records(actor, CaseDiscussion).filter(meeting=meeting, person_id=person_id),
            _records(actor, Action)
            .filter(person_id=person_id, source_ref=f"forums.agendaitem:{item_id}")
            .select_related("owner_agency"),
            _records(actor, LeadAgency).filter(person_id=person_id).select_related("agency"),
        ],
        route,
    )
    people = _of(shown, Person)
    if not people:
        raise NotFound("No such agenda item")
    discussions = _of(shown, CaseDiscussion)
    return CasePage(
        meeting=meeting,
        item=shown_item.record,
        person=people[0],
        number=shown_item.record.position,
        research=sorted(_of(shown, Research), key=lambda r: r.recorded_by.name),
        discussion=discussions[0] if discussions else None,
        actions=sorted(_of(shown, Action), key=lambda a: a.created_at),
        leads=sorted(_of(shown, LeadAgency), key=lambda lead: (lead.starts_on, lead.created_at), reverse=True),
        case_open=ForumCase.objects.filter(forum_cases_open(), forum_id=meeting.forum_id, person_id=person_id).exists(),
    )


def discussion_get(actor: Actor, item_id: uuid.UUID, *, route: str) -> tuple[AgendaItem, CaseDiscussion | None]:
    """An agenda item the actor may read and its discussion, if they may read that too (for the API)."""
    shown_item, _ = policy.access_record(actor, AgendaItem, item_id, PURPOSE, route=route, related=("meeting__forum",))
    item = shown_item.record
    if not (rules.organises(actor, item.meeting.forum) or rules.is_member(actor, item.meeting.forum)):
        raise NotFound("No such agenda item")
    found = _read(
        actor, [_records(actor, CaseDiscussion).filter(meeting_id=item.meeting_id, person_id=item.person_id)], route
    )
    discussions = _of(found, CaseDiscussion)
    return item, discussions[0] if discussions else None


# ---------------------------------------------------------------------------------------------
# Minutes: the same for the page and for each agency's PDF copy.


@dataclass
class MinutesEntry:
    number: int
    person: Person | None = None  # None: the case is not shared with the reader's agency
    item: AgendaItem | None = None
    discussion: CaseDiscussion | None = None
    actions: list[Action] = field(default_factory=list)
    leads: list[LeadAgency] = field(default_factory=list)


@dataclass
class Minutes:
    meeting: Meeting
    agency_name: str
    entries: list[MinutesEntry]
    attendance: list[Attendance]
    members: list[Agency]


def minutes(actor: Actor, meeting: Meeting, *, route: str) -> Minutes:
    """The minutes as the actor's agency may read them: every case is numbered, but only a case
    whose listing, identity and discussion the agency may read carries any detail."""
    numbers = dict(AgendaItem.objects.filter(meeting=meeting).values_list("pk", "position"))
    listed = list(_records(actor, AgendaItem).filter(meeting=meeting).values_list("pk", "person_id"))
    person_ids = [p for _, p in listed]
    refs = [f"forums.agendaitem:{pk}" for pk, _ in listed]
    shown = _read(
        actor,
        [
            _records(actor, AgendaItem).filter(meeting=meeting),
            _people(actor, person_ids),
            _records(actor, CaseDiscussion).filter(meeting=meeting, person_id__in=person_ids),
            _records(actor, Action).filter(source_ref__in=refs).select_related("owner_agency"),
            _records(actor, LeadAgency)
            .filter(person_id__in=person_ids, agreed_by="forum", starts_on=clock.local(meeting.starts_at).date())
            .select_related("agency"),
        ],
        route,
    )
    people = {p.pk: p for p in _of(shown, Person)}
    discussions = {d.person_id: d for d in _of(shown, CaseDiscussion)}
    entries = {pk: MinutesEntry(number) for pk, number in numbers.items()}
    for item in _of(shown, AgendaItem):
        person, discussion = people.get(item.person_id), discussions.get(item.person_id)
        if person is None or discussion is None:
            continue
        entry = entries[item.pk]
        entry.person, entry.item, entry.discussion = person, item, discussion
        entry.actions = [a for a in _of(shown, Action) if a.source_ref == f"forums.agendaitem:{item.pk}"]
        entry.leads = [lead for lead in _of(shown, LeadAgency) if lead.person_id == item.person_id]
    rows = Attendance.objects.filter(meeting=meeting).select_related("agency")
    return Minutes(
        meeting=meeting,
        agency_name=actor.agency_name,
        entries=sorted(entries.values(), key=lambda e: e.number),
        attendance=sorted(rows, key=lambda a: (a.observer, a.agency.name if a.agency else a.attendee_name)),
        members=member_agencies(meeting),
    )

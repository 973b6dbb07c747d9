"""API: agenda items, research, attendance and a case's discussion, with the pages' policy and 404 rules.

A discussion's version travels as an ETag and comes back in If-Match (412 when stale); POSTs accept
an Idempotency-Key.
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from ninja.responses import NinjaJSONEncoder

from joinedup.accounts.actors import request_actor
from joinedup.api.concurrency import etag, expected_version, with_etag
from joinedup.api.idempotency import idempotent
from joinedup.core import clock
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.forums import rules
from joinedup.forums.forms_dashboard import PeriodForm
from joinedup.forums.models import AgendaItem, Attendance
from joinedup.forums.selectors import agenda as selectors
from joinedup.forums.selectors import dashboard as dashboard_selectors
from joinedup.forums.services import agenda as services
from joinedup.forums.services import meeting_run

router = Router(tags=["forums"])


class ItemOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    position: int
    kind: str
    risk_level: int
    repeat: bool
    referred_at: datetime | None


class AgendaOut(Schema):
    count: int
    results: list[ItemOut]


class AgendaIn(Schema):
    person_id: uuid.UUID
    kind: str
    risk_level: int


class AttendanceRow(Schema):
    agency_id: uuid.UUID
    status: str
    attendee_name: str = ""


class AttendanceOut(Schema):
    results: list[AttendanceRow]
    observers: list[str]


class AttendanceIn(Schema):
    results: list[AttendanceRow]


class ResearchIn(Schema):
    person_id: uuid.UUID
    knows: str
    involvement: str = ""
    risks: str = ""
    category: str = "coordination"


class ResearchOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    version: int
    submitted_at: datetime


class DiscussionIn(Schema):
    summary: str = ""
    risks: str = ""
    decisions: str = ""
    next_review_on: date | None = None


class DiscussionOut(DiscussionIn):
    agenda_item_id: uuid.UUID
    version: int


def _item(item: AgendaItem, name: str) -> dict[str, Any]:
    return {
        "id": item.pk,
        "person_id": item.person_id,
        "person_name": name,
        "position": item.position,
        "kind": item.kind,
        "risk_level": item.risk_level,
        "repeat": item.repeat,
        "referred_at": item.referred_at,
    }


def _json(status: int, schema: type[Schema], data: dict[str, Any]) -> JsonResponse:
    body = schema.model_validate(data).model_dump(mode="json")
    return JsonResponse(body, status=status, encoder=NinjaJSONEncoder)


@router.get("/meetings/{meeting_id}/agenda", response=AgendaOut, summary="The agenda items you may read (audited)")
def get_agenda(request: HttpRequest, meeting_id: uuid.UUID) -> dict[str, Any]:
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor, meeting_id)
    lines = selectors.pack(actor, meeting, route=request.path).lines
    return {"count": len(lines), "results": [_item(line.item, line.person.full_name) for line in lines]}


@router.post("/meetings/{meeting_id}/agenda", response={201: ItemOut}, summary="List a case (organiser)")
@idempotent
def add_to_agenda(request: HttpRequest, meeting_id: uuid.UUID, payload: AgendaIn) -> HttpResponse:
    actor = request_actor(request)
    meeting = selectors.organised_meeting(actor, meeting_id)
    person = selectors.candidate_person(actor, meeting, payload.person_id)
    item = services.agenda_add(actor, meeting=meeting, person=person, kind=payload.kind, risk_level=payload.risk_level)
    return _json(201, ItemOut, _item(item, person.full_name))


def _attendance(meeting_id: uuid.UUID, request: HttpRequest) -> dict[str, Any]:
    actor = request_actor(request)
    page = selectors.run_page(actor, selectors.organised_meeting(actor, meeting_id), route=request.path)
    rows: list[Attendance] = list(page.attendance.values())
    return {
        "results": [{"agency_id": a.agency_id, "status": a.status, "attendee_name": a.attendee_name} for a in rows],
        "observers": [o.attendee_name for o in page.observers],
    }


@router.get("/meetings/{meeting_id}/attendance", response=AttendanceOut, summary="Attendance (organiser)")
def get_attendance(request: HttpRequest, meeting_id: uuid.UUID) -> dict[str, Any]:
    return _attendance(meeting_id, request)


@router.put("/meetings/{meeting_id}/attendance", response=AttendanceOut, summary="Record attendance (organiser)")
def put_attendance(request: HttpRequest, meeting_id: uuid.UUID, payload: AttendanceIn) -> dict[str, Any]:
    actor = request_actor(request)
    selectors.organised_meeting(actor, meeting_id)
    for row in payload.results:
        meeting_run.attendance_record(
            actor, meeting_id=meeting_id, agency_id=row.agency_id, status=row.status, attendee_name=row.attendee_name
        )
    return _attendance(meeting_id, request)


@router.post("/meetings/{meeting_id}/research", response={201: ResearchOut}, summary="Send research (member)")
@idempotent
def send_research(request: HttpRequest, meeting_id: uuid.UUID, payload: ResearchIn) -> HttpResponse:
    actor = request_actor(request)
    meeting = selectors.meeting_get(actor, meeting_id)
    if not rules.is_member(actor, meeting.forum):
        raise NotFound("No such meeting")
    person = selectors.candidate_person(actor, meeting, payload.person_id)
    version = expected_version(request) if request.headers.get("If-Match") else None
    research = services.research_submit(
        actor,
        meeting=meeting,
        person=person,
        knows=payload.knows,
        involvement=payload.involvement,
        risks=payload.risks,
        category=payload.category,
        expected_version=version,
    )
    data = {
        "id": research.pk,
        "person_id": research.person_id,
        "version": research.version,
        "submitted_at": research.submitted_at,
    }
    return with_etag(_json(201, ResearchOut, data), research.version)


def _discussion(request: HttpRequest, item_id: uuid.UUID) -> dict[str, Any]:
    item, found = selectors.discussion_get(request_actor(request), item_id, route=request.path)
    return {
        "agenda_item_id": item.pk,
        "version": found.version if found else 0,
        "summary": found.summary if found else "",
        "risks": found.risks if found else "",
        "decisions": found.decisions if found else "",
        "next_review_on": found.next_review_on if found else None,
    }


@router.get("/agenda/{item_id}/discussion", response=DiscussionOut, summary="A case's minutes, with its ETag")
def get_discussion(request: HttpRequest, item_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    data = _discussion(request, item_id)
    response["ETag"] = etag(data["version"])
    return data


@router.put("/agenda/{item_id}/discussion", response=DiscussionOut, summary="Save a case's minutes (If-Match)")
def put_discussion(request: HttpRequest, item_id: uuid.UUID, payload: DiscussionIn) -> HttpResponse:
    version = expected_version(request)
    meeting_run.discussion_save(request_actor(request), item_id=item_id, expected_version=version, **payload.dict())
    data = _discussion(request, item_id)
    return with_etag(_json(200, DiscussionOut, data), data["version"])


class AgencyAttendanceOut(Schema):
    agency: str
    meetings: int
    attended: int
    rate: float


class DashboardOut(Schema):
    """Aggregates only: counts, rates and medians, never a person."""

    start: date
    end: date
    meetings_held: int
    cases_heard: int
    cases_per_meeting: float | None
    repeat_rate: float | None
    referrals: int
    non_police_share: float | None
    attendance: list[AgencyAttendanceOut]
    actions_due: int
    actions_on_time: int
    on_time_rate: float | None
    minutes_per_case: float | None
    days_referral_to_meeting: float | None
    cases_per_10k_women_a_year: float | None
    benchmarks: dict[str, float] | None


def _benchmarks() -> dict[str, float]:
    d = dashboard_selectors
    return {
        "cases_per_10k_women_a_year": d.SAFELIVES_CASES_PER_10K_WOMEN,
        "repeat_rate": d.SAFELIVES_REPEAT_RATE,
        "non_police_share": d.SAFELIVES_NON_POLICE_SHARE,
        "referrals_per_idva": d.SAFELIVES_REFERRALS_PER_IDVA,
    }


@router.get("/{forum_id}/dashboard", response=DashboardOut, summary="A forum's figures for a period (aggregates)")
def get_dashboard(request: HttpRequest, forum_id: uuid.UUID) -> dict[str, Any]:
    form = PeriodForm(request.GET.dict(), default=dashboard_selectors.default_period(clock.today()))
    if not form.is_valid():
        raise ValidationFailed({k: [str(m) for m in v] for k, v in form.errors.items()})
    start, end = form.period()
    _, f = dashboard_selectors.dashboard_get(request_actor(request), forum_id=forum_id, start=start, end=end)
    attendance = [
        {"agency": a.agency, "meetings": a.meetings, "attended": a.attended, "rate": a.rate} for a in f.attendance
    ]
    names = ("start", "end", "meetings_held", "cases_heard", "cases_per_meeting", "repeat_rate", "referrals")
    more = ("non_police_share", "actions_due", "actions_on_time", "on_time_rate", "minutes_per_case")
    last = ("days_referral_to_meeting", "cases_per_10k_women_a_year")
    data = {n: getattr(f, n) for n in (*names, *more, *last)}
    return data | {"attendance": attendance, "benchmarks": _benchmarks() if f.benchmarks else None}

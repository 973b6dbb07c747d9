"""API: forums, members and meetings. A forum the actor's agency neither hosts nor sits on is 404.
A meeting carries its version as an ETag; moving or cancelling needs it back in If-Match (412 when
stale), and accepts an Idempotency-Key."""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from ninja.responses import NinjaJSONEncoder

from joinedup.accounts.actors import request_actor
from joinedup.api.concurrency import etag, expected_version, with_etag
from joinedup.api.idempotency import idempotent
from joinedup.forums import schedule
from joinedup.forums.models import Meeting
from joinedup.forums.selectors import meetings as selectors
from joinedup.forums.services import meetings as services
from joinedup.sharing.models import Forum, ForumMembership

router = Router(tags=["forums"])


class ForumOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    host: str


class MemberOut(Schema):
    agency_id: uuid.UUID
    agency: str
    starts_at: datetime
    ends_at: datetime | None
    representative: str
    representative_confirmed_on: date | None
    contact_name: str
    contact_email: str
    contact_phone: str


class ForumDetailOut(ForumOut):
    terms_of_reference: str
    referral_criteria: str
    confidentiality_statement: str
    agreement: str | None
    chair: str
    coordinator: str
    cadences: list[str]
    members: list[MemberOut]


class MeetingOut(Schema):
    id: uuid.UUID
    forum_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    occurrence: datetime | None
    venue: str
    video_link: str
    status: str
    cancelled_reason: str
    sequence: int
    version: int


class MoveIn(Schema):
    starts_at: datetime
    ends_at: datetime
    venue: str | None = None
    video_link: str | None = None


class CancelIn(Schema):
    reason: str


def _name(user: Any) -> str:
    return user.display_name if user else ""


def _forum(f: Forum) -> dict[str, Any]:
    return {"id": f.pk, "name": f.name, "kind": f.kind, "host": f.host.name}


def _member(m: ForumMembership) -> dict[str, Any]:
    fields = ("agency_id", "starts_at", "ends_at", "representative_confirmed_on", "contact_name", "contact_email")
    return {
        **{k: getattr(m, k) for k in fields},
        "contact_phone": m.contact_phone,
        "agency": m.agency.name,
        "representative": _name(m.representative),
    }


def _meeting(m: Meeting) -> dict[str, Any]:
    return {k: getattr(m, k) for k in MeetingOut.model_fields if k != "forum_id"} | {"forum_id": m.forum_id}


@router.get("", response=list[ForumOut], summary="The forums your agency hosts or sits on")
def list_forums(request: HttpRequest) -> list[dict[str, Any]]:
    return [_forum(f) for f in selectors.forum_list(request_actor(request))]


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="One meeting, with its ETag")
def get_meeting(request: HttpRequest, meeting_id: uuid.UUID, response: HttpResponse) -> dict[str, Any]:
    meeting = selectors.meeting_get(request_actor(request), meeting_id=meeting_id)
    response["ETag"] = etag(meeting.version)
    return _meeting(meeting)


@router.get("/{forum_id}", response=ForumDetailOut, summary="A forum, its current members and cadence")
def get_forum(request: HttpRequest, forum_id: uuid.UUID) -> dict[str, Any]:
    view = selectors.forum_get(request_actor(request), forum_id=forum_id)
    f = view.forum
    return {
        **_forum(f),
        "terms_of_reference": f.terms_of_reference,
        "referral_criteria": f.referral_criteria,
        "confidentiality_statement": f.confidentiality_statement,
        "agreement": f.agreement.title if f.agreement else None,
        "chair": _name(f.chair),
        "coordinator": _name(f.coordinator),
        "cadences": [schedule.describe(s.rule) for s in view.series],
        "members": [_member(m) for m in view.members],
    }


@router.get("/{forum_id}/meetings", response=list[MeetingOut], summary="The forum's meetings still to come")
def list_meetings(request: HttpRequest, forum_id: uuid.UUID) -> list[dict[str, Any]]:
    _, meetings = selectors.forum_meetings(request_actor(request), forum_id=forum_id)
    return [_meeting(m) for m in meetings]


def _reply(meeting: Meeting) -> HttpResponse:
    body = MeetingOut.model_validate(_meeting(meeting)).model_dump(mode="json")
    return with_etag(JsonResponse(body, encoder=NinjaJSONEncoder), meeting.version)


@router.post("/meetings/{meeting_id}/move", response=MeetingOut, summary="Move a meeting (If-Match)")
@idempotent
def move(request: HttpRequest, meeting_id: uuid.UUID, payload: MoveIn) -> HttpResponse:
    place = payload.model_dump(include={"venue", "video_link"}, exclude_none=True)
    meeting = services.meeting_move(
        request_actor(request),
        meeting_id=meeting_id,
        expected_version=expected_version(request),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        **place,
    )
    return _reply(meeting)


@router.post("/meetings/{meeting_id}/cancel", response=MeetingOut, summary="Cancel a meeting (If-Match)")
@idempotent
def cancel(request: HttpRequest, meeting_id: uuid.UUID, payload: CancelIn) -> HttpResponse:
    meeting = services.meeting_cancel(
        request_actor(request), meeting_id=meeting_id, expected_version=expected_version(request), reason=payload.reason
    )
    return _reply(meeting)

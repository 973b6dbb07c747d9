"""Every write made while the organiser runs a meeting: the confidentiality statement, attendance,
each case's discussion (versioned: two note-takers may save), the lead agency, actions, closing a
case, and publishing the minutes. Each records its change event in the same transaction."""

import uuid
from datetime import date
from typing import Any

from django.db import transaction

from joinedup.actions.models import Action, ActionSource
from joinedup.actions.services import action_create
from joinedup.agencies.models import Agency
from joinedup.audit.services import record_change, record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.formatting import format_date
from joinedup.forums.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CaseDiscussion,
    Meeting,
    MeetingStatus,
    MinutesCopy,
    MinutesStatus,
)
from joinedup.forums.services.agenda import agenda_item_for_organiser, meeting_lock
from joinedup.people.models import LeadAgency, LeadAgreedBy
from joinedup.people.selectors import agency_involved
from joinedup.sharing.models import ForumCase, ForumMembership
from joinedup.sharing.models.forums import forum_cases_open, memberships_in_force
from joinedup.sharing.services import forum_case_close

CLOSE_OUTCOMES = {
    "risk_reduced": "Risk reduced",
    "moved_area": "Moved out of the area",
    "declined_support": "Declined support",
    "other": "Other",
}


def _save(actor: Actor, obj: Any, action: str, before: dict[str, Any] | None, **extra: Any) -> None:
    obj.save()
    record_write(actor, action, obj, before, **extra)


def confidentiality_read(actor: Actor, *, meeting_id: uuid.UUID) -> Meeting:
    """Record that the chair read the confidentiality statement out (once; the first time stands)."""
    with transaction.atomic():
        meeting = meeting_lock(actor, meeting_id)
        if meeting.confidentiality_read_at is None:
            before = snapshot(meeting)
            meeting.confidentiality_read_at = clock.now()
            _save(actor, meeting, "meeting_confidentiality_read", before)
    return meeting


def _member_agency_ids(meeting: Meeting) -> set[uuid.UUID]:
    return set(
        ForumMembership.objects.filter(memberships_in_force(), forum_id=meeting.forum_id).values_list(
            "agency_id", flat=True
        )
    )


def attendance_record(
    actor: Actor, *, meeting_id: uuid.UUID, agency_id: uuid.UUID, status: str, attendee_name: str = ""
) -> Attendance:
    """Who came for one member agency (or why not)."""
    errors: dict[str, str] = {}
    if status not in AttendanceStatus.values:
        errors["status"] = "Choose present, apologies, apologies with information sent, or absent"
    if status == AttendanceStatus.PRESENT and not attendee_name.strip():
        errors["attendee_name"] = "Enter the name of the person who came"
    with transaction.atomic():
        meeting = meeting_lock(actor, meeting_id)
        if agency_id not in _member_agency_ids(meeting):
            errors["agency"] = "Choose a member agency of this forum"
        if errors:
            raise ValidationFailed(errors)
        row = Attendance.objects.filter(meeting=meeting, agency_id=agency_id, observer=False).first()
        before = snapshot(row) if row else None
        row = row or Attendance(meeting=meeting, agency_id=agency_id, observer=False)
        row.status, row.attendee_name = status, attendee_name.strip()
        _save(actor, row, "attendance_record", before)
    return row


def observer_add(actor: Actor, *, meeting_id: uuid.UUID, name: str) -> Attendance:
    """A student or an inspector sitting in: listed, never a member."""
    if not name.strip():
        raise ValidationFailed({"observer_name": "Enter the observer's name and role"})
    with transaction.atomic():
        meeting = meeting_lock(actor, meeting_id)
        row = Attendance(meeting=meeting, status=AttendanceStatus.PRESENT, attendee_name=name.strip(), observer=True)
        _save(actor, row, "attendance_observer_add", None)
    return row


def _minutes(start: Any, end: Any) -> int:
    return max(1, round((end - start).total_seconds() / 60))


def discussion_start(actor: Actor, *, item_id: uuid.UUID) -> AgendaItem:
    with transaction.atomic():
        item = agenda_item_for_organiser(actor, item_id, lock=True)
        if item.discussion_started_at is None:
            before = snapshot(item)
            item.discussion_started_at = clock.now()
            _save(actor, item, "discussion_start", before)
    return item


def discussion_stop(actor: Actor, *, item_id: uuid.UUID) -> AgendaItem:
    with transaction.atomic():
        item = agenda_item_for_organiser(actor, item_id, lock=True)
        if item.discussion_started_at is None:
            raise ValidationFailed({"": "Start the discussion before you stop it"})
        before = snapshot(item)
        item.discussion_ended_at = clock.now()
        item.minutes_taken = _minutes(item.discussion_started_at, item.discussion_ended_at)
        _save(actor, item, "discussion_stop", before)
    return item


def discussion_save(
    actor: Actor,
    *,
    item_id: uuid.UUID,
    expected_version: int,
    summary: str,
    risks: str,
    decisions: str,
    next_review_on: date | None,
) -> CaseDiscussion:
    """Save the case's minutes. `expected_version` is the version the note-taker opened (0 for none
    yet): a save over someone else's is refused with who changed it and when."""
    if next_review_on is not None and next_review_on < clock.today():
        raise ValidationFailed({"next_review_on": "The next review must be today or in the future"})
    with transaction.atomic():
        item = agenda_item_for_organiser(actor, item_id)
        found = (
            CaseDiscussion.objects.select_for_update()
            .filter(meeting_id=item.meeting_id, person_id=item.person_id)
            .first()
        )
        current = found.version if found else 0
        if expected_version != current:
            if found is None:
                raise StaleVersion("These minutes were removed after you opened them.", current_version=0)
            raise stale_version(found, "case's minutes")
        before = snapshot(found) if found else None
        discussion = found or CaseDiscussion(
            person_id=item.person_id,
            recorded_by_id=item.meeting.forum.host_id,
            category=CaseDiscussion.DEFAULT_CATEGORY,
            meeting_id=item.meeting_id,
            version=0,
        )
        discussion.summary, discussion.risks, discussion.decisions = summary.strip(), risks.strip(), decisions.strip()
        discussion.next_review_on = next_review_on
        discussion.edited_by_id = actor.user_id
        discussion.version += 1
        _save(actor, discussion, "discussion_save", before)
    return discussion


def forum_lead_agree(actor: Actor, *, item_id: uuid.UUID, agency_id: uuid.UUID | None, reason: str) -> LeadAgency:
    """The forum agrees which agency leads: a member of the forum or an agency working with the
    person. Recorded by the host agency, agreed by "forum" (the people service's own route needs the
    recording agency to be involved; a forum's host often is not)."""
    item = agenda_item_for_organiser(actor, item_id)
    errors: dict[str, str] = {}
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    if agency is None:
        errors["lead_agency"] = "Choose the agency that will lead"
    elif agency.pk not in _member_agency_ids(item.meeting) and not agency_involved(agency.pk, item.person_id):
        errors["lead_agency"] = "The lead must be a member of the forum or an agency working with the person"
    if not reason.strip():
        errors["lead_reason"] = "Say why this agency leads"
    if errors:
        raise ValidationFailed(errors)
    assert agency is not None
    lead = LeadAgency(
        person_id=item.person_id,
        recorded_by_id=item.meeting.forum.host_id,
        category=LeadAgency.DEFAULT_CATEGORY,
        agency=agency,
        starts_on=clock.today(),
        agreed_by=LeadAgreedBy.FORUM,
        note=reason.strip(),
    )
    with transaction.atomic():
        _save(actor, lead, "forum_lead_agree", None, source=f"forums.agendaitem:{item.pk}")
    return lead


def forum_action_agree(
    actor: Actor, *, item_id: uuid.UUID, description: str, owner_agency_id: uuid.UUID | None, due_on: date | None
) -> Action:
    """An action agreed at the meeting, owned by a member agency."""
    item = agenda_item_for_organiser(actor, item_id)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Say what will be done"
    owner = Agency.objects.filter(pk=owner_agency_id).first() if owner_agency_id else None
    if owner is None or owner.pk not in _member_agency_ids(item.meeting):
        errors["owner_agency"] = "Choose a member agency of this forum to own the action"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    elif due_on < clock.today():
        errors["due_on"] = "The due date must be today or in the future"
    if errors:
        raise ValidationFailed(errors)
    assert owner is not None and due_on is not None
    meeting = item.meeting
    return action_create(
        actor,
        person=item.person,
        description=description,
        owner_agency=owner,
        due_on=due_on,
        source=ActionSource.FORUM,
        source_ref=f"forums.agendaitem:{item.pk}",
        source_label=f"{meeting.forum.name}, {format_date(meeting.starts_at)}",
    )


def forum_case_finish(actor: Actor, *, item_id: uuid.UUID, outcome: str, detail: str = "") -> ForumCase:
    """Close the person's case at this forum with an outcome (the forum-purpose sharing ground ends)."""
    item = agenda_item_for_organiser(actor, item_id)
    errors: dict[str, str] = {}
    if outcome not in CLOSE_OUTCOMES:
        errors["outcome"] = "Choose the outcome"
    elif outcome == "other" and not detail.strip():
        errors["outcome_detail"] = "Say what the outcome was"
    open_cases = ForumCase.objects.filter(forum_cases_open(), forum_id=item.meeting.forum_id)
    case = open_cases.filter(person_id=item.person_id).first()
    if case is None:
        errors[""] = "This case is already closed"
    if errors:
        raise ValidationFailed(errors)
    assert case is not None
    text = f"{CLOSE_OUTCOMES[outcome]}: {detail.strip()}" if detail.strip() else CLOSE_OUTCOMES[outcome]
    return forum_case_close(actor, case=case, outcome=text[:40])


def _copy_facts(copy: MinutesCopy) -> dict[str, Any]:
    # The PDF itself never goes into the change trail: it holds person-level detail.
    return {"meeting_id": str(copy.meeting_id), "agency_id": str(copy.agency_id), "status": copy.status}


def minutes_publish(actor: Actor, *, meeting_id: uuid.UUID) -> list[MinutesCopy]:
    """Publish the minutes: the meeting is held, and one copy per member agency is queued to be built."""
    with transaction.atomic():
        meeting = meeting_lock(actor, meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationFailed({"": "This meeting was cancelled, so it has no minutes"})
        if clock.now() < meeting.starts_at:
            raise ValidationFailed({"": "Minutes can be published once the meeting has started"})
        before = snapshot(meeting)
        meeting.status = MeetingStatus.HELD
        meeting.minutes_published_at = clock.now()
        meeting.version += 1
        _save(actor, meeting, "minutes_publish", before)
        copies = []
        for agency_id in sorted(_member_agency_ids(meeting), key=str):
            copy = MinutesCopy.objects.filter(meeting=meeting, agency_id=agency_id).first()
            copy_before = _copy_facts(copy) if copy else None
            copy = copy or MinutesCopy(meeting=meeting, agency_id=agency_id)
            copy.status, copy.progress, copy.error, copy.pdf = MinutesStatus.QUEUED, 0, "", None
            copy.save()
            record_change(actor, action="minutes_copy_queue", obj=copy, before=copy_before, after=_copy_facts(copy))
            copies.append(copy)
        from joinedup.forums.minutes import build_minutes_copy  # the task module imports these services

        for copy in copies:
            copy_id = str(copy.pk)
            transaction.on_commit(lambda copy_id=copy_id: build_minutes_copy.enqueue(copy_id))  # type: ignore[misc]
    return copies


def meeting_for(meeting_id: uuid.UUID) -> Meeting:
    meeting = Meeting.objects.select_related("forum").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound("No such meeting")
    return meeting

"""Every write for getting people onto a meeting's agenda and sending research about them.

The organiser (rules.organises) builds the agenda; each member agency (rules.is_member) sends its
own research. Each write records its change event in the same transaction.
"""

import uuid
from datetime import datetime

from django.db import transaction

from joinedup.audit.services import record_change, record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.vocabulary import Category, Purpose
from joinedup.forums import rules
from joinedup.forums.models import AgendaItem, AgendaKind, Meeting, MeetingStatus, Research, RiskLevel
from joinedup.people.models import Person
from joinedup.referrals.models import Referral, ReferralState
from joinedup.sharing import policy
from joinedup.sharing.models import ForumCase
from joinedup.sharing.models.forums import forum_cases_open

PURPOSE = Purpose.FORUM


def require_organiser(actor: Actor, meeting: Meeting) -> None:
    """Only the organiser changes the agenda or runs the meeting; to anyone else there is no such page."""
    if not rules.organises(actor, meeting.forum):
        raise NotFound("No such meeting")


def twelve_months_before(moment: datetime) -> datetime:
    """The same moment a year earlier (29 February falls back to the 28th)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def was_discussed_within_a_year(meeting: Meeting, person_id: uuid.UUID) -> bool:
    """The SafeLives repeat measure: listed at an earlier (not cancelled) meeting of the same forum in
    the 12 months before this one, the first day of the window included."""
    return (
        AgendaItem.objects.filter(
            person_id=person_id,
            meeting__forum_id=meeting.forum_id,
            meeting__starts_at__gte=twelve_months_before(meeting.starts_at),
            meeting__starts_at__lt=meeting.starts_at,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exists()
    )


def forum_referral(meeting: Meeting, person_id: uuid.UUID) -> Referral | None:
    """The latest referral of the person to this forum that was sent (and not withdrawn)."""
    return (
        Referral.objects.filter(person_id=person_id, pathway__forum_id=meeting.forum_id, sent_at__isnull=False)
        .exclude(state__in=[ReferralState.WITHDRAWN, ReferralState.DECLINED])
        .order_by("-sent_at")
        .first()
    )


def _order_key(item: AgendaItem) -> tuple[int, datetime, datetime]:
    far = datetime.max.replace(tzinfo=item.created_at.tzinfo)
    return (-item.risk_level, item.referred_at or far, item.created_at)


def _reorder(actor: Actor, meeting: Meeting) -> None:
    """Highest risk first, then the earliest referral; positions from 1, each move recorded."""
    items = sorted(AgendaItem.objects.select_for_update().filter(meeting=meeting), key=_order_key)
    for position, item in enumerate(items, start=1):
        if item.position != position:
            before = snapshot(item)
            item.position = position
            item.save(update_fields=["position", "updated_at"])
            record_write(actor, "agenda_reorder", item, before)


def _open_meeting(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationFailed({"": f"This meeting is {meeting.get_status_display().lower()}: its agenda is fixed"})


def agenda_add(actor: Actor, *, meeting: Meeting, person: Person, kind: str, risk_level: int | str) -> AgendaItem:
    """List a current case of the forum for discussion at the meeting."""
    require_organiser(actor, meeting)
    _open_meeting(meeting)
    errors: dict[str, str] = {}
    if kind not in AgendaKind.values:
        errors["kind"] = "Choose whether this is a new referral or a review"
    try:
        level = int(risk_level)
    except (TypeError, ValueError):
        level = 0
    if level not in RiskLevel.values:
        errors["risk_level"] = "Choose the level of risk: high, medium or standard"
    if not ForumCase.objects.filter(forum_cases_open(), forum_id=meeting.forum_id, person=person).exists():
        errors["person"] = "Only a current case of this forum can be listed"
    elif AgendaItem.objects.filter(meeting=meeting, person=person).exists():
        errors["person"] = "This person is already on the agenda"
    if errors:
        raise ValidationFailed(errors)
    referral = forum_referral(meeting, person.pk)
    item = AgendaItem(
        person=person,
        recorded_by_id=meeting.forum.host_id,
        category=AgendaItem.DEFAULT_CATEGORY,
        meeting=meeting,
        kind=kind,
        risk_level=level,
        repeat=was_discussed_within_a_year(meeting, person.pk),
        referral_ref=f"referrals.referral:{referral.pk}" if referral else "",
        referred_at=referral.sent_at if referral else None,
    )
    with transaction.atomic():
        item.save(force_insert=True)
        record_write(actor, "agenda_add", item, None)
        _reorder(actor, meeting)
    item.refresh_from_db()
    return item


def agenda_item_for_organiser(actor: Actor, item_id: uuid.UUID, *, lock: bool = False) -> AgendaItem:
    """An agenda item of a meeting the actor organises (NotFound otherwise, as if missing)."""
    rows = AgendaItem.objects.select_related("meeting__forum", "person")
    item = (rows.select_for_update(of=("self",)) if lock else rows).filter(pk=item_id).first()
    if item is None or not rules.organises(actor, item.meeting.forum):
        raise NotFound("No such agenda item")
    return item


def agenda_remove(actor: Actor, *, item_id: uuid.UUID) -> None:
    """Take a person off the agenda (before the meeting is held); the others close up."""
    with transaction.atomic():
        item = agenda_item_for_organiser(actor, item_id, lock=True)
        _open_meeting(item.meeting)
        if item.discussion_started_at is not None:
            raise ValidationFailed({"": "This case has been discussed, so it stays on the agenda"})
        before = snapshot(item)
        record_change(
            actor,
            action="agenda_remove",
            obj=item,
            before=before,
            after=None,
            person_id=item.person_id,
            recorded_by_id=item.recorded_by_id,
        )
        item.delete()
        _reorder(actor, item.meeting)


def research_submit(
    actor: Actor,
    *,
    meeting: Meeting,
    person: Person,
    knows: str,
    involvement: str = "",
    risks: str = "",
    category: str = Research.DEFAULT_CATEGORY,
    expected_version: int | None = None,
) -> Research:
    """What the actor's agency knows about a listed person: one per agency, editable until the
    meeting starts. `expected_version` is the version last seen (None when sending the first)."""
    if not rules.is_member(actor, meeting.forum):
        raise NotFound("No such meeting")
    # Research is offered only on people the agency can see listed: nobody else exists for it.
    listed = policy.readable_records(actor, AgendaItem, PURPOSE).filter(meeting=meeting, person=person)
    if not listed.exists():
        raise NotFound("No such person")
    errors: dict[str, str] = {}
    if clock.now() >= meeting.starts_at or meeting.status != MeetingStatus.SCHEDULED:
        errors[""] = "Research closes when the meeting starts"
    if not knows.strip():
        errors["knows"] = "Say what your agency knows about the person, or that it knows nothing"
    if category not in {c.value for c in Category}:
        errors["category"] = "Choose the kind of information this is"
    if errors:
        raise ValidationFailed(errors)
    assert actor.agency_id is not None  # a member has an agency
    fields = {"knows": knows.strip(), "involvement": involvement.strip(), "risks": risks.strip()}
    with transaction.atomic():
        research = (
            Research.objects.select_for_update()
            .filter(meeting=meeting, person=person, recorded_by_id=actor.agency_id)
            .first()
        )
        if research is None:
            if expected_version:
                raise StaleVersion("This research was removed after you opened it.", current_version=0)
            research = Research(
                person=person,
                recorded_by_id=actor.agency_id,
                category=category,
                meeting=meeting,
                submitted_by_id=actor.user_id,
                submitted_at=clock.now(),
                **fields,
            )
            research.save(force_insert=True)
            record_write(actor, "research_submit", research, None)
            return research
        if expected_version != research.version:
            raise stale_version(research, "research")
        before = snapshot(research)
        for name, value in fields.items():
            setattr(research, name, value)
        research.category = category
        research.submitted_by_id = actor.user_id
        research.submitted_at = clock.now()
        research.version += 1
        research.save()
        record_write(actor, "research_update", research, before)
        return research


def meeting_lock(actor: Actor, meeting_id: uuid.UUID) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("forum").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound("No such meeting")
    require_organiser(actor, meeting)
    return meeting

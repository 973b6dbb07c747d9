"""Every write to crisis contacts: log (an unidentified caller or a known person), triage, first
response, link to a person (or create one) without losing the contact, refer onwards, close.

Each is done by a crisis worker of the agency that logged the contact, checks the version the
worker last saw (a stale save is refused with who changed it and when), and records its change
event in the same transaction.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction

from joinedup.accounts.models import User
from joinedup.audit.services import object_ref, record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, PermissionDenied, ValidationFailed
from joinedup.core.formatting import format_datetime
from joinedup.core.vocabulary import Purpose
from joinedup.crisis import rules
from joinedup.crisis.models import Channel, ContactReferral, ContactStatus, CrisisContact, TriageOutcome
from joinedup.people.models import Person
from joinedup.people.services import person_create
from joinedup.referrals.models import Pathway, Referral
from joinedup.referrals.services import referral_draft, referral_send
from joinedup.sharing import policy
from joinedup.sharing.models import Agreement, Consent

# Clocks on two machines never quite agree: a time "now" from a phone system may be a little ahead.
CLOCK_SKEW = timedelta(minutes=1)
UNSET: Any = object()  # "leave this field as it is" in an update


def _require_worker(actor: Actor) -> None:
    if not rules.may_work_contacts(actor):
        raise PermissionDenied("Only crisis workers can log and change crisis contacts")


def _lock(actor: Actor, contact_id: uuid.UUID, expected_version: int | None) -> CrisisContact:
    """The contact, locked, if it is the actor's agency's; NotFound otherwise (as if it did not exist)."""
    _require_worker(actor)
    contact = CrisisContact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None or contact.recorded_by_id != actor.agency_id:
        raise NotFound("No such contact")
    if expected_version is not None and contact.version != expected_version:
        raise stale_version(contact, "contact")
    return contact


def _require_open(contact: CrisisContact, doing: str) -> None:
    if not contact.is_open:
        raise ValidationFailed(
            {"": f"This contact was closed on {format_datetime(contact.closed_at)}, so it cannot be {doing}"}
        )


def _save(actor: Actor, contact: CrisisContact, action: str, before: dict[str, Any], **extra: Any) -> CrisisContact:
    contact.version += 1
    contact.save()
    record_write(actor, action, contact, before, **extra)
    return contact


def _visible_person(actor: Actor, person_id: uuid.UUID) -> Person | None:
    """The person, if the actor may identify them (nobody else exists for them)."""
    return policy.readable_people(actor, Purpose.DIRECT_CARE).filter(pk=person_id).first()


def _check_received(received_at: datetime | None, errors: dict[str, str]) -> None:
    if received_at is None:
        errors["received_at"] = "Enter the date and time the contact came in"
    elif received_at > clock.now() + CLOCK_SKEW:
        errors["received_at"] = "The time the contact came in must be now or in the past"


def _check_outcome(outcome: str, detail: str, errors: dict[str, str]) -> None:
    if outcome and outcome not in TriageOutcome.values:
        errors["triage_outcome"] = "Choose a triage outcome from the list"
    elif outcome == TriageOutcome.OTHER and not detail.strip():
        errors["outcome_detail"] = "Say what the outcome was"


def _responded(actor: Actor, contact: CrisisContact, at: datetime) -> None:
    """Triaging a contact is responding to it: the first response is now, unless recorded already."""
    if contact.first_response_at is None:
        contact.first_response_at = max(at, contact.received_at)
    if contact.handled_by_id is None:
        contact.handled_by_id = actor.user_id


def contact_log(
    actor: Actor,
    *,
    channel: str,
    received_at: datetime | None,
    presenting_need: str,
    caller_description: str = "",
    caller_name: str = "",
    callback_number: str = "",
    person_id: uuid.UUID | None = None,
    notes: str = "",
) -> CrisisContact:
    """Log a contact as it comes in. Few facts are needed: how, when, what for, and who (a person the
    worker can see, or a description of an unidentified caller)."""
    _require_worker(actor)
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = "Choose how the contact came in"
    _check_received(received_at, errors)
    if not presenting_need.strip():
        errors["presenting_need"] = "Say what the person needs help with, in a few words"
    person = _visible_person(actor, person_id) if person_id else None
    if person_id and person is None:
        errors["person_id"] = "Choose a person you can find in joinedup, or describe the caller instead"
    elif person is None and not caller_description.strip():
        errors["caller_description"] = (
            "Describe the caller so the next worker can recognise them, for example: woman in her 30s, "
            "calling from a phone box"
        )
    if errors:
        raise ValidationFailed(errors)
    assert actor.agency_id is not None and received_at is not None  # checked above
    contact = CrisisContact(
        person=person,
        recorded_by_id=actor.agency_id,
        category=CrisisContact.DEFAULT_CATEGORY,
        channel=channel,
        received_at=received_at,
        caller_description=caller_description.strip(),
        caller_name=caller_name.strip(),
        callback_number=callback_number.strip(),
        presenting_need=presenting_need.strip(),
        handled_by_id=actor.user_id,
        linked_at=clock.now() if person else None,
        notes=notes.strip(),
    )
    with transaction.atomic():
        contact.save(force_insert=True)
        record_write(actor, "crisis_contact_log", contact, None)
    return contact


def contact_update(
    actor: Actor,
    *,
    contact_id: uuid.UUID,
    expected_version: int | None,
    channel: str = UNSET,
    presenting_need: str = UNSET,
    caller_description: str = UNSET,
    caller_name: str = UNSET,
    callback_number: str = UNSET,
    triage_outcome: str = UNSET,
    outcome_detail: str = UNSET,
    notes: str = UNSET,
) -> CrisisContact:
    """Triage and correct an open contact; fields left out stay as they are."""
    given = {
        name: value.strip()
        for name, value in {
            "channel": channel,
            "presenting_need": presenting_need,
            "caller_description": caller_description,
            "caller_name": caller_name,
            "callback_number": callback_number,
            "triage_outcome": triage_outcome,
            "outcome_detail": outcome_detail,
            "notes": notes,
        }.items()
        if value is not UNSET and value is not None
    }
    with transaction.atomic():
        contact = _lock(actor, contact_id, expected_version)
        _require_open(contact, "changed")
        before = snapshot(contact)
        errors: dict[str, str] = {}
        if "channel" in given and given["channel"] not in Channel.values:
            errors["channel"] = "Choose how the contact came in"
        if "presenting_need" in given and not given["presenting_need"]:
            errors["presenting_need"] = "Say what the person needs help with, in a few words"
        if "caller_description" in given and not given["caller_description"] and contact.person_id is None:
            errors["caller_description"] = "Describe the caller: the contact is not linked to a person yet"
        if "triage_outcome" in given or "outcome_detail" in given:
            outcome = given.get("triage_outcome", contact.triage_outcome)
            _check_outcome(outcome, given.get("outcome_detail", contact.outcome_detail), errors)
        if errors:
            raise ValidationFailed(errors)
        for name, value in given.items():
            setattr(contact, name, value)
        if given.get("triage_outcome"):
            _responded(actor, contact, clock.now())
        return _save(actor, contact, "crisis_contact_update", before)


def contact_respond(
    actor: Actor, *, contact_id: uuid.UUID, expected_version: int | None, responded_at: datetime | None = None
) -> CrisisContact:
    """Record the first response (a worker spoke with the caller or went to them): the response clock stops."""
    at = responded_at or clock.now()
    with transaction.atomic():
        contact = _lock(actor, contact_id, expected_version)
        _require_open(contact, "responded to")
        if contact.first_response_at is not None:
            raise ValidationFailed(
                {"": f"The first response was already recorded, on {format_datetime(contact.first_response_at)}"}
            )
        if at > clock.now() + CLOCK_SKEW:
            raise ValidationFailed({"responded_at": "The first response must be now or in the past"})
        if at < contact.received_at:
            raise ValidationFailed({"responded_at": "The first response cannot be before the contact came in"})
        before = snapshot(contact)
        contact.first_response_at = at
        contact.handled_by_id = actor.user_id
        return _save(actor, contact, "crisis_contact_respond", before)


@dataclass(frozen=True)
class NewPerson:
    """A person to create from a contact, when the caller is not yet known to the partnership."""

    given_name: str
    family_name: str
    date_of_birth: date | None = None
    nhs_number: str = ""
    gender: str = "not_known"
    preferred_name: str = ""


def contact_link_person(
    actor: Actor,
    *,
    contact_id: uuid.UUID,
    expected_version: int | None,
    person_id: uuid.UUID | None = None,
    new_person: NewPerson | None = None,
) -> CrisisContact:
    """Say who the contact was about: a person the worker can see, or a new person created now (with
    the crisis agency working with them). The contact, its notes and its history are kept."""
    if (person_id is None) == (new_person is None):
        raise ValidationFailed({"person_id": "Choose the person, or add them as a new person"})
    with transaction.atomic():
        contact = _lock(actor, contact_id, expected_version)
        if contact.person_id is not None:
            raise ValidationFailed({"": "This contact is already linked to a person"})
        before = snapshot(contact)
        if person_id is not None:
            person = _visible_person(actor, person_id)
            if person is None:
                raise ValidationFailed({"person_id": "Choose a person you can find in joinedup"})
        else:
            assert new_person is not None
            person = person_create(actor, **vars(new_person))
        contact.person = person
        contact.linked_at = clock.now()
        return _save(actor, contact, "crisis_contact_link", before, person_created=new_person is not None)


def contact_refer(
    actor: Actor,
    *,
    contact_id: uuid.UUID,
    expected_version: int | None,
    pathway_id: uuid.UUID,
    urgency_id: uuid.UUID | None,
    reason: str,
    sharing_basis: str,
    risk_summary: str = "",
    what_matters: str = "",
    consent_id: uuid.UUID | None = None,
    agreement_id: uuid.UUID | None = None,
    sharing_note: str = "",
    attach_contact: bool = True,
) -> Referral:
    """Refer the person onwards from the contact (a DBI referral, say): a referral from the crisis agency,
    sent at once, with the contact attached so the receiving service sees what was said."""
    with transaction.atomic():
        contact = _lock(actor, contact_id, expected_version)
        _require_open(contact, "referred onwards")
        person = contact.person
        if person is None:
            raise ValidationFailed({"person_id": "Link the contact to a person before you refer them onwards"})
        pathway = Pathway.objects.filter(pk=pathway_id).first()
        urgency = pathway.urgencies.filter(pk=urgency_id).first() if pathway and urgency_id else None
        errors = {}
        if pathway is None:
            errors["pathway_id"] = "Choose the service to refer to"
        elif urgency is None:
            errors["urgency_id"] = "Choose how urgent it is"
        if errors:
            raise ValidationFailed(errors)
        assert pathway is not None and urgency is not None
        consent = Consent.objects.filter(pk=consent_id, person_id=person.pk).first() if consent_id else None
        agreement = Agreement.objects.filter(pk=agreement_id).first() if agreement_id else None
        worker = User.objects.select_related("team").get(pk=actor.user_id)
        before = snapshot(contact)
        draft = referral_draft(
            actor,
            person=person,
            pathway=pathway,
            urgency=urgency,
            reason=reason,
            what_matters=what_matters,
            risk_summary=risk_summary,
            sharing_basis=sharing_basis,
            consent=consent,
            agreement=agreement,
            sharing_note=sharing_note,
            referred_by=worker,
            from_team=worker.team,
            attachments=[object_ref(contact)] if attach_contact else [],
        )
        referral = referral_send(actor, referral_id=draft.pk, expected_version=draft.version)
        ContactReferral.objects.create(contact=contact, referral=referral)
        _save(actor, contact, "crisis_contact_refer", before, referral=str(referral.pk))
        return referral


def contact_close(
    actor: Actor,
    *,
    contact_id: uuid.UUID,
    expected_version: int | None,
    triage_outcome: str | None = None,
    outcome_detail: str | None = None,
    note: str = "",
) -> CrisisContact:
    """Close a contact: it leaves the board. A triage outcome is required (it may be given here)."""
    with transaction.atomic():
        contact = _lock(actor, contact_id, expected_version)
        _require_open(contact, "closed again")
        outcome = (triage_outcome if triage_outcome is not None else contact.triage_outcome).strip()
        detail = (outcome_detail if outcome_detail is not None else contact.outcome_detail).strip()
        errors: dict[str, str] = {}
        if not outcome:
            errors["triage_outcome"] = "Choose the triage outcome before you close the contact"
        _check_outcome(outcome, detail, errors)
        if errors:
            raise ValidationFailed(errors)
        before = snapshot(contact)
        now = clock.now()
        contact.triage_outcome = outcome
        contact.outcome_detail = detail
        _responded(actor, contact, now)
        contact.status = ContactStatus.CLOSED
        contact.closed_at = now
        contact.closed_by_id = actor.user_id
        contact.close_note = note.strip()
        return _save(actor, contact, "crisis_contact_close", before)

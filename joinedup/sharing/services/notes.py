"""Case notes, and explicit shares of sealed records."""

from datetime import date

from django.db import transaction

from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import ValidationFailed
from joinedup.core.vocabulary import Category
from joinedup.people.models import Person, PersonRecord
from joinedup.sharing.models import CaseNote, SealedShare
from joinedup.sharing.services._common import changed, require_agency

TITLE_MAX = 200  # CaseNote.title's max_length


def case_note_add(
    actor: Actor, *, person: Person, category: str, title: str, body: str, occurred_on: date, sealed: bool = False
) -> CaseNote:
    """Add a note to the person's record; its category (and seal) decide which agencies may read it."""
    agency_id = require_agency(actor)
    errors = {}
    if category not in Category.__members__.values():
        errors["category"] = "Choose what kind of information the note holds"
    if not title.strip():
        errors["title"] = "Enter a short title"
    elif len(title.strip()) > TITLE_MAX:
        errors["title"] = f"The title must be {TITLE_MAX} characters or fewer"
    if not body.strip():
        errors["body"] = "Enter the note"
    if occurred_on > clock.today():
        errors["occurred_on"] = "The date must be today or in the past"
    if errors:
        raise ValidationFailed(errors)
    note = CaseNote(
        person=person,
        recorded_by_id=agency_id,
        category=category,
        sealed=sealed,
        author_id=actor.user_id,
        title=title.strip(),
        body=body.strip(),
        occurred_on=occurred_on,
    )
    with transaction.atomic():
        note.save(force_insert=True)
        changed(actor, "case_note_add", note, None)
    return note


def sealed_share_add(actor: Actor, *, record: PersonRecord, agency: Agency, reason: str) -> SealedShare:
    """The agency that sealed a record lets one named agency read it."""
    if record.recorded_by_id != actor.agency_id:
        raise ValidationFailed({"": "Only the agency that recorded it can share a sealed record"})
    if not record.sealed:
        raise ValidationFailed({"": "This record is not sealed: it is shared by the usual rules"})
    if agency.pk == actor.agency_id:
        raise ValidationFailed({"agency": "Choose another agency"})
    if not reason.strip():
        raise ValidationFailed({"reason": "Say why this agency needs to see it"})
    share = SealedShare(
        record_type=record._meta.label_lower,
        record_id=record.pk,
        person_id=record.person_id,
        agency=agency,
        shared_by_id=actor.user_id,
        reason=reason.strip(),
    )
    with transaction.atomic():
        share.save(force_insert=True)
        changed(actor, "sealed_share_add", share, None)
    return share

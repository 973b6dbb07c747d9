"""Every write to people and their records: validated, in one transaction, with its change event."""

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency, Team
from joinedup.audit.services import record_change, snapshot
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import ValidationFailed
from joinedup.people import nhs_numbers
from joinedup.people.models import (
    Address,
    Alias,
    ContactDetail,
    Involvement,
    InvolvementCategory,
    LeadAgency,
    LocalIdentifier,
    Person,
    PersonRecord,
    active_involvements,
)


def _acting_agency(actor: Actor) -> Agency:
    if actor.agency_id is None:
        raise ValidationFailed({"": "Only staff of a partner agency can record information about people"})
    return Agency.objects.get(pk=actor.agency_id)


def _check_birth_date(born: date | None) -> None:
    if born is not None and born > clock.today():
        raise ValidationFailed({"date_of_birth": "Date of birth must be today or in the past"})
    if born is not None and born.year < 1900:
        raise ValidationFailed({"date_of_birth": "Date of birth must be after 1900"})


def _save_new[R: PersonRecord | Person](actor: Actor, record: R, *, action: str) -> R:
    try:
        record.full_clean()
    except DjangoValidationError as error:
        raise ValidationFailed({k if k != NON_FIELD_ERRORS else "": v for k, v in error.message_dict.items()}) from None
    record.save(force_insert=True)
    person_id = record.pk if isinstance(record, Person) else record.person_id
    record_change(
        actor,
        action=action,
        obj=record,
        before=None,
        after=snapshot(record),
        person_id=person_id,
        recorded_by_id=record.recorded_by_id,
    )
    return record


def person_create(
    actor: Actor,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date | None = None,
    nhs_number: str = "",
    gender: str = "not_known",
    preferred_name: str = "",
    communication_needs: str = "",
    interpreter_required: bool = False,
    interpreter_language: str = "",
    involvement_team: Team | None = None,
    key_worker: User | None = None,
) -> Person:
    """Record a new person, and the acting agency's involvement with them from today."""
    agency = _acting_agency(actor)
    if not given_name.strip() and not family_name.strip():
        raise ValidationFailed({"given_name": "Enter the person's name, or a description such as Unknown"})
    _check_birth_date(date_of_birth)
    digits = nhs_numbers.normalise(nhs_number) if nhs_number.strip() else None
    if interpreter_required and not interpreter_language.strip():
        raise ValidationFailed({"interpreter_language": "Enter the language the interpreter needs to speak"})
    if digits and Person.objects.filter(nhs_number=digits).exists():
        raise ValidationFailed(
            {"nhs_number": "That NHS number is already recorded. Search for the person before adding them again"}
        )
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        preferred_name=preferred_name.strip(),
        date_of_birth=date_of_birth,
        nhs_number=digits,
        gender=gender,
        communication_needs=communication_needs.strip(),
        interpreter_required=interpreter_required,
        interpreter_language=interpreter_language.strip(),
        recorded_by=agency,
    )
    try:
        with transaction.atomic():
            _save_new(actor, person, action="person_create")
            involvement_start(
                actor, person=person, team=involvement_team, starts_on=clock.today(), key_worker=key_worker
            )
    except IntegrityError:
        # Two people added the same NHS number at the same moment; the second is told, not crashed.
        raise ValidationFailed({"nhs_number": "That NHS number was recorded a moment ago by someone else"}) from None
    return person


def _record[R: PersonRecord](model: type[R], actor: Actor, person: Person, **fields: Any) -> R:
    fields.setdefault("category", model.DEFAULT_CATEGORY)
    return model(person=person, recorded_by=_acting_agency(actor), **fields)


def alias_add(actor: Actor, *, person: Person, given_name: str, family_name: str, kind: str) -> Alias:
    if not (given_name.strip() or family_name.strip()):
        raise ValidationFailed({"given_name": "Enter the other name"})
    alias = _record(Alias, actor, person, given_name=given_name.strip(), family_name=family_name.strip(), kind=kind)
    with transaction.atomic():
        return _save_new(actor, alias, action="alias_add")


def identifier_add(actor: Actor, *, person: Person, label: str, value: str) -> LocalIdentifier:
    agency = _acting_agency(actor)
    if LocalIdentifier.objects.filter(issuer=agency, value=value.strip()).exists():
        raise ValidationFailed({"value": "Your agency has already given that reference to someone"})
    identifier = _record(LocalIdentifier, actor, person, issuer=agency, label=label.strip(), value=value.strip())
    with transaction.atomic():
        return _save_new(actor, identifier, action="identifier_add")


def contact_detail_add(
    actor: Actor, *, person: Person, kind: str, value: str, note: str = "", preferred: bool = False
) -> ContactDetail:
    if not value.strip():
        raise ValidationFailed({"value": "Enter the phone number or email address"})
    detail = _record(ContactDetail, actor, person, kind=kind, value=value.strip(), note=note, preferred=preferred)
    with transaction.atomic():
        return _save_new(actor, detail, action="contact_detail_add")


def address_add(
    actor: Actor,
    *,
    person: Person,
    kind: str,
    line1: str = "",
    line2: str = "",
    town: str = "",
    postcode: str = "",
    sealed: bool = False,
) -> Address:
    if kind != "no_fixed_abode" and not (line1.strip() and (town.strip() or postcode.strip())):
        raise ValidationFailed({"line1": "Enter the first line of the address and a town or postcode"})
    address = _record(
        Address,
        actor,
        person,
        kind=kind,
        line1=line1.strip(),
        line2=line2.strip(),
        town=town.strip(),
        postcode=postcode.strip().upper(),
        sealed=sealed,
    )
    with transaction.atomic():
        return _save_new(actor, address, action="address_add")


def involvement_category(agency: Agency) -> str:
    """What an involvement of this agency reveals (a mapping kept as data)."""
    row = InvolvementCategory.objects.filter(agency_kind=agency.kind).first()
    return row.category if row else Involvement.DEFAULT_CATEGORY


def involvement_start(
    actor: Actor,
    *,
    person: Person,
    starts_on: date,
    team: Team | None = None,
    role: str = "",
    key_worker: User | None = None,
    key_worker_name: str = "",
    key_worker_phone: str = "",
    key_worker_email: str = "",
) -> Involvement:
    """The acting agency starts working with the person."""
    agency = _acting_agency(actor)
    if team is not None and team.agency_id != agency.pk:
        raise ValidationFailed({"team": "Choose one of your agency's teams"})
    if key_worker is not None and key_worker.agency_id != agency.pk:
        raise ValidationFailed({"key_worker": "The key worker must work for your agency"})
    involvement = _record(
        Involvement,
        actor,
        person,
        category=involvement_category(agency),
        agency=agency,
        team=team,
        starts_on=starts_on,
        role=role,
        key_worker=key_worker,
        key_worker_name=key_worker_name or (str(key_worker) if key_worker else ""),
        key_worker_phone=key_worker_phone or (key_worker.phone if key_worker else ""),
        key_worker_email=key_worker_email or (key_worker.email if key_worker else ""),
    )
    with transaction.atomic():
        return _save_new(actor, involvement, action="involvement_start")


def involvement_end(actor: Actor, *, involvement_id: uuid.UUID, ends_on: date) -> Involvement:
    """The acting agency stops working with the person (only its own involvements)."""
    with transaction.atomic():
        involvement = (
            Involvement.objects.select_for_update().filter(pk=involvement_id, recorded_by_id=actor.agency_id).first()
        )
        if involvement is None:
            raise ValidationFailed({"": "That involvement is not your agency's to end"})
        if ends_on < involvement.starts_on:
            raise ValidationFailed({"ends_on": "The end date must be on or after the start date"})
        if involvement.ends_on is not None:
            raise ValidationFailed({"ends_on": "This involvement has already ended"})
        before = snapshot(involvement)
        involvement.ends_on = ends_on
        involvement.save(update_fields=["ends_on", "updated_at"])
        record_change(
            actor,
            action="involvement_end",
            obj=involvement,
            before=before,
            after=snapshot(involvement),
            person_id=involvement.person_id,
            recorded_by_id=involvement.recorded_by_id,
        )
    return involvement


def lead_agency_agree(
    actor: Actor, *, person: Person, agency: Agency, starts_on: date, agreed_by: str, note: str = ""
) -> LeadAgency:
    """Record that, from `starts_on`, `agency` leads the person's care (any involved agency may record it)."""
    errors = {}
    if not Involvement.objects.filter(active_involvements(), person=person, agency=_acting_agency(actor)).exists():
        errors[""] = "Only an agency working with the person can record who leads"
    if starts_on > clock.today():
        errors["starts_on"] = "The date the lead was agreed must be today or in the past"
    if not Involvement.objects.filter(active_involvements(starts_on), person=person, agency=agency).exists():
        errors["agency"] = "The lead agency must be working with the person on that date"
    if errors:
        raise ValidationFailed(errors)
    lead = _record(LeadAgency, actor, person, agency=agency, starts_on=starts_on, agreed_by=agreed_by, note=note)
    with transaction.atomic():
        return _save_new(actor, lead, action="lead_agency_agree")

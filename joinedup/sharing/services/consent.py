"""Recording, reviewing and withdrawing consent."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from joinedup.agencies.models import Agency
from joinedup.audit.services import snapshot
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.vocabulary import Category, Purpose
from joinedup.people.models import Person
from joinedup.sharing.models import Consent, ConsentProvision, ConsentScope, ConsentStatus, Forum, ProvisionKind
from joinedup.sharing.models.consent import Capacity, GivenBy, Method
from joinedup.sharing.services._common import changed, require_agency

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {"application/pdf", "image/jpeg", "image/png"}
# What the file's first bytes must be for each type: the browser's content type is only a claim.
_EVIDENCE_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
_EVIDENCE_EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


@dataclass(frozen=True)
class ProvisionSpec:
    """One rule of a consent, as a form or the API states it."""

    kind: str = ProvisionKind.PERMIT
    recipient_agencies: Sequence[uuid.UUID] = ()
    recipient_forums: Sequence[uuid.UUID] = ()
    any_recipient: bool = False
    categories: Sequence[str] = ()
    purposes: Sequence[str] = ()
    source_agencies: Sequence[uuid.UUID] = field(default_factory=tuple)


def _check_provision(spec: ProvisionSpec, errors: dict[str, str]) -> None:
    if spec.kind not in ProvisionKind.values:
        errors["provisions"] = "Each rule must say whether the information can or must not be seen"
    if not (
        spec.recipient_agencies or spec.recipient_forums or (spec.any_recipient and spec.kind == ProvisionKind.DENY)
    ):
        errors["recipient_agencies"] = "Choose who can see the information"
    if spec.any_recipient and spec.kind == ProvisionKind.PERMIT:
        errors["recipient_agencies"] = "Consent cannot let every agency see information: choose the agencies"
    if not spec.categories or set(spec.categories) - set(Category):
        errors["categories"] = "Choose what information can be seen"
    allowed_purposes = set(Purpose) - {Purpose.ANALYTICS}
    if not spec.purposes or set(spec.purposes) - allowed_purposes:
        errors["purposes"] = "Choose what the information can be used for"


def evidence_problem(evidence: UploadedFile) -> str | None:
    """Why an evidence file cannot be kept (too big, or not really a PDF, JPG or PNG), or None."""
    if not evidence.size:
        return "The selected file is empty"
    if evidence.size > EVIDENCE_MAX_BYTES:
        return "The file must be smaller than 5MB"
    claimed = _EVIDENCE_EXTENSIONS.get(PurePath(evidence.name or "").suffix.lower())
    if claimed is None or evidence.content_type not in EVIDENCE_TYPES:
        return "The file must be a PDF, JPG or PNG"
    evidence.seek(0)
    head = evidence.read(8)
    evidence.seek(0)
    if not head.startswith(_EVIDENCE_SIGNATURES[claimed]):
        return "The file must be a PDF, JPG or PNG"
    return None


def _check_evidence(evidence: UploadedFile | None, errors: dict[str, str]) -> None:
    if evidence is not None and (problem := evidence_problem(evidence)):
        errors["evidence"] = problem


def _snapshot(consent: Consent) -> dict[str, object]:
    """The consent's stored values for a change event; the evidence file by its stored name."""
    return {**snapshot(consent), "evidence": consent.evidence.name or ""}


def consent_validate(
    actor: Actor,
    *,
    status: str,
    method: str,
    provisions: Sequence[ProvisionSpec],
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    review_on: date | None = None,
    given_by: str = GivenBy.PERSON,
    representative_name: str = "",
    representative_relationship: str = "",
    capacity: str = Capacity.NOT_ASSESSED,
    capacity_note: str = "",
    evidence: UploadedFile | None = None,
    notes: str = "",
) -> None:
    """Raise ValidationFailed, naming each field, if `consent_record` would refuse these answers.

    Pages call it on the question page, so that a "check your answers" page only shows answers
    that can be recorded; `consent_record` calls it again before writing.
    """
    require_agency(actor)
    now = clock.now()
    starts_at = starts_at or now
    errors: dict[str, str] = {}
    if status not in (ConsentStatus.GIVEN, ConsentStatus.REFUSED):
        errors["status"] = "Say whether consent was given or refused"
    if given_by not in GivenBy.values:
        errors["given_by"] = "Say who gave or refused consent"
    elif given_by == GivenBy.REPRESENTATIVE and not representative_name.strip():
        errors["representative_name"] = "Enter the name of the person acting for them"
    if capacity not in Capacity.values:
        errors["capacity"] = "Say whether the person has capacity to make this decision"
    elif capacity == Capacity.LACKS_CAPACITY and given_by == GivenBy.PERSON:
        errors["given_by"] = (
            "A person who lacks capacity for this decision cannot give consent themselves: "
            "record who is legally able to act for them, or share on another lawful basis"
        )
    if method not in Method.values:
        errors["method"] = "Say how consent was given or refused"
    if ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The end date must be after the start date"
    if ends_at is not None and ends_at <= now:
        errors["ends_at"] = "The end date must be in the future"
    if review_on is not None and review_on < clock.today():
        errors["review_on"] = "The review date must be today or in the future"
    if status == ConsentStatus.GIVEN and not any(p.kind == ProvisionKind.PERMIT for p in provisions):
        errors["recipient_agencies"] = "Choose who can see the information"
    for spec in provisions:
        _check_provision(spec, errors)
    _check_evidence(evidence, errors)
    if errors:
        raise ValidationFailed(errors)


def consent_record(
    actor: Actor,
    *,
    person: Person,
    status: str,
    method: str,
    provisions: Sequence[ProvisionSpec],
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    review_on: date | None = None,
    given_by: str = GivenBy.PERSON,
    representative_name: str = "",
    representative_relationship: str = "",
    capacity: str = Capacity.NOT_ASSESSED,
    capacity_note: str = "",
    evidence: UploadedFile | None = None,
    notes: str = "",
) -> Consent:
    """Record a consent given (or refused) by the person or their representative.

    A refusal may list what was asked (its provisions) or nothing; either way it opens nothing.
    """
    consent_validate(
        actor,
        status=status,
        method=method,
        provisions=provisions,
        starts_at=starts_at,
        ends_at=ends_at,
        review_on=review_on,
        given_by=given_by,
        representative_name=representative_name,
        capacity=capacity,
        evidence=evidence,
    )
    agency_id = require_agency(actor)
    starts_at = starts_at or clock.now()
    if given_by != GivenBy.REPRESENTATIVE:
        representative_name = representative_relationship = ""
    consent = Consent(
        person=person,
        recorded_by_id=agency_id,
        category=Consent.DEFAULT_CATEGORY,
        status=status,
        given_by=given_by,
        representative_name=representative_name.strip(),
        representative_relationship=representative_relationship.strip(),
        capacity=capacity,
        capacity_note=capacity_note.strip(),
        method=method,
        recorded_by_user_id=actor.user_id,
        starts_at=starts_at,
        ends_at=ends_at,
        review_on=review_on,
        notes=notes.strip(),
    )
    if evidence is not None:
        consent.evidence = evidence  # type: ignore[assignment]
    with transaction.atomic():
        consent.save(force_insert=True)
        for spec in provisions:
            _add_provision(consent, spec)
        changed(
            actor,
            "consent_record",
            consent,
            None,
            provisions=[_spec_json(p) for p in provisions],
        )
    return consent


def _add_provision(consent: Consent, spec: ProvisionSpec) -> ConsentProvision:
    provision = ConsentProvision.objects.create(
        consent=consent, kind=spec.kind, any_recipient=spec.any_recipient, any_source=not spec.source_agencies
    )
    provision.recipient_agencies.set(Agency.objects.filter(pk__in=spec.recipient_agencies))
    provision.recipient_forums.set(Forum.objects.filter(pk__in=spec.recipient_forums))
    provision.source_agencies.set(Agency.objects.filter(pk__in=spec.source_agencies))
    ConsentScope.objects.bulk_create(
        ConsentScope(provision=provision, category=c, purpose=p)
        for c in set(spec.categories)
        for p in set(spec.purposes)
    )
    return provision


def _spec_json(spec: ProvisionSpec) -> dict[str, object]:
    return {
        "kind": spec.kind,
        "recipient_agencies": sorted(str(a) for a in spec.recipient_agencies),
        "recipient_forums": sorted(str(f) for f in spec.recipient_forums),
        "any_recipient": spec.any_recipient,
        "categories": sorted(spec.categories),
        "purposes": sorted(spec.purposes),
        "source_agencies": sorted(str(a) for a in spec.source_agencies),
    }


def _own_consent(actor: Actor, consent_id: uuid.UUID) -> Consent:
    consent = Consent.objects.select_for_update().filter(pk=consent_id).first()
    if consent is None or consent.recorded_by_id != actor.agency_id:
        raise NotFound("No such consent")
    return consent


def consent_withdraw(actor: Actor, *, consent_id: uuid.UUID, reason: str) -> Consent:
    """The person withdraws consent: it stops applying from the very next request."""
    if not reason.strip():
        raise ValidationFailed({"reason": "Say how the person withdrew consent, in their words if you can"})
    with transaction.atomic():
        consent = _own_consent(actor, consent_id)
        if consent.status != ConsentStatus.GIVEN or consent.withdrawn_at is not None:
            raise ValidationFailed({"": "Only consent that has been given can be withdrawn"})
        before = _snapshot(consent)
        consent.status = ConsentStatus.WITHDRAWN
        consent.withdrawn_at = clock.now()
        consent.withdrawn_by_id = actor.user_id
        consent.withdrawal_reason = reason.strip()
        consent.save()
        changed(actor, "consent_withdraw", consent, before)
    return consent


def consent_review(actor: Actor, *, consent_id: uuid.UUID, next_review_on: date) -> Consent:
    """Checked with the person that the consent still stands; set the next review."""
    if next_review_on <= clock.today():
        raise ValidationFailed({"next_review_on": "The next review date must be in the future"})
    with transaction.atomic():
        consent = _own_consent(actor, consent_id)
        if not consent.in_force():
            raise ValidationFailed({"": "This consent is no longer in force: record a new one instead"})
        before = _snapshot(consent)
        consent.reviewed_at = clock.now()
        consent.review_on = next_review_on
        consent.save()
        changed(actor, "consent_review", consent, before)
    return consent

"""Every write to referrals: send, acknowledge, accept (once only), decline with an onward route,
warm handover, close, withdraw, re-refer. Each checks who may do it, in which state, and at which
version (a stale save is refused with who changed it and when), and records its change event."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import transaction

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency, Team
from joinedup.audit.services import record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.formatting import format_datetime
from joinedup.people.models import Person, PersonRecord
from joinedup.referrals import clocks
from joinedup.referrals.models import (
    Pathway,
    PathwayKind,
    Referral,
    ReferralState,
    SharingBasis,
    Signposting,
    UrgencyLevel,
)
from joinedup.sharing import registry
from joinedup.sharing import services as sharing
from joinedup.sharing.models import Agreement, Consent, ForumCase
from joinedup.sharing.models import ReferralState as LinkState
from joinedup.sharing.models.agreements import agreements_in_force

S = ReferralState


def _lock(
    referral_id: uuid.UUID, expected_version: int | None, *, party: Callable[[Referral], None] | None = None
) -> Referral:
    """The referral, locked. `party` refuses the wrong side first, so a stranger's stale version
    gets the same 404 as a missing referral, never a 412 naming who changed it."""
    referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("No such referral")
    if party is not None:
        party(referral)
    if expected_version is not None and referral.version != expected_version:
        raise stale_version(referral, "referral")
    return referral


def _save(actor: Actor, referral: Referral, action: str, before: dict[str, object], **extra: object) -> Referral:
    referral.version += 1
    referral.save()
    record_write(actor, action, referral, before, **extra)
    return referral


def _require_state(referral: Referral, *allowed: str, doing: str) -> None:
    if referral.state not in allowed:
        raise ValidationFailed(
            {"": f"This referral is {referral.get_state_display().lower()}, so it cannot be {doing}"}
        )


def _require_receiver(actor: Actor, referral: Referral) -> None:
    if actor.agency_id != referral.to_agency_id:
        raise NotFound("No such referral")


def _require_referrer(actor: Actor, referral: Referral) -> None:
    if actor.agency_id != referral.from_agency_id:
        raise NotFound("No such referral")


def _attachable(actor: Actor, person: Person, refs: Sequence[str]) -> list[PersonRecord | Person]:
    """The records named "app_label.model:uuid", which must be the actor's agency's own, about the person."""
    records: list[PersonRecord | Person] = []
    for ref in refs:
        label, _, pk = str(ref).partition(":")
        try:
            key = uuid.UUID(pk)
        except ValueError:
            raise ValidationFailed({"attachments": "Attach only your own agency's records about this person"}) from None
        model = (
            Person
            if label == "people.person"
            else next((m for m in registry.record_models() if m._meta.label_lower == label), None)
        )
        record = model._default_manager.filter(pk=key).first() if model else None
        person_id = getattr(record, "person_id", getattr(record, "pk", None))
        if record is None or record.recorded_by_id != actor.agency_id or person_id != person.pk:
            raise ValidationFailed({"attachments": "Attach only your own agency's records about this person"})
        records.append(record)
    return records


def _check_basis(
    actor: Actor,
    person: Person,
    basis: str,
    consent: Consent | None,
    agreement: Agreement | None,
    note: str,
    to_agency: Agency,
) -> dict[str, str]:
    errors = {}
    if basis not in SharingBasis.values:
        errors["sharing_basis"] = "Say why it is lawful to share this referral"
    elif basis == SharingBasis.CONSENT and (
        consent is None or consent.person_id != person.pk or not consent.in_force()
    ):
        errors["consent"] = "Choose the person's consent that is in force, or record their consent first"
    elif basis == SharingBasis.AGREEMENT:
        in_force = Agreement.objects.filter(agreements_in_force(), parties=actor.agency_id).filter(parties=to_agency)
        if agreement is None or not in_force.filter(pk=agreement.pk).exists():
            errors["agreement"] = "Choose a data sharing agreement in force between your agency and theirs"
    elif basis in (SharingBasis.VITAL_INTERESTS, SharingBasis.SAFEGUARDING) and not note.strip():
        errors["sharing_note"] = "Explain why sharing without consent is justified"
    return errors


def referral_draft(
    actor: Actor,
    *,
    person: Person,
    pathway: Pathway,
    urgency: UrgencyLevel,
    reason: str,
    sharing_basis: str,
    referred_by: User,
    to_team: Team | None = None,
    what_matters: str = "",
    risk_summary: str = "",
    consent: Consent | None = None,
    agreement: Agreement | None = None,
    sharing_note: str = "",
    attachments: Sequence[str] = (),
    from_team: Team | None = None,
    previous: Referral | None = None,
) -> Referral:
    """A new referral, not yet sent: it is the referrer's own record until it is."""
    if actor.agency_id is None:
        raise ValidationFailed({"": "Only staff of a partner agency can refer"})
    errors: dict[str, str] = {}
    if not pathway.active:
        errors["pathway"] = "That pathway is no longer in use: choose another"
    elif pathway.from_agencies.exists() and not pathway.from_agencies.filter(pk=actor.agency_id).exists():
        errors["pathway"] = "Your agency cannot refer through this pathway"
    if urgency.pathway_id != pathway.pk:
        errors["urgency"] = "Choose how urgent it is"
    if pathway.to_agency_id == actor.agency_id:
        errors["pathway"] = "This pathway leads to your own agency"
    if not reason.strip():
        errors["reason"] = "Say why you are referring, in plain words"
    if pathway.requires_risk_summary and not risk_summary.strip():
        errors["risk_summary"] = "Summarise the risks, or write that none are known"
    team = to_team or pathway.to_team
    if team is not None and team.agency_id != pathway.to_agency_id:
        errors["to_team"] = "Choose one of the receiving agency's teams"
    errors |= _check_basis(actor, person, sharing_basis, consent, agreement, sharing_note, pathway.to_agency)
    if errors:
        raise ValidationFailed(errors)
    _attachable(actor, person, attachments)
    referral = Referral(
        person=person,
        recorded_by_id=actor.agency_id,
        category=Referral.DEFAULT_CATEGORY,
        pathway=pathway,
        urgency=urgency,
        from_agency_id=actor.agency_id,
        from_team=from_team,
        referred_by=referred_by,
        to_agency=pathway.to_agency,
        to_team=team,
        reason=reason.strip(),
        what_matters=what_matters.strip(),
        risk_summary=risk_summary.strip(),
        sharing_basis=sharing_basis,
        consent=consent if sharing_basis == SharingBasis.CONSENT else None,
        agreement=agreement if sharing_basis == SharingBasis.AGREEMENT else None,
        sharing_note=sharing_note.strip(),
        attachments=list(dict.fromkeys(attachments)),
        previous=previous,
    )
    with transaction.atomic():
        referral.save(force_insert=True)
        record_write(actor, "referral_draft", referral, None)
    return referral


def referral_send(actor: Actor, *, referral_id: uuid.UUID, expected_version: int | None = None) -> Referral:
    """Send: the receiving agency's inbox gets it, with what was attached, and its response clock starts."""
    with transaction.atomic():
        referral = _lock(referral_id, expected_version, party=partial(_require_referrer, actor))
        _require_state(referral, S.DRAFT, doing="sent")
        before = snapshot(referral)
        attached = [referral, *_attachable(actor, referral.person, referral.attachments)]
        referral.link = sharing.referral_link_open(
            actor,
            person=referral.person,
            from_agency=referral.from_agency,
            to_agency=referral.to_agency,
            attachments=attached,
        )
        now = clock.now()
        referral.state = S.SENT
        referral.sent_at = now
        referral.due_at = clocks.due_at(now, referral.urgency)
        return _save(actor, referral, "referral_send", before)


def referral_acknowledge(actor: Actor, *, referral_id: uuid.UUID, expected_version: int | None = None) -> Referral:
    with transaction.atomic():
        referral = _lock(referral_id, expected_version, party=partial(_require_receiver, actor))
        _require_state(referral, S.SENT, doing="acknowledged")
        before = snapshot(referral)
        referral.state = S.ACKNOWLEDGED
        referral.acknowledged_at = clock.now()
        referral.acknowledged_by_id = actor.user_id
        return _save(actor, referral, "referral_acknowledge", before)


def _set_link(actor: Actor, referral: Referral, state: str) -> None:
    if referral.link is not None and referral.link.state != state:
        sharing.referral_link_set_state(actor, link=referral.link, state=state)


def referral_accept(actor: Actor, *, referral_id: uuid.UUID, expected_version: int | None = None) -> Referral:
    """Accept, once: two workers accepting at the same moment end with one acceptance and one clear refusal."""
    with transaction.atomic():
        referral = _lock(referral_id, expected_version, party=partial(_require_receiver, actor))
        if referral.state == S.ACCEPTED:
            raise ValidationFailed({"": f"Already accepted at {format_datetime(referral.decided_at)}"})
        _require_state(referral, *S.awaiting_decision(), doing="accepted")
        before = snapshot(referral)
        now = clock.now()
        referral.state = S.ACCEPTED
        referral.decided_at = now
        referral.decided_by_id = actor.user_id
        referral.acknowledged_at = referral.acknowledged_at or now
        _set_link(actor, referral, LinkState.ACCEPTED)
        _list_for_forum(actor, referral)
        return _save(actor, referral, "referral_accept", before)


def _list_for_forum(actor: Actor, referral: Referral) -> None:
    """A forum referral, once accepted, makes the person a current case of the forum (if not already)."""
    forum = referral.pathway.forum if referral.pathway.kind == PathwayKind.FORUM else None
    if forum is not None and not ForumCase.objects.filter(forum=forum, person=referral.person, closed_at=None).exists():
        sharing.forum_case_open(actor, forum=forum, person=referral.person)


@dataclass(frozen=True)
class OnwardReferral:
    """Decline onto another pathway: it becomes a new referral from the declining agency, sent at once."""

    pathway: Pathway
    urgency: UrgencyLevel
    reason: str


@dataclass(frozen=True)
class OnwardSignposting:
    """Decline with signposting: where the person was pointed, and why."""

    service_name: str
    reason: str
    person_told: bool = False
    service_id_hsds: str = ""


def referral_decline(
    actor: Actor,
    *,
    referral_id: uuid.UUID,
    reason: str,
    onward: OnwardReferral | OnwardSignposting | None,
    expected_version: int | None = None,
) -> Referral:
    """Decline, always with an onward route: nothing ends in a dead end."""
    errors = {}
    if not reason.strip():
        errors["decline_reason"] = "Say why your service is not the right one"
    if onward is None:
        errors["onward"] = "Choose an onward route: refer to another service, or record where you signposted the person"
    elif isinstance(onward, OnwardSignposting) and not (onward.service_name.strip() and onward.reason.strip()):
        errors["onward"] = "Name the service you signposted the person to, and why it suits them"
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        referral = _lock(referral_id, expected_version, party=partial(_require_receiver, actor))
        _require_state(referral, *S.awaiting_decision(), doing="declined")
        before = snapshot(referral)
        now = clock.now()
        referral.state = S.DECLINED
        referral.decline_reason = reason.strip()
        referral.decided_at = now
        referral.decided_by_id = actor.user_id
        if isinstance(onward, OnwardReferral):
            referral.onward_referral = _onward(actor, referral, onward)
        elif isinstance(onward, OnwardSignposting):
            _signpost(actor, referral, onward)
        _set_link(actor, referral, LinkState.ENDED)
        return _save(actor, referral, "referral_decline", before)


def _onward(actor: Actor, declined: Referral, onward: OnwardReferral) -> Referral:
    if not onward.reason.strip():
        raise ValidationFailed({"onward": "Say why you are referring onwards"})
    decider = User.objects.get(pk=actor.user_id)
    draft = referral_draft(
        actor,
        person=declined.person,
        pathway=onward.pathway,
        urgency=onward.urgency,
        reason=onward.reason,
        what_matters=declined.what_matters,
        risk_summary=declined.risk_summary or "Not known to us: see the original referral",
        sharing_basis=SharingBasis.SAFEGUARDING
        if declined.sharing_basis != SharingBasis.CONSENT
        else declined.sharing_basis,
        consent=declined.consent,
        sharing_note=f"Onward route from a declined referral: {declined.decline_reason}",
        referred_by=decider,
        previous=declined,
    )
    return referral_send(actor, referral_id=draft.pk)


def _signpost(actor: Actor, declined: Referral, onward: OnwardSignposting) -> Signposting:
    signposting = Signposting(
        person=declined.person,
        recorded_by_id=declined.to_agency_id,  # the declining agency: the actor, checked by the caller
        category=Signposting.DEFAULT_CATEGORY,
        referral=declined,
        service_id_hsds=onward.service_id_hsds,
        service_name=onward.service_name.strip(),
        reason=onward.reason.strip(),
        person_told=onward.person_told,
        signposted_by_id=actor.user_id,
    )
    signposting.save(force_insert=True)
    record_write(actor, "signposting_record", signposting, None)
    return signposting


def referral_first_contact(
    actor: Actor,
    *,
    referral_id: uuid.UUID,
    handover_at: datetime,
    handover_form: str,
    person_present: bool,
    receiving_worker: User | None = None,
    receiving_worker_name: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
    """The warm handover: a named worker of the receiving service spoke with the referrer (and the person)."""
    errors = {}
    if receiving_worker is None and not receiving_worker_name.strip():
        errors["receiving_worker"] = "Name the worker who made first contact"
    if receiving_worker is not None and receiving_worker.agency_id != actor.agency_id:
        errors["receiving_worker"] = "The worker must be from your agency"
    if handover_at > clock.now():
        errors["handover_at"] = "The handover must have happened already"
    if not handover_form:
        errors["handover_form"] = "Say how the handover conversation happened"
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        referral = _lock(referral_id, expected_version, party=partial(_require_receiver, actor))
        _require_state(referral, S.ACCEPTED, doing="marked as first contact made")
        # People give the time to the minute: a handover in the minute the referral went is not "before" it.
        sent_minute = referral.sent_at.replace(second=0, microsecond=0) if referral.sent_at else None
        if sent_minute is not None and handover_at < sent_minute:
            raise ValidationFailed({"handover_at": "The handover cannot be before the referral was sent"})
        before = snapshot(referral)
        referral.state = S.FIRST_CONTACT
        referral.handover_at = handover_at
        referral.handover_form = handover_form
        referral.person_present = person_present
        referral.receiving_worker = receiving_worker
        referral.receiving_worker_name = receiving_worker_name.strip() or (
            str(receiving_worker) if receiving_worker else ""
        )
        referral.handover_note = note.strip()
        return _save(actor, referral, "referral_first_contact", before)


def referral_close(actor: Actor, *, referral_id: uuid.UUID, note: str, expected_version: int | None = None) -> Referral:
    with transaction.atomic():
        referral = _lock(referral_id, expected_version, party=partial(_require_receiver, actor))
        _require_state(referral, S.FIRST_CONTACT, doing="closed")
        before = snapshot(referral)
        referral.state = S.CLOSED
        referral.closed_at = clock.now()
        referral.close_note = note.strip()
        _set_link(actor, referral, LinkState.ENDED)
        return _save(actor, referral, "referral_close", before)


def referral_withdraw(
    actor: Actor, *, referral_id: uuid.UUID, reason: str, expected_version: int | None = None
) -> Referral:
    if not reason.strip():
        raise ValidationFailed({"withdrawal_reason": "Say why you are withdrawing the referral"})
    with transaction.atomic():
        referral = _lock(referral_id, expected_version, party=partial(_require_referrer, actor))
        _require_state(referral, S.DRAFT, *S.awaiting_decision(), doing="withdrawn")
        before = snapshot(referral)
        referral.state = S.WITHDRAWN
        referral.withdrawn_at = clock.now()
        referral.withdrawal_reason = reason.strip()
        _set_link(actor, referral, LinkState.ENDED)
        return _save(actor, referral, "referral_withdraw", before)


def referral_rerefer(actor: Actor, *, referral_id: uuid.UUID, referred_by: User) -> Referral:
    """A new draft from a declined, withdrawn or closed referral, linked to it and filled in from it."""
    previous = Referral.objects.filter(pk=referral_id).select_related("pathway", "urgency").first()
    if previous is None or previous.from_agency_id != actor.agency_id:
        raise NotFound("No such referral")
    if previous.state not in (S.DECLINED, S.WITHDRAWN, S.CLOSED):
        raise ValidationFailed({"": "Only a declined, withdrawn or closed referral can be made again"})
    if not previous.consent or not previous.consent.in_force():
        basis, consent = (
            (previous.sharing_basis, None)
            if previous.sharing_basis != SharingBasis.CONSENT
            else (SharingBasis.SAFEGUARDING, None)
        )
    else:
        basis, consent = previous.sharing_basis, previous.consent
    return referral_draft(
        actor,
        person=previous.person,
        pathway=previous.pathway,
        urgency=previous.urgency,
        reason=previous.reason,
        what_matters=previous.what_matters,
        risk_summary=previous.risk_summary,
        sharing_basis=basis,
        consent=consent,
        agreement=previous.agreement,
        sharing_note=previous.sharing_note or "Re-referral",
        attachments=previous.attachments,
        referred_by=referred_by,
        previous=previous,
    )

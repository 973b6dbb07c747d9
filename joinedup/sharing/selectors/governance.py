"""Reads for the information governance pages: agreements, emergency-access reviews, disclosure logs
and subject access exports.

Person-level records are read only through `sharing.policy` under the governance purpose, and every
read that returns them is audited. The audit trail itself (who saw what) is read here too: it holds
ids and labels, not records, and only IG leads reach these selectors.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from joinedup.accounts.models import User
from joinedup.accounts.roles import ROLE_LABELS, RoleCode
from joinedup.agencies.models import Agency
from joinedup.audit.models import AccessEvent, Outcome
from joinedup.audit.services import object_ref, record_view
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.paging import Page, page_number
from joinedup.core.vocabulary import Purpose
from joinedup.people.models import Person
from joinedup.sharing import policy, registry
from joinedup.sharing.models import (
    Agreement,
    EmergencyGrant,
    EmergencyReview,
    Forum,
    ReviewOutcome,
    SubjectAccessExport,
)
from joinedup.sharing.policy import Shown

GOVERNANCE = Purpose.GOVERNANCE
EXPIRY_WARNING_DAYS = 60


# ---------------------------------------------------------------------------------------------
# People as the governance purpose sees them.


@dataclass(frozen=True)
class GovernancePerson:
    id: uuid.UUID
    name: str | None  # None when the actor may not read the person's identity record


def people_names(
    actor: Actor, person_ids: Iterable[uuid.UUID], *, route: str, purpose: Purpose = GOVERNANCE
) -> dict[uuid.UUID, str]:
    """The names of those people whose identity the actor may read, each read audited."""
    ids = set(person_ids)
    if not ids:
        return {}
    people = policy.with_grounds(actor, policy.readable_people(actor, purpose).filter(pk__in=ids), purpose)
    shown = policy.access_people(actor, list(people), purpose, route=route)
    return {row.record.pk: row.record.full_name for row in shown}


def governance_person(actor: Actor, *, person_id: uuid.UUID, route: str) -> GovernancePerson:
    """The person if they exist for the actor under the governance purpose; otherwise NotFound and a
    denied event, exactly as a direct request for any hidden person."""
    if not policy.visible_people(actor, GOVERNANCE).filter(pk=person_id).exists():
        record_view(actor, person_id=person_id, purpose=GOVERNANCE, outcome=Outcome.DENIED, route=route)
        raise NotFound("No such person")
    names = people_names(actor, [person_id], route=route)
    return GovernancePerson(person_id, names.get(person_id))


def _record_models() -> dict[str, type[Any]]:
    models: list[type[Any]] = [Person, *registry.record_models()]
    return {m._meta.label_lower: m for m in models}


def _parse_ref(ref: str) -> tuple[str, uuid.UUID] | None:
    label, _, pk = ref.partition(":")
    try:
        return label, uuid.UUID(pk)
    except ValueError:
        return None


def _decide(actor: Actor, context: policy.PersonContext, records: Iterable[Any]) -> list[Shown[Any]]:
    shown = []
    for record in records:
        decision = policy.can_view(actor, record, GOVERNANCE, context=context)
        if decision.allowed:
            shown.append(Shown(record, decision.grounds, decision.reasons))
    return shown


def _audited(actor: Actor, person_id: uuid.UUID, shown: list[Shown[Any]], route: str, reason: str) -> None:
    if shown:
        policy.audit_shown(actor, person_id=person_id, purpose=GOVERNANCE, shown=shown, route=route, reason=reason)


def records_by_ref(
    actor: Actor, *, person_id: uuid.UUID, refs: Iterable[str], route: str, reason: str = ""
) -> dict[str, Shown[Any]]:
    """The named records of one person that the actor may read for governance, audited as one read.

    Records since removed, or no longer readable, are simply absent from the answer.
    """
    wanted: dict[str, set[uuid.UUID]] = {}
    for ref in refs:
        parsed = _parse_ref(ref)
        if parsed:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    models = _record_models()
    related = {s.model: s.related for s in registry.sections()}
    context = policy.PersonContext.load(actor, person_id)
    shown: list[Shown[Any]] = []
    for label, pks in sorted(wanted.items()):
        model = models.get(label)
        if model is None:
            continue
        if model is Person:
            rows: QuerySet[Any] = model._default_manager.filter(pk__in=pks & {person_id})
        else:
            rows = model._default_manager.filter(pk__in=pks, person_id=person_id)
            if related.get(model):
                rows = rows.select_related(*related[model])
        shown.extend(_decide(actor, context, rows))
    with transaction.atomic():
        _audited(actor, person_id, shown, route, reason)
        return {object_ref(s.record): s for s in shown}


# ---------------------------------------------------------------------------------------------
# Data sharing agreements (organisational documents, not person-level data).


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related("owner", "created_by").prefetch_related(
        "parties", "signoffs__agency", "signoffs__signed_by", "scopes", "forums"
    )


def agreement_list() -> list[Agreement]:
    return list(_agreements().order_by("title", "pk"))


def agreement_get(*, agreement_id: uuid.UUID) -> Agreement:
    agreement = _agreements().filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound("No such agreement")
    return agreement


def agreements_awaiting_signoff(*, agency_id: uuid.UUID) -> list[Agreement]:
    """Drafts the agency is a party to and has not yet signed off (and that have not already ended)."""
    today = clock.today()
    rows = (
        _agreements()
        .filter(parties=agency_id, signed_off_at__isnull=True)
        .exclude(signoffs__agency_id=agency_id)
        .exclude(ends_on__lt=today)
    )
    return list(rows.order_by("starts_on", "title"))


def agreements_expiring(*, agency_id: uuid.UUID, within_days: int = EXPIRY_WARNING_DAYS) -> list[Agreement]:
    """Agreements in force that the agency is a party to, ending within `within_days` days."""
    today = clock.today()
    rows = _agreements().filter(
        parties=agency_id,
        signed_off_at__isnull=False,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=within_days),
    )
    return list(rows.order_by("ends_on", "title"))


def agency_options() -> QuerySet[Agency]:
    return Agency.objects.filter(active=True).order_by("name")


def forum_options() -> QuerySet[Forum]:
    return Forum.objects.filter(active=True).order_by("name")


# ---------------------------------------------------------------------------------------------
# Emergency access reviews.


def _reviews(agency_id: uuid.UUID) -> QuerySet[EmergencyReview]:
    return EmergencyReview.objects.filter(agency_id=agency_id).select_related(
        "grant__user", "grant__agency", "reviewed_by"
    )


def emergency_reviews_pending(*, agency_id: uuid.UUID) -> list[EmergencyReview]:
    return list(_reviews(agency_id).filter(outcome=ReviewOutcome.PENDING).order_by("due_on", "first_used_at"))


def emergency_reviews_decided(*, agency_id: uuid.UUID, limit: int = 20) -> list[EmergencyReview]:
    rows = _reviews(agency_id).exclude(outcome=ReviewOutcome.PENDING).order_by("-reviewed_at")
    return list(rows[:limit])


def emergency_review_get(actor: Actor, *, review_id: uuid.UUID) -> EmergencyReview:
    """A review in the actor's agency's queue; any other is not found."""
    if actor.agency_id is None:
        raise NotFound("No such review")
    review = _reviews(actor.agency_id).filter(pk=review_id).first()
    if review is None:
        raise NotFound("No such review")
    return review


@dataclass(frozen=True)
class EmergencyRead:
    """One look under an emergency grant at the reviewing agency's records."""

    occurred_at: datetime
    refs: list[str]


def emergency_review_reads(review: EmergencyReview) -> list[EmergencyRead]:
    """When the grant holder opened the reviewing agency's records only because of the grant."""
    grant: EmergencyGrant = review.grant
    until = min(filter(None, [grant.ended_at, grant.expires_at]))
    events = AccessEvent.objects.filter(
        actor_user_id=grant.user_id,
        person_id=grant.person_id,
        purpose=Purpose.EMERGENCY,
        outcome=Outcome.ALLOWED,
        occurred_at__gte=grant.granted_at,
        occurred_at__lte=until,
    ).order_by("occurred_at", "id")
    agency = str(review.agency_id)
    reads = []
    for event in events:
        refs = [r["ref"] for r in event.records if r.get("agency") == agency and r.get("grounds") == ["emergency"]]
        if refs:
            reads.append(EmergencyRead(event.occurred_at, refs))
    return reads


# ---------------------------------------------------------------------------------------------
# Disclosure log: who saw the records one agency holds about one person.


def _disclosures(agency_id: uuid.UUID, person_id: uuid.UUID) -> QuerySet[AccessEvent]:
    # JSON containment is not portable (SQLite has none), so match the agency id in the records'
    # text: an agency's UUID appears there only as a record's "agency", so the match is exact.
    return (
        AccessEvent.objects.filter(person_id=person_id, outcome=Outcome.ALLOWED)
        .annotate(records_text=Cast("records", TextField()))
        .filter(records_text__contains=str(agency_id))
    )


def _user_names(user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    ids = {i for i in user_ids if i is not None}
    users = User.objects.filter(pk__in=ids).only("pk", "first_name", "last_name", "username")
    return {u.pk: u.display_name for u in users}


def _role_labels(codes: Iterable[str]) -> list[str]:
    return [ROLE_LABELS[RoleCode(c)] if c in RoleCode else c for c in sorted(codes)]


@dataclass(frozen=True)
class Disclosure:
    """One access event, narrowed to the records of one agency."""

    occurred_at: datetime
    user_id: uuid.UUID | None
    user_name: str
    agency_name: str
    own_agency: bool
    roles: list[str]
    purpose: str
    grounds: list[str]
    records: list[dict[str, Any]]  # {"ref", "agency", "category", "grounds"}
    reason: str


def _own_entries(event: AccessEvent, agency: str) -> list[dict[str, Any]]:
    return [r for r in event.records if isinstance(r, dict) and r.get("agency") == agency]


def disclosure_log(
    *, agency_id: uuid.UUID, person_id: uuid.UUID, page: int = 1, size: int | None = None
) -> Page[Disclosure]:
    """Every allowed read of the person that included the agency's records, newest first."""
    size = size or settings.PAGE_SIZE
    events = _disclosures(agency_id, person_id)
    total = events.count()
    number = page_number(page, total, size)
    start = (number - 1) * size
    rows = list(events.order_by("-occurred_at", "-id")[start : start + size])
    names = _user_names(e.actor_user_id for e in rows)
    agency = str(agency_id)
    entries = []
    for event in rows:
        own = _own_entries(event, agency)
        entries.append(
            Disclosure(
                occurred_at=event.occurred_at,
                user_id=event.actor_user_id,
                user_name=names.get(event.actor_user_id, event.actor_username)  # type: ignore[arg-type]
                if event.actor_user_id
                else event.actor_username,
                agency_name=event.actor_agency_name or "joinedup",
                own_agency=event.actor_agency_id == agency_id,
                roles=_role_labels(event.actor_roles),
                purpose=event.purpose,
                grounds=sorted({g for r in own for g in r.get("grounds", [])}),
                records=own,
                reason=event.reason,
            )
        )
    return Page(rows=entries, total=total, number=number, size=size)


# ---------------------------------------------------------------------------------------------
# Subject access: every record an agency holds about a person, and whom it was shown to.


@dataclass
class Recipient:
    """Someone at another agency who was shown the agency's records of the person."""

    agency_id: uuid.UUID | None
    agency_name: str
    user_id: uuid.UUID | None
    user_name: str
    roles: list[str]
    first_seen: datetime
    last_seen: datetime
    times: int = 0
    categories: set[str] = field(default_factory=set)
    purposes: set[str] = field(default_factory=set)
    grounds: set[str] = field(default_factory=set)


def subject_access_recipients(*, agency_id: uuid.UUID, person_id: uuid.UUID) -> list[Recipient]:
    """Users of other agencies shown the agency's records of the person, from the audit trail."""
    events = _disclosures(agency_id, person_id).exclude(actor_agency_id=agency_id).order_by("occurred_at", "id")
    agency = str(agency_id)
    found: dict[tuple[uuid.UUID | None, uuid.UUID | None], Recipient] = {}
    for event in events.iterator():
        own = _own_entries(event, agency)
        if not own:
            continue
        key = (event.actor_agency_id, event.actor_user_id)
        recipient = found.get(key)
        if recipient is None:
            recipient = found[key] = Recipient(
                agency_id=event.actor_agency_id,
                agency_name=event.actor_agency_name or "joinedup",
                user_id=event.actor_user_id,
                user_name=event.actor_username,
                roles=_role_labels(event.actor_roles),
                first_seen=event.occurred_at,
                last_seen=event.occurred_at,
            )
        recipient.last_seen = event.occurred_at
        recipient.times += 1
        recipient.purposes.add(event.purpose)
        for entry in own:
            recipient.categories.add(str(entry.get("category", "")))
            recipient.grounds.update(entry.get("grounds", []))
    names = _user_names(r.user_id for r in found.values())
    for recipient in found.values():
        if recipient.user_id in names:
            recipient.user_name = names[recipient.user_id]  # type: ignore[index]
    return sorted(found.values(), key=lambda r: (r.agency_name, r.user_name, str(r.user_id)))


@dataclass(frozen=True)
class HeldRecords:
    """What one agency holds about one person, by section of the person page, as the actor read it."""

    person: Shown[Person] | None  # the person row, when the agency recorded it
    sections: list[tuple[str, list[Shown[Any]]]]

    def shown(self) -> list[Shown[Any]]:
        person = [self.person] if self.person else []
        return [*person, *(s for _, rows in self.sections for s in rows)]


def subject_access_records(actor: Actor, *, person_id: uuid.UUID, route: str) -> HeldRecords:
    """Every record the actor's agency recorded about the person (sealed included), audited as one
    governance read. Records the actor's role may not read are left out, never served."""
    agency_id = actor.agency_id
    if agency_id is None:
        return HeldRecords(None, [])
    context = policy.PersonContext.load(actor, person_id)
    person_rows = _decide(actor, context, Person.objects.filter(pk=person_id, recorded_by_id=agency_id))
    sections = []
    for section in registry.sections():
        rows = section.model._default_manager.filter(person_id=person_id, recorded_by_id=agency_id)
        if section.related:
            rows = rows.select_related(*section.related)
        if section.prefetch:
            rows = rows.prefetch_related(*section.prefetch)
        rows = rows.order_by(*(section.order_by or ("created_at", "pk")))
        shown = _decide(actor, context, rows)
        if shown:
            sections.append((section.name, shown))
    held = HeldRecords(person_rows[0] if person_rows else None, sections)
    with transaction.atomic():
        _audited(actor, person_id, held.shown(), route, "Subject access export")
    return held


def subject_access_exports(*, agency_id: uuid.UUID, person_id: uuid.UUID) -> list[SubjectAccessExport]:
    rows = SubjectAccessExport.objects.filter(agency_id=agency_id, person_id=person_id).select_related("requested_by")
    return list(rows.defer("content_json", "content_pdf").order_by("-created_at"))


def subject_access_export_get(
    *, agency_id: uuid.UUID, person_id: uuid.UUID, export_id: uuid.UUID
) -> SubjectAccessExport:
    export = SubjectAccessExport.objects.filter(pk=export_id, agency_id=agency_id, person_id=person_id).first()
    if export is None:
        raise NotFound("No such export")
    return export


def subject_access_download(actor: Actor, *, export: SubjectAccessExport, route: str, what: str) -> SubjectAccessExport:
    """Audit a download of a finished export as a governance read of the records it holds."""
    if export.content_json is None:
        raise NotFound("The export is not ready")
    entries = export.audit_records or []
    record_view(
        actor,
        person_id=export.person_id,
        purpose=GOVERNANCE,
        grounds={g for e in entries for g in e.get("grounds", [])},
        categories={e.get("category", "") for e in entries},
        objects=entries,
        route=route,
        reason=f"Subject access export downloaded as {what}",
    )
    return export


def subject_access_open(*, agency_id: uuid.UUID, limit: int = 10) -> list[SubjectAccessExport]:
    """The agency's subject access requests still within their deadline, soonest due first."""
    rows = SubjectAccessExport.objects.filter(agency_id=agency_id, due_on__gte=clock.today())
    return list(rows.defer("content_json", "content_pdf").order_by("due_on", "created_at")[:limit])


# ---------------------------------------------------------------------------------------------
# Emergency access: finding a person one cannot see.


def emergency_target(*, person_id: uuid.UUID) -> Person | None:
    """The person emergency access is asked for (existence only: nothing of theirs is shown)."""
    return Person.objects.filter(pk=person_id).first()


def emergency_find(actor: Actor, *, nhs_number: str, route: str) -> uuid.UUID | None:
    """The person with exactly this NHS number. Looking up someone the actor cannot see is recorded
    as a refused direct attempt, so IG leads see who looks for whom."""
    person_id = Person.objects.filter(nhs_number=nhs_number).values_list("pk", flat=True).first()
    if person_id is not None and not policy.visible_people(actor, Purpose.DIRECT_CARE).filter(pk=person_id).exists():
        record_view(
            actor,
            person_id=person_id,
            purpose=Purpose.EMERGENCY,
            outcome=Outcome.DENIED,
            route=route,
            reason="Looked up by NHS number to ask for emergency access",
        )
    return person_id


def visible_for_direct_care(actor: Actor, *, person_id: uuid.UUID) -> bool:
    """Whether the person exists for the actor without an emergency grant (no data returned)."""
    return policy.visible_people(actor, Purpose.DIRECT_CARE).filter(pk=person_id).exists()


# ---------------------------------------------------------------------------------------------
# The IG lead's home page.


@dataclass(frozen=True)
class IgWork:
    reviews: list[EmergencyReview]
    reviews_total: int
    reviews_overdue: int
    awaiting_signoff: list[Agreement]
    expiring: list[Agreement]
    subject_access: list[SubjectAccessExport]
    today: date


def ig_work(*, agency_id: uuid.UUID, limit: int = 10) -> IgWork:
    today = clock.today()
    pending = _reviews(agency_id).filter(outcome=ReviewOutcome.PENDING)
    return IgWork(
        reviews=list(pending.order_by("due_on", "first_used_at")[:limit]),
        reviews_total=pending.count(),
        reviews_overdue=pending.filter(due_on__lt=today).count(),
        awaiting_signoff=agreements_awaiting_signoff(agency_id=agency_id),
        expiring=agreements_expiring(agency_id=agency_id),
        subject_access=subject_access_open(agency_id=agency_id, limit=limit),
        today=today,
    )


def ig_counts(*, agency_id: uuid.UUID) -> dict[str, int]:
    """Counts for the governance index page."""
    today = clock.today()
    pending = EmergencyReview.objects.filter(agency_id=agency_id, outcome=ReviewOutcome.PENDING)
    return {
        "reviews": pending.count(),
        "overdue": pending.filter(due_on__lt=today).count(),
        "awaiting_signoff": len(agreements_awaiting_signoff(agency_id=agency_id)),
        "expiring": len(agreements_expiring(agency_id=agency_id)),
        "subject_access": SubjectAccessExport.objects.filter(Q(agency_id=agency_id), Q(due_on__gte=today)).count(),
    }

"""Reads of crisis contacts. Contacts are person-level: always through sharing.policy, always audited.

A contact not yet linked to a person has no person for the policy to reason about: its SQL
filters (`readable_records`) open it on the own_agency ground alone, since every other ground
needs a person to hold. Its reads are audited like any other, with no person on the event.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.db.models import Count, Min, QuerySet

from joinedup.audit.models import Outcome
from joinedup.audit.services import record_view
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.vocabulary import Purpose
from joinedup.crisis import rules
from joinedup.crisis.models import ContactReferral, ContactStatus, CrisisContact
from joinedup.people.models import Person, PersonRecord
from joinedup.people.selectors import person_search
from joinedup.referrals.models import Pathway, Referral
from joinedup.referrals.selectors import pathways_for
from joinedup.sharing import policy
from joinedup.sharing.models import Agreement, Consent
from joinedup.sharing.models.agreements import agreements_in_force
from joinedup.sharing.models.consent import consents_in_force
from joinedup.sharing.policy import Shown

PURPOSE = Purpose.DIRECT_CARE  # the board and a contact's page are direct care
RELATED = ("recorded_by", "handled_by", "closed_by")
SHIFT = timedelta(hours=12)


@dataclass
class BoardRow:
    contact: Shown[CrisisContact]
    person: Shown[Person] | None  # the linked person's identity, if the actor may read it


@dataclass
class Board:
    """The agency's open contacts, oldest first, as the actor may see them (already audited)."""

    rows: list[BoardRow]
    at: datetime
    closed_this_shift: int = 0
    total_open: int = 0
    waiting_total: int = 0  # open contacts nobody has responded to yet
    oldest_waiting_at: datetime | None = None


def _shown_people(rows: list[Shown[Any]]) -> dict[uuid.UUID, Shown[Person]]:
    return {s.record.pk: s for s in rows if isinstance(s.record, Person)}


def _contacts_and_people(
    actor: Actor, contacts: QuerySet[CrisisContact], *, route: str, limit: int
) -> tuple[list[Shown[CrisisContact]], dict[uuid.UUID, Shown[Person]]]:
    """A page of contacts and the identity of each linked person the actor may read, audited
    together: one access event per person, and one for the contacts that have no person yet."""
    rows = cast(
        list[CrisisContact],
        list(policy.with_grounds(actor, contacts.select_related(*RELATED), PURPOSE)[:limit]),
    )
    linked = {c.person_id for c in rows if c.person_id is not None}
    people = (
        list(policy.with_grounds(actor, policy.readable_people(actor, PURPOSE).filter(pk__in=linked), PURPOSE))
        if linked
        else []
    )
    together: list[Person | PersonRecord] = [*rows, *people]
    shown = policy.access_records(actor, together, PURPOSE, route=route)
    contacts_shown = [cast(Shown[CrisisContact], s) for s in shown if isinstance(s.record, CrisisContact)]
    return contacts_shown, _shown_people(shown)


def board(actor: Actor, *, route: str = "", limit: int = 200) -> Board:
    """The live board for the shift: the actor's agency's open contacts, oldest first."""
    now = clock.now()
    if not rules.may_work_contacts(actor):
        return Board(rows=[], at=now)
    open_contacts = policy.readable_records(actor, CrisisContact, PURPOSE).filter(
        recorded_by_id=actor.agency_id, status=ContactStatus.OPEN
    )
    contacts, people = _contacts_and_people(
        actor, open_contacts.order_by("received_at", "pk"), route=route, limit=limit
    )
    # Numbers, not records: nothing about anyone is read.
    ours = CrisisContact.objects.filter(recorded_by_id=actor.agency_id)
    waiting = ours.filter(status=ContactStatus.OPEN, first_response_at__isnull=True).aggregate(
        n=Count("pk"), oldest=Min("received_at")
    )
    return Board(
        rows=[BoardRow(c, people.get(c.record.person_id) if c.record.person_id else None) for c in contacts],
        at=now,
        closed_this_shift=ours.filter(status=ContactStatus.CLOSED, closed_at__gte=now - SHIFT).count(),
        total_open=ours.filter(status=ContactStatus.OPEN).count(),
        waiting_total=waiting["n"],
        oldest_waiting_at=waiting["oldest"],
    )


@dataclass
class ContactView:
    """One contact as the actor may see it, with the linked person's identity and the onward
    referrals made from it that the actor may see; already audited (one event)."""

    contact: Shown[CrisisContact]
    person: Shown[Person] | None = None
    referrals: list[Shown[Referral]] = field(default_factory=list)

    @property
    def record(self) -> CrisisContact:
        return self.contact.record


def _denied(actor: Actor, contact_id: uuid.UUID, person_id: uuid.UUID | None, route: str) -> NotFound:
    record_view(
        actor,
        person_id=person_id,
        purpose=PURPOSE,
        outcome=Outcome.DENIED,
        route=route,
        reason=f"crisis.crisiscontact:{contact_id}",
    )
    return NotFound("No such contact")


def contact_get(actor: Actor, *, contact_id: uuid.UUID, route: str = "") -> ContactView:
    """One contact; NotFound (and a denied event) when it is missing or the actor may not see it."""
    person_id = CrisisContact.objects.filter(pk=contact_id).values_list("person_id", flat=True).first()
    if person_id is None:
        return _unlinked_get(actor, contact_id, route)
    referral_ids = ContactReferral.objects.filter(contact_id=contact_id).values_list("referral_id", flat=True)
    refs = [f"people.person:{person_id}", *(f"referrals.referral:{r}" for r in referral_ids)]
    shown, extras = policy.access_record(
        actor, CrisisContact, contact_id, PURPOSE, route=route, related=(*RELATED, "person"), with_refs=refs
    )
    person = next((s for s in extras if isinstance(s.record, Person)), None)
    referrals = [s for s in extras if isinstance(s.record, Referral)]
    if referrals:
        # Fill in what the page shows of each referral (the policy fetched the bare rows).
        full = {
            r.pk: r
            for r in Referral.objects.filter(pk__in=[s.record.pk for s in referrals]).select_related(
                "pathway", "to_agency", "urgency"
            )
        }
        referrals = [Shown(full[s.record.pk], s.grounds, s.reasons) for s in referrals]
        referrals.sort(key=lambda s: s.record.created_at)
    return ContactView(contact=shown, person=person, referrals=referrals)


def _unlinked_get(actor: Actor, contact_id: uuid.UUID, route: str) -> ContactView:
    """A contact with no person yet (or none at all): readable only on its agency's own ground."""
    rows = cast(
        list[CrisisContact],
        list(
            policy.with_grounds(
                actor,
                policy.readable_records(actor, CrisisContact, PURPOSE)
                .filter(pk=contact_id, person__isnull=True)
                .select_related(*RELATED),
                PURPOSE,
            )
        ),
    )
    shown = policy.access_records(actor, rows, PURPOSE, route=route) if rows else []
    if not shown:
        raise _denied(actor, contact_id, None, route)
    return ContactView(contact=shown[0])


def contact_version(actor: Actor, *, contact_id: uuid.UUID) -> int | None:
    """The stored version of one of the actor's agency's contacts (for a stale-save message), reading nothing else."""
    return (
        CrisisContact.objects.filter(pk=contact_id, recorded_by_id=actor.agency_id)
        .values_list("version", flat=True)
        .first()
    )


def people_to_link(actor: Actor, *, query: str, route: str = "", limit: int = 20) -> list[Shown[Person]]:
    """People the actor may identify whose name, NHS number or date of birth matches (for linking)."""
    if not query.strip():
        return []
    page = person_search(actor, query=query, page=1, purpose=PURPOSE, route=route, size=limit)
    return page.rows


def person_for_log(actor: Actor, *, person_id: uuid.UUID, route: str = "") -> Shown[Person] | None:
    """The identity of a person the actor may see, to log a contact for them (audited); None otherwise."""
    rows = list(policy.with_grounds(actor, policy.readable_people(actor, PURPOSE).filter(pk=person_id), PURPOSE))
    shown = policy.access_people(actor, rows, PURPOSE, route=route) if rows else []
    return shown[0] if shown else None


# Choices for referring onwards: configuration (pathways, agreements), and the person's consents
# the actor may read.


def pathways(actor: Actor) -> list[Pathway]:
    return list(pathways_for(actor))


def agreements(actor: Actor) -> list[Agreement]:
    if actor.agency_id is None:
        return []
    return list(Agreement.objects.filter(agreements_in_force(), parties=actor.agency_id).distinct().order_by("title"))


def consents_in_force_for(actor: Actor, *, person_id: uuid.UUID, route: str = "") -> list[Shown[Consent]]:
    """The person's consents in force that the actor may read (audited), to base a referral on."""
    rows = policy.readable_records(actor, Consent, PURPOSE).filter(consents_in_force(), person_id=person_id)
    annotated = cast(list[Consent], list(policy.with_grounds(actor, rows.order_by("-starts_at"), PURPOSE)[:20]))
    return policy.access_records(actor, annotated, PURPOSE, route=route)

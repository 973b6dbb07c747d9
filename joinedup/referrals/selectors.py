"""Reads of pathways and referrals. Referrals are person-level: always through sharing.policy, audited."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from joinedup.accounts.models import RoleGrant, User
from joinedup.accounts.roles import RoleCode
from joinedup.agencies.directory import search as directory
from joinedup.agencies.directory.models import Service, ServiceStatus
from joinedup.agencies.directory.search import ServiceMatch
from joinedup.agencies.models import Team
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.vocabulary import Purpose
from joinedup.referrals.models import Pathway, Referral, ReferralState
from joinedup.sharing import policy
from joinedup.sharing.models import Agreement
from joinedup.sharing.models.agreements import agreements_in_force
from joinedup.sharing.policy import Shown

RELATED = (
    "person",
    "pathway",
    "urgency",
    "from_agency",
    "to_agency",
    "to_team",
    "referred_by",
    "receiving_worker",
    "agreement",
)


def pathways_for(actor: Actor) -> QuerySet[Pathway]:
    """Pathways the actor's agency may refer through (not into itself)."""
    if actor.agency_id is None:
        return Pathway.objects.none()
    return (
        Pathway.objects.filter(active=True)
        .exclude(to_agency_id=actor.agency_id)
        .filter(Q(from_agencies__isnull=True) | Q(from_agencies=actor.agency_id))
        .distinct()
        .select_related("to_agency", "to_team")
        .prefetch_related("urgencies")
    )


def _rows(actor: Actor, referrals: QuerySet[Referral], *, route: str, limit: int) -> list[Shown[Referral]]:
    return policy.read_page(actor, referrals.select_related(*RELATED), Purpose.DIRECT_CARE, route=route, limit=limit)


INBOX_TABS = {
    "waiting": (ReferralState.SENT, ReferralState.ACKNOWLEDGED),
    "accepted": (ReferralState.ACCEPTED,),
    "handed_over": (ReferralState.FIRST_CONTACT,),
}


def inbox(
    actor: Actor, *, tab: str = "waiting", team_id: uuid.UUID | None = None, route: str = "", limit: int = 100
) -> list[Shown[Referral]]:
    """Referrals to the actor's agency (or one of its teams), soonest due first."""
    referrals = policy.readable_records(actor, Referral, Purpose.DIRECT_CARE).filter(
        to_agency_id=actor.agency_id, state__in=INBOX_TABS.get(tab, INBOX_TABS["waiting"])
    )
    if team_id is not None:
        referrals = referrals.filter(Q(to_team_id=team_id) | Q(to_team__isnull=True))
    return _rows(actor, referrals.order_by("due_at", "sent_at"), route=route, limit=limit)


def sent(actor: Actor, *, route: str = "", limit: int = 100) -> list[Shown[Referral]]:
    """What the actor's agency referred, with where each one has got to (the referrer's own records)."""
    referrals = policy.readable_records(actor, Referral, Purpose.DIRECT_CARE).filter(from_agency_id=actor.agency_id)
    return _rows(actor, referrals.order_by("-created_at"), route=route, limit=limit)


def for_person(actor: Actor, *, person_id: uuid.UUID, route: str = "") -> list[Shown[Referral]]:
    referrals = policy.readable_records(actor, Referral, Purpose.DIRECT_CARE).filter(person_id=person_id)
    return _rows(actor, referrals.order_by("-created_at"), route=route, limit=200)


@dataclass
class ReferralView:
    referral: Shown[Referral]
    attachments: list[Shown[Any]]
    person_name: str
    overdue: bool


def referral_get(actor: Actor, *, referral_id: uuid.UUID, route: str = "") -> ReferralView:
    """One referral and the attached records the actor may see, in one access event; NotFound otherwise."""
    shown, attachments = policy.access_record(
        actor,
        Referral,
        referral_id,
        Purpose.DIRECT_CARE,
        route=route,
        related=RELATED,
        with_refs=Referral.objects.filter(pk=referral_id).values_list("attachments", flat=True).first() or [],
        follow_grant=True,
    )
    referral = shown.record
    return ReferralView(
        referral=shown,
        attachments=attachments,
        person_name=referral.person.full_name,
        overdue=referral.overdue(clock.now()),
    )


def inbox_counts(actor: Actor, *, team_id: uuid.UUID | None = None) -> tuple[int, int]:
    """(waiting for a decision, of which overdue) in the actor's agency's inbox: counts, no one named."""
    referrals = policy.readable_records(actor, Referral, Purpose.DIRECT_CARE).filter(
        to_agency_id=actor.agency_id, state__in=INBOX_TABS["waiting"]
    )
    if team_id is not None:
        referrals = referrals.filter(Q(to_team_id=team_id) | Q(to_team__isnull=True))
    return referrals.count(), referrals.filter(due_at__lt=clock.now()).count()


# ---------------------------------------------------------------------------------------------
# What the referral forms offer (no person-level data: teams, colleagues, agreements, services).


def teams_of(agency_id: uuid.UUID | None) -> list[Team]:
    return list(Team.objects.filter(agency_id=agency_id, active=True).order_by("name")) if agency_id else []


# Roles that work with people directly: who may be named as the worker who made first contact.
FRONT_LINE = (
    RoleCode.PRACTITIONER,
    RoleCode.CRISIS_WORKER,
    RoleCode.MANAGER,
    RoleCode.FORUM_COORDINATOR,
    RoleCode.VOLUNTEER,
)


def colleagues(actor: Actor) -> list[User]:
    """Active front-line staff of the actor's agency, with a role in force now."""
    if actor.agency_id is None:
        return []
    now = clock.now()
    grants = RoleGrant.objects.filter(role__code__in=FRONT_LINE, starts_at__lte=now).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    users = User.objects.filter(agency_id=actor.agency_id, is_active=True, pk__in=grants.values("user_id"))
    return list(users.order_by("first_name", "last_name"))


def agreements_between(agency_id: uuid.UUID | None, other_id: uuid.UUID) -> list[Agreement]:
    """Data sharing agreements in force to which both agencies are party."""
    if agency_id is None:
        return []
    rows = Agreement.objects.filter(agreements_in_force(), parties=agency_id).filter(parties=other_id)
    return list(rows.distinct().order_by("title"))


def pathway_get(actor: Actor, pathway_id: uuid.UUID | str | None) -> Pathway | None:
    """One pathway the actor may refer through, or None."""
    try:
        key = uuid.UUID(str(pathway_id))
    except ValueError:
        return None
    return pathways_for(actor).filter(pk=key).first()


def directory_search(need: str, *, chosen: str = "", limit: int = 10) -> list[ServiceMatch]:
    """Services in the directory that meet a need, open ones first (for an onward route); the one
    already chosen stays in the list whatever the words searched for now."""
    matches = directory.service_search(need=need, limit=limit) if need.strip() else []
    if chosen and not any(str(m.service.pk) == chosen for m in matches):
        service = directory_service(chosen)
        if service is not None:
            matches.insert(0, ServiceMatch(service, directory.service_opening(service), 0))
    return matches


def directory_service(service_id: str) -> Service | None:
    """One service that is still running, or None."""
    try:
        key = uuid.UUID(service_id)
    except ValueError:
        return None
    services = Service.objects.filter(pk=key).exclude(status__in=[ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT])
    return directory.searchable_services(services).first()

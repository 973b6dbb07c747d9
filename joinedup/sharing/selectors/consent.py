"""Reads for the consent and case note pages: the person through the policy (audited), and the
partnership's agencies and forums a consent can name (partnership information, not person-level)."""

import uuid
from typing import Any

from joinedup.agencies.models import Agency
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound
from joinedup.core.vocabulary import Purpose
from joinedup.sharing import policy
from joinedup.sharing.models import Consent, Forum
from joinedup.sharing.policy import PersonAccess, Shown


def sharing_person_get(actor: Actor, *, person_id: uuid.UUID, route: str = "") -> PersonAccess:
    """Everything about one person the actor may see, audited; NotFound if nothing.

    The purpose is direct care, or emergency while the actor holds emergency access (DESIGN §3),
    as on the person page.
    """
    purpose = Purpose.EMERGENCY if policy.emergency_grant_for(actor, person_id) else Purpose.DIRECT_CARE
    return policy.access_person(actor, person_id, purpose, route=route)


def consent_get(access: PersonAccess, *, consent_id: uuid.UUID) -> Shown[Consent]:
    """One of the person's consents the actor may see (from an access already audited); NotFound if not."""
    for shown in access.section("consents"):
        if shown.record.pk == consent_id:
            return shown
    raise NotFound("No such consent")


def own_consent_get(actor: Actor, access: PersonAccess, *, consent_id: uuid.UUID) -> Shown[Consent]:
    """A consent the actor's agency recorded: only that agency may review or withdraw it."""
    shown = consent_get(access, consent_id=consent_id)
    if shown.record.recorded_by_id != actor.agency_id:
        raise NotFound("No such consent")
    return shown


def partner_agencies() -> list[Agency]:
    """The partnership's active agencies by name."""
    return list(Agency.objects.filter(active=True).order_by("name"))


def partner_forums() -> list[Forum]:
    """The partnership's active multi-agency forums by name (there may be none yet)."""
    return list(Forum.objects.filter(active=True).order_by("name"))


def names_by_id(*, agency_ids: Any = (), forum_ids: Any = ()) -> dict[str, str]:
    """Display names of agencies and forums a consent or a draft names, by id as text."""
    names = {str(a.pk): a.name for a in Agency.objects.filter(pk__in=list(agency_ids))}
    names |= {str(f.pk): f.name for f in Forum.objects.filter(pk__in=list(forum_ids))}
    return names

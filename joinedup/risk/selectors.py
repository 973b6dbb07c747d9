"""Reads of risk assessments and flags. They are person-level records: always through sharing.policy,
audited, and what the reader may not see does not exist for them (NotFound)."""

import uuid
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Max, Q

from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.vocabulary import Purpose
from joinedup.people import selectors as people_selectors
from joinedup.risk.models import Assessment, Flag, RiskTool
from joinedup.sharing import policy
from joinedup.sharing.policy import Shown

ASSESSMENT_RELATED = ("person", "tool", "assessor", "recorded_by")
FLAG_RELATED = ("person", "author", "ended_by", "recorded_by")


def _of_person[R: (Assessment, Flag)](
    actor: Actor,
    model: type[R],
    person_id: uuid.UUID,
    *,
    related: tuple[str, ...],
    order: tuple[str, ...],
    purpose: Purpose,
    route: str,
    limit: int,
) -> list[Shown[R]]:
    """One person's records of `model` the actor may read, in `order`, audited. The purpose is the
    person page's (`PersonAccess.purpose`, emergency during a grant), which every caller has read."""
    rows = policy.readable_records(actor, model, purpose).filter(person_id=person_id)
    rows = rows.select_related(*related).order_by(*order)
    return policy.read_page(actor, rows, purpose, route=route, limit=limit)


def assessments_for_person(
    actor: Actor, person_id: uuid.UUID, *, purpose: Purpose = Purpose.DIRECT_CARE, route: str = "", limit: int = 200
) -> list[Shown[Assessment]]:
    """The person's assessments the actor may read, newest first, audited."""
    order = ("-assessed_on", "-created_at")
    return _of_person(
        actor, Assessment, person_id, related=ASSESSMENT_RELATED, order=order, purpose=purpose, route=route, limit=limit
    )


def series_version(actor: Actor, person_id: uuid.UUID, slug: str) -> int:
    """How far the actor's agency's series with this tool has got for the person (0 before the first),
    among the assessments the actor may read: the version a new assessment form is opened at. Only
    the number is read, and no record is shown, so nothing is audited."""
    rows = policy.readable_records(actor, Assessment, Purpose.DIRECT_CARE).filter(
        person_id=person_id, tool__slug=slug, recorded_by_id=actor.agency_id
    )
    return rows.aggregate(newest=Max("version"))["newest"] or 0


def assessment_get(
    actor: Actor, assessment_id: uuid.UUID, *, purpose: Purpose = Purpose.DIRECT_CARE, route: str = ""
) -> Shown[Assessment]:
    """One assessment, audited; NotFound (and a denied event) when missing or not the actor's to see."""
    shown, _ = policy.access_record(
        actor, Assessment, assessment_id, purpose, route=route, related=ASSESSMENT_RELATED, follow_grant=True
    )
    return shown


def flags_for_person(
    actor: Actor, person_id: uuid.UUID, *, purpose: Purpose = Purpose.DIRECT_CARE, route: str = "", limit: int = 200
) -> list[Shown[Flag]]:
    """The person's flags the actor may read (current, upcoming, expired and ended), audited."""
    order = ("-ends_on", "-created_at")
    return _of_person(
        actor, Flag, person_id, related=FLAG_RELATED, order=order, purpose=purpose, route=route, limit=limit
    )


def flag_get(
    actor: Actor, flag_id: uuid.UUID, *, purpose: Purpose = Purpose.DIRECT_CARE, route: str = ""
) -> Shown[Flag]:
    shown, _ = policy.access_record(actor, Flag, flag_id, purpose, route=route, related=FLAG_RELATED, follow_grant=True)
    return shown


def assessments_due_for_review(actor: Actor, *, route: str = "", limit: int = 10) -> list[Shown[Assessment]]:
    """The newest assessment of each of the actor's agency's series, for the people the actor is key
    worker for, that is older than its tool's review interval: oldest first, audited."""
    if actor.agency_id is None:
        return []
    today = clock.today()
    stale = [
        Q(tool_id=tool_id, assessed_on__lt=today - timedelta(days=days))
        for tool_id, days in RiskTool.objects.values_list("pk", "review_interval_days")
    ]
    if not stale:
        return []
    rows = (
        policy.readable_records(actor, Assessment, Purpose.DIRECT_CARE)
        .filter(
            reduce(or_, stale),
            person_id__in=people_selectors.caseload_person_ids(actor),
            recorded_by_id=actor.agency_id,
            next_assessment=None,
        )
        .select_related(*ASSESSMENT_RELATED)
        .order_by("assessed_on", "created_at")
    )
    return policy.read_page(actor, rows, Purpose.DIRECT_CARE, route=route, limit=limit)

"""Reads of people, always through sharing.policy and always audited."""

import re
import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from joinedup.core.actor import Actor
from joinedup.core.paging import Page, page_number
from joinedup.core.vocabulary import Purpose
from joinedup.people.models import Alias, Involvement, Person, active_involvements
from joinedup.sharing import policy
from joinedup.sharing.policy import PersonAccess, Shown

_NHS_NUMBER = re.compile(r"^\d{3}[\s-]?\d{3}[\s-]?\d{4}$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d")


def _as_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _matching(actor: Actor, people: QuerySet[Person], query: str, purpose: Purpose) -> QuerySet[Person]:
    """Narrow to people matching an NHS number, a date of birth, or every word of a name.

    Names match the person's own names and the aliases the actor may read, so a search never
    reveals a name the actor could not see.
    """
    text = query.strip()
    if _NHS_NUMBER.match(text):
        return people.filter(nhs_number=re.sub(r"[\s-]", "", text))
    born = _as_date(text)
    if born is not None:
        return people.filter(date_of_birth=born)
    aliases = policy.readable_records(actor, Alias, purpose)
    for word in text.split():
        # One set of ids per word (names, then readable aliases), so the database starts from the
        # name indexes rather than testing every person it may show.
        by_name = Person.objects.filter(
            Q(given_name__istartswith=word) | Q(family_name__istartswith=word) | Q(preferred_name__istartswith=word)
        )
        by_alias = aliases.filter(Q(given_name__istartswith=word) | Q(family_name__istartswith=word))
        people = people.filter(pk__in=by_name.order_by().values("pk").union(by_alias.order_by().values("person_id")))
    return people


def person_search(
    actor: Actor,
    *,
    query: str,
    page: int = 1,
    purpose: Purpose = Purpose.DIRECT_CARE,
    route: str = "",
    size: int | None = None,
) -> Page[Shown[Person]]:
    """People the actor may identify, matching `query`; an empty query lists all of them."""
    people = policy.readable_people(actor, purpose)
    if query.strip():
        people = _matching(actor, people, query, purpose)
    return _page(actor, people, page=page, size=size, purpose=purpose, route=route)


def agency_involved(agency_id: uuid.UUID | None, person_id: uuid.UUID) -> bool:
    """Whether the agency works with the person now. No policy read: ask only about the actor's own
    agency (or one the actor has already been shown), never to find out who else is involved."""
    if agency_id is None:
        return False
    return Involvement.objects.filter(active_involvements(), agency_id=agency_id, person_id=person_id).exists()


def caseload_person_ids(actor: Actor) -> QuerySet[Involvement, Any]:
    """The ids of the people the actor is key worker for now, as a subquery (no record is read)."""
    mine = Involvement.objects.filter(active_involvements(), key_worker_id=actor.user_id)
    return mine.filter(agency_id=actor.agency_id).values("person_id") if actor.agency_id else mine.none()


def caseload(
    actor: Actor, *, page: int = 1, purpose: Purpose = Purpose.DIRECT_CARE, route: str = "", size: int | None = None
) -> Page[Shown[Person]]:
    """People the actor is key worker for, through an active involvement of their agency."""
    if actor.agency_id is None:
        return Page(rows=[], total=0, number=1, size=size or settings.PAGE_SIZE)
    mine = Involvement.objects.filter(
        active_involvements(), person=OuterRef("pk"), agency_id=actor.agency_id, key_worker_id=actor.user_id
    )
    people = policy.readable_people(actor, purpose).filter(Exists(mine))
    return _page(actor, people, page=page, size=size, purpose=purpose, route=route)


def _page(
    actor: Actor, people: QuerySet[Person], *, page: int, size: int | None, purpose: Purpose, route: str
) -> Page[Shown[Person]]:
    """Count, clamp the page number, fetch one page in name order, and audit what it shows."""
    size = size or settings.PAGE_SIZE
    total = people.count()
    number = page_number(page, total, size)
    start = (number - 1) * size
    order = ("family_name", "given_name", "pk")
    # The page's ids first (the database walks the name index and stops after a page), then the
    # grounds for just those rows, each tested by index rather than for everyone who might be listed.
    page_ids = people.order_by(*order).values("pk")[start : start + size]
    rows = list(policy.with_grounds(actor, Person.objects.filter(pk__in=page_ids), purpose).order_by(*order))
    return Page(rows=policy.access_people(actor, rows, purpose, route=route), total=total, number=number, size=size)


def partnership_counts() -> dict[str, int]:
    """Aggregates for analysts: numbers only, never a person."""
    active = Involvement.objects.filter(active_involvements())
    return {
        "people": Person.objects.count(),
        "people_with_active_involvement": active.values("person_id").distinct().count(),
        "active_involvements": active.count(),
    }


def person_get(
    actor: Actor, *, person_id: uuid.UUID, purpose: Purpose = Purpose.DIRECT_CARE, route: str = ""
) -> PersonAccess:
    """Everything about one person the actor may see, audited; NotFound if nothing.

    While the actor holds emergency access to the person, the purpose is emergency (DESIGN §3:
    the purpose comes from where the user is, and any page during a grant is an emergency page).
    """
    context = policy.PersonContext.load(actor, person_id)  # read once: it holds the grant as well
    if context.emergency is not None:
        purpose = Purpose.EMERGENCY
    return policy.access_person(actor, person_id, purpose, route=route, context=context)

"""The benchmark's baseline: the same reads as `people.selectors`, with no policy and no audit.

These exist only to be timed against the real selectors (`joinedup.bench`); no page, API or
service may use them. They return the same rows in the same order as the selector would if the
actor could see everyone, and stop at the same number of rows the selector returned.
"""

import random
import re
import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from joinedup.people.models import Alias, Involvement, Person, active_involvements
from joinedup.people.selectors import _NHS_NUMBER, _as_date
from joinedup.sharing import registry

ORDER = ("family_name", "given_name", "pk")


def _matching(query: str) -> QuerySet[Person]:
    """`people.selectors._matching` over everyone and every alias."""
    people = Person.objects.all()
    text = query.strip()
    if _NHS_NUMBER.match(text):
        return people.filter(nhs_number=re.sub(r"[\s-]", "", text))
    born = _as_date(text)
    if born is not None:
        return people.filter(date_of_birth=born)
    for word in text.split():
        on_alias = Alias.objects.filter(
            Q(given_name__istartswith=word) | Q(family_name__istartswith=word), person=OuterRef("pk")
        )
        people = people.filter(
            Q(given_name__istartswith=word)
            | Q(family_name__istartswith=word)
            | Q(preferred_name__istartswith=word)
            | Exists(on_alias)
        )
    return people


def _page(people: QuerySet[Person], rows: int) -> tuple[int, list[Person]]:
    """What `people.selectors._page` asks of the database: a count and one page in name order."""
    return people.count(), list(people.order_by(*ORDER)[:rows])


def search(query: str, rows: int) -> tuple[int, list[Person]]:
    people = _matching(query) if query.strip() else Person.objects.all()
    return _page(people, rows)


def caseload(agency_id: uuid.UUID, user_id: uuid.UUID, rows: int) -> tuple[int, list[Person]]:
    mine = Involvement.objects.filter(
        active_involvements(), person=OuterRef("pk"), agency_id=agency_id, key_worker_id=user_id
    )
    return _page(Person.objects.filter(Exists(mine)), rows)


def person_page(person_id: uuid.UUID) -> dict[str, Any]:
    """The person and every registered section's rows, fetched as the person page fetches them."""
    person = Person.objects.filter(pk=person_id).select_related("recorded_by").first()
    sections: dict[str, Any] = {"person": person}
    for section in registry.sections():
        rows = section.model._default_manager.filter(person_id=person_id)
        if section.related:
            rows = rows.select_related(*section.related)
        if section.prefetch:
            rows = rows.prefetch_related(*section.prefetch)
        sections[section.name] = list(rows.order_by(*section.order_by) if section.order_by else rows)
    return sections


# ---------------------------------------------------------------------------------------------
# Choosing whom to look at.


def candidates(count: int, seed: str) -> list[uuid.UUID]:
    """A reproducible spread of people across the whole table: the next person after random points."""
    rng = random.Random(seed)  # noqa: S311 (a sample, not a secret)
    found: dict[uuid.UUID, None] = {}
    for _ in range(count * 3):
        point = uuid.UUID(int=rng.getrandbits(128))
        pk = Person.objects.filter(pk__gte=point).order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            found[pk] = None
        if len(found) == count:
            break
    return list(found)


def people(ids: list[uuid.UUID]) -> dict[uuid.UUID, Person]:
    return Person.objects.in_bulk(ids)

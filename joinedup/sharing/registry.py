"""Which tables hold person-level records, and how the person page groups them.

Every record table must be here, or `visible_people` would not know a person exists for an agency
that can read only that kind of record. Apps above sharing add theirs from `AppConfig.ready()`.
Only the policy queries these tables; a section says how (related rows to fetch with it, order).
"""

from dataclasses import dataclass

from joinedup.people.models import Address, Alias, ContactDetail, Involvement, LeadAgency, LocalIdentifier, PersonRecord


@dataclass(frozen=True)
class Section:
    """A group of records on the person page."""

    name: str
    model: type[PersonRecord]
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()
    # Plain fields the person API shows for a section whose app sits above the people API.
    api_fields: tuple[str, ...] = ()


_SECTIONS: dict[str, Section] = {}


def register(
    name: str,
    model: type[PersonRecord],
    *,
    related: tuple[str, ...] = (),
    prefetch: tuple[str, ...] = (),
    order_by: tuple[str, ...] = (),
    api_fields: tuple[str, ...] = (),
) -> None:
    _SECTIONS[name] = Section(name, model, related, prefetch, order_by, api_fields)


def has(name: str) -> bool:
    return name in _SECTIONS


def section(name: str) -> Section:
    return _SECTIONS[name]


def sections() -> tuple[Section, ...]:
    return tuple(_SECTIONS.values())


def record_models() -> tuple[type[PersonRecord], ...]:
    return tuple(dict.fromkeys(s.model for s in _SECTIONS.values()))


register("aliases", Alias)
register("identifiers", LocalIdentifier, related=("issuer",))
register("contact_details", ContactDetail)
register("addresses", Address, order_by=("-current", "-created_at"))
register("involvements", Involvement, related=("agency", "team", "key_worker"))
register("lead_agencies", LeadAgency, related=("agency",), order_by=("-starts_on", "-created_at"))


def model_for(label: str) -> type[PersonRecord] | None:
    """The record table called "app_label.model", if it is one."""
    return next((m for m in record_models() if m._meta.label_lower == label), None)

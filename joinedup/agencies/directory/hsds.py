"""HSDS 3 (Open Referral UK) JSON into and out of the service directory.

Shapes and field names follow the Human Services Data Specification 3.0 and its Open Referral UK
profile (CC-BY-SA-4.0, copyright the Open Referral project, https://openreferral.org).

Import rules, chosen so that importing the same files twice changes nothing:
- a file holds one object, a list of objects, or an HSDS API page (``{"contents": [...]}``) of
  organizations, services, service_at_locations, locations, taxonomies or taxonomy terms;
- every row is upserted by its HSDS id: fields present are written (``null`` clears one), fields
  absent keep their value, so a summary (a list page) never blanks what a full record said;
- a nested list that is present (a service's ``schedules``) is that whole collection: rows of it
  not in the list are deleted; an absent list leaves the collection alone;
- all files go in one transaction, taxonomies first, then organizations, locations, services and
  service_at_locations, so a reference may point into another file; any error imports nothing
  and names the file and the field.

Export writes every collection (an empty one as ``[]``, so a feed can say "none any more") and
leaves out empty optional values; lists are sorted (by name, then id) so exports compare equal.
"""

import json
import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet

from joinedup.agencies.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Frequency,
    Funding,
    Language,
    Location,
    LocationType,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from joinedup.audit.services import record_change, record_write, snapshot
from joinedup.core.actor import SYSTEM, Actor

HSDS_VERSION = "3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile"


class HsdsError(Exception):
    """Input that is not HSDS we can import: says which file and which field, and why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


# ---------------------------------------------------------------------------------------------
# Fields: each HSDS key, how to read and write it, and the model attribute that holds it.


@dataclass(frozen=True)
class F:
    key: str
    kind: str = "str"  # str | uuid | email | enum | date | time | datetime | number | int
    required: bool = False
    blank: bool = True  # may a required string be empty
    attr: str = ""
    choices: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.attr or self.key


ID = F("id", "uuid", required=True)
ORGANIZATION = (
    ID,
    F("name", required=True, blank=False),
    F("alternate_name"),
    F("description", required=True),
    F("email", "email"),
    F("website"),
    F("logo"),
    F("uri"),
    F("parent_organization_id", "uuid"),
)
IDENTIFIER = (
    ID,
    F("identifier_scheme"),
    F("identifier_type", required=True, blank=False),
    F("identifier", required=True, blank=False),
)
SERVICE = (
    ID,
    F("name", required=True, blank=False),
    F("alternate_name"),
    F("description"),
    F("url"),
    F("email", "email"),
    F("status", "enum", required=True, choices=tuple(ServiceStatus.values)),
    F("interpretation_services"),
    F("application_process"),
    F("fees_description"),
    F("fees"),
    F("accreditations"),
    F("eligibility_description"),
    F("minimum_age", "number"),
    F("maximum_age", "number"),
    F("assured_date", "date"),
    F("assurer_email", "email"),
    F("alert"),
    F("last_modified", "datetime"),
)
LOCATION = (
    ID,
    F("location_type", "enum", required=True, choices=tuple(LocationType.values)),
    F("url"),
    F("name"),
    F("alternate_name"),
    F("description"),
    F("transportation"),
    F("latitude", "number"),
    F("longitude", "number"),
    F("external_identifier"),
    F("external_identifier_type"),
)
ADDRESS = (
    ID,
    F("attention"),
    F("address_1", required=True, blank=False),
    F("address_2"),
    F("city", required=True),
    F("region"),
    F("state_province", required=True),
    F("postal_code", required=True),
    F("country", required=True, blank=False),
    F("address_type", "enum", required=True, choices=tuple(LocationType.values)),
)
ACCESSIBILITY = (ID, F("description"), F("details"), F("url"), F("accessibility"))
SERVICE_AT_LOCATION = (ID, F("description"))
CONTACT = (ID, F("name"), F("title"), F("department"), F("email", "email"))
PHONE = (ID, F("number", required=True, blank=False), F("extension", "int"), F("type"), F("description"))
SCHEDULE = (
    ID,
    F("valid_from", "date"),
    F("valid_to", "date"),
    F("dtstart", "date"),
    F("freq", "enum", choices=tuple(Frequency.values)),
    F("interval", "int"),
    F("byday"),
    F("bymonthday"),
    F("description"),
    F("opens_at", "time"),
    F("closes_at", "time"),
    F("schedule_link"),
    F("attending_type"),
    F("notes"),
)
SERVICE_AREA = (ID, F("name"), F("description"), F("extent"), F("extent_type"), F("uri"), F("service_area"))
LANGUAGE = (ID, F("name"), F("code"), F("note"))
COST_OPTION = (
    ID,
    F("valid_from", "date"),
    F("valid_to", "date"),
    F("option"),
    F("currency"),
    F("amount", "number"),
    F("amount_description"),
)
FUNDING = (ID, F("source"))
TAXONOMY = (ID, F("name", required=True, blank=False), F("description", required=True), F("uri"), F("version"))
TAXONOMY_TERM = (
    ID,
    F("code"),
    F("name", required=True, blank=False),
    F("description", required=True),
    F("parent_id", "uuid"),
    F("taxonomy", attr="taxonomy_name"),
    F("taxonomy_id", "uuid"),
    F("language"),
    F("term_uri"),
    F("term"),
)
ATTRIBUTE = (ID, F("link_type"), F("value"))

# Which nullable foreign keys may own a row: a row nested under one owner belongs to it alone.
OWNERS: dict[type[models.Model], tuple[str, ...]] = {
    Contact: ("service", "organization", "location"),
    Phone: ("service", "organization", "location", "contact"),
    Schedule: ("service", "location"),
    Language: ("service", "location"),
    Funding: ("service", "organization"),
    Attribute: ("service", "organization", "location"),
}


def _at(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def _parse(model: type[models.Model], spec: F, value: Any, where: str) -> Any:
    """One HSDS value as the model field wants it, or an HsdsError saying what is wrong."""
    if value is None:
        if spec.required:
            raise HsdsError(where, "is required and may not be null")
        return None if spec.kind not in ("str", "email", "enum") else ""
    kind = spec.kind
    if kind in ("str", "email", "enum"):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise HsdsError(where, f"should be text, not {type(value).__name__}")
        text = value if isinstance(value, str) else str(value)
        if spec.required and not spec.blank and not text.strip():
            raise HsdsError(where, "may not be empty")
        limit = getattr(model._meta.get_field(spec.name), "max_length", None)
        if limit and len(text) > limit:
            raise HsdsError(where, f"is too long ({len(text)} characters; at most {limit})")
        if kind == "email" and text:
            try:
                validate_email(text)
            except ValidationError:
                raise HsdsError(where, f"is not an email address: {text!r}") from None
        if kind == "enum" and text and text not in spec.choices:
            raise HsdsError(where, f"must be one of {', '.join(spec.choices)}, not {text!r}")
        return text
    if kind == "uuid":
        try:
            return uuid.UUID(str(value))
        except ValueError:
            raise HsdsError(where, f"is not a UUID: {value!r}") from None
    if kind in ("date", "time", "datetime"):
        if not isinstance(value, str):
            raise HsdsError(where, f"should be an ISO 8601 {kind} string")
        try:
            if kind == "date":
                return date.fromisoformat(value)
            if kind == "time":
                return time.fromisoformat(value).replace(tzinfo=None)
            moment = datetime.fromisoformat(value)
        except ValueError:
            example = {"date": "2026-01-31", "time": "09:30:00", "datetime": "2026-01-31T09:30:00.000Z"}[kind]
            raise HsdsError(where, f"is not a {kind} like {example}: {value!r}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    # number and int
    if isinstance(value, bool):
        raise HsdsError(where, "should be a number, not true or false")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise HsdsError(where, f"is not a number: {value!r}") from None
    if not number.is_finite():
        raise HsdsError(where, "must be a finite number")
    model_field = model._meta.get_field(spec.name)
    if kind == "int":
        if number != number.to_integral_value() or number < 0 or number > 2**31 - 1:
            raise HsdsError(where, f"must be a whole number from 0, not {value!r}")
        return int(number)
    if isinstance(model_field, models.DecimalField):
        places = model_field.decimal_places or 0
        number = number.quantize(Decimal(1).scaleb(-places))
        if abs(number) >= Decimal(10) ** ((model_field.max_digits or 0) - places):
            raise HsdsError(where, f"is too large: {value!r}")
        return number
    return float(number)


def _values(model: type[models.Model], fields: Iterable[F], data: dict[str, Any], where: str) -> dict[str, Any]:
    """The model values for the HSDS keys present in `data` (absent keys are not touched)."""
    values = {}
    for spec in fields:
        if spec.key == "id" or spec.key == "taxonomy_id":
            continue
        if spec.key not in data:
            if spec.required:
                raise HsdsError(_at(where, spec.key), "is required")
            continue
        values[spec.name] = _parse(model, spec, data[spec.key], _at(where, spec.key))
    return values


def _id(data: dict[str, Any], where: str) -> uuid.UUID:
    if "id" not in data:
        raise HsdsError(_at(where, "id"), "is required")
    value = _parse(Organization, ID, data["id"], _at(where, "id"))
    assert isinstance(value, uuid.UUID)
    return value


# ---------------------------------------------------------------------------------------------
# Import


LABELS: tuple[tuple[type[models.Model], str], ...] = (
    (Taxonomy, "taxonomies"),
    (TaxonomyTerm, "taxonomy terms"),
    (Organization, "organizations"),
    (OrganizationIdentifier, "organization identifiers"),
    (Service, "services"),
    (Location, "locations"),
    (Address, "addresses"),
    (Accessibility, "accessibility"),
    (ServiceAtLocation, "service at locations"),
    (Contact, "contacts"),
    (Phone, "phones"),
    (Schedule, "schedules"),
    (ServiceArea, "service areas"),
    (Language, "languages"),
    (CostOption, "cost options"),
    (Funding, "funding"),
    (Attribute, "attributes"),
)

KINDS = ("taxonomy", "taxonomy_term", "organization", "location", "service", "service_at_location")


@dataclass
class _Tally:
    created: set[uuid.UUID] = field(default_factory=set)
    updated: set[uuid.UUID] = field(default_factory=set)
    seen: set[uuid.UUID] = field(default_factory=set)
    deleted: set[uuid.UUID] = field(default_factory=set)


@dataclass(frozen=True)
class Count:
    label: str
    created: int
    updated: int
    unchanged: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass(frozen=True)
class ImportReport:
    files: int
    records: int  # top-level objects read
    counts: tuple[Count, ...]

    def count(self, label: str) -> Count:
        return next(c for c in self.counts if c.label == label)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.counts)

    def lines(self) -> list[str]:
        lines = [f"Read {self.records} records from {self.files} file{'s' if self.files != 1 else ''}."]
        for c in self.counts:
            if c.created or c.updated or c.unchanged or c.deleted:
                lines.append(
                    f"{c.label}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged, {c.deleted} deleted"
                )
        return lines


def detect_kind(data: dict[str, Any]) -> str:
    """Which HSDS object this is, from the keys only that kind has (``--kind`` overrides)."""
    if ("location" in data and "service" in data) or ("location_id" in data and "service_id" in data):
        return "service_at_location"
    if "location_type" in data:
        return "location"
    service_keys = {
        "status",
        "service_areas",
        "service_at_locations",
        "cost_options",
        "organization",
        "organization_id",
    }
    if service_keys & data.keys():
        return "service"
    if {"taxonomy_terms", "version"} & data.keys():
        return "taxonomy"
    if {"term", "taxonomy", "taxonomy_id", "parent_id", "term_uri", "code"} & data.keys():
        return "taxonomy_term"
    return "organization"


class Importer:
    """Upserts HSDS objects; one instance per import, which it tallies."""

    def __init__(self, actor: Actor = SYSTEM) -> None:
        self.actor = actor
        self.tallies: dict[type[models.Model], _Tally] = defaultdict(_Tally)

    # -- rows --------------------------------------------------------------------------------

    def _upsert[M: models.Model](self, model: type[M], pk: uuid.UUID, values: dict[str, Any]) -> M:
        tally = self.tallies[model]
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            obj = model(pk=pk, **values)
            obj.save(force_insert=True)
            record_write(self.actor, "directory_import", obj, None)
            tally.created.add(pk)
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                before = snapshot(obj)
                for name in changed:
                    setattr(obj, name, values[name])
                obj.save(update_fields=[*changed, "updated_at"])
                record_write(self.actor, "directory_import", obj, before)
                tally.updated.add(pk)
        tally.seen.add(pk)
        return obj

    def _collection(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        model: type[models.Model],
        owner: str,
        owner_pk: uuid.UUID,
        make: Callable[[dict[str, Any], str], models.Model],
        stale: str = "delete",
    ) -> None:
        """Import a nested list; if present it is the whole collection, so others of the owner go."""
        if key not in data:
            return
        items = data[key] if data[key] is not None else []
        place = _at(where, key)
        if not isinstance(items, list):
            raise HsdsError(place, "should be a list")
        keep = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise HsdsError(_at(place, i), "should be an object")
            keep.append(make(item, _at(place, i)).pk)
        for row in model._default_manager.filter(**{owner: owner_pk}).exclude(pk__in=keep):
            before = snapshot(row)
            if stale == "delete":
                self.tallies[model].deleted.add(row.pk)
                record_change(self.actor, action="directory_import_delete", obj=row, before=before, after=None)
                row.delete()  # rows nested under it (a contact's phones) go with it
            else:  # unlink: the row is shared (a location), so only the link goes
                setattr(row, owner, None)
                row.save(update_fields=[owner, "updated_at"])
                record_write(self.actor, "directory_import", row, before)
                self.tallies[model].updated.add(row.pk)

    def _owned(self, model: type[models.Model], owner: str, owner_pk: uuid.UUID) -> dict[str, Any]:
        """The owner foreign keys of a nested row: this owner, and none of the others."""
        names = OWNERS.get(model, (owner,))
        return {f"{name}_id": (owner_pk if name == owner else None) for name in names}

    def _child(
        self,
        model: type[models.Model],
        fields: tuple[F, ...],
        owner: str,
        owner_pk: uuid.UUID,
    ) -> Callable[[dict[str, Any], str], models.Model]:
        def make(data: dict[str, Any], where: str) -> models.Model:
            values = _values(model, fields, data, where) | self._owned(model, owner, owner_pk)
            return self._upsert(model, _id(data, where), values)

        return make

    def _exists(self, model: type[models.Model], value: Any, where: str) -> uuid.UUID:
        pk = _parse(model, F("id", "uuid"), value, where)
        if pk is None or not model._default_manager.filter(pk=pk).exists():
            raise HsdsError(
                where, f"names {model._meta.verbose_name} {value!r}, which is not in this import or the directory"
            )
        assert isinstance(pk, uuid.UUID)
        return pk

    # -- entities ----------------------------------------------------------------------------

    def taxonomy(self, data: dict[str, Any], where: str) -> Taxonomy:
        obj = self._upsert(Taxonomy, _id(data, where), _values(Taxonomy, TAXONOMY, data, where))
        terms = data.get("taxonomy_terms")
        if terms is not None:
            place = _at(where, "taxonomy_terms")
            if not isinstance(terms, list):
                raise HsdsError(place, "should be a list")
            # Terms are shared vocabulary (attributes point at them): a taxonomy never deletes one.
            for i, term in enumerate(terms):
                self.taxonomy_term(self._object(term, _at(place, i)), _at(place, i), taxonomy=obj)
        return obj

    def taxonomy_term(self, data: dict[str, Any], where: str, *, taxonomy: Taxonomy | None = None) -> TaxonomyTerm:
        values = _values(TaxonomyTerm, TAXONOMY_TERM, data, where)
        if taxonomy is not None:
            values["taxonomy_id"] = taxonomy.pk
        elif data.get("taxonomy_id") is not None:
            values["taxonomy_id"] = self._exists(Taxonomy, data["taxonomy_id"], _at(where, "taxonomy_id"))
        elif "taxonomy_id" in data:
            values["taxonomy_id"] = None
        return self._upsert(TaxonomyTerm, _id(data, where), values)

    def organization(self, data: dict[str, Any], where: str, *, nested: bool = False) -> Organization:
        pk = _id(data, where)
        obj = self._upsert(Organization, pk, _values(Organization, ORGANIZATION, data, where))
        self._collection(
            data,
            "organization_identifiers",
            where,
            OrganizationIdentifier,
            "organization_id",
            pk,
            self._child(OrganizationIdentifier, IDENTIFIER, "organization", pk),
        )
        self._collection(
            data, "attributes", where, Attribute, "organization_id", pk, self._attribute("organization", pk)
        )
        self._collection(data, "contacts", where, Contact, "organization_id", pk, self._contact("organization", pk))
        self._collection(
            data, "phones", where, Phone, "organization_id", pk, self._child(Phone, PHONE, "organization", pk)
        )
        self._collection(
            data, "funding", where, Funding, "organization_id", pk, self._child(Funding, FUNDING, "organization", pk)
        )
        self._collection(
            data,
            "locations",
            where,
            Location,
            "organization_id",
            pk,
            lambda item, place: self.location(item, place, organization=obj),
            stale="unlink",
        )
        if not nested:  # an organization nested in a service does not speak for its other services
            self._collection(
                data,
                "services",
                where,
                Service,
                "organization_id",
                pk,
                lambda item, place: self.service(item, place, organization=obj),
            )
        return obj

    def service(self, data: dict[str, Any], where: str, *, organization: Organization | None = None) -> Service:
        pk = _id(data, where)
        values = _values(Service, SERVICE, data, where)
        if organization is not None:
            values["organization_id"] = organization.pk
        elif isinstance(data.get("organization"), dict):
            values["organization_id"] = self.organization(
                data["organization"], _at(where, "organization"), nested=True
            ).pk
        elif data.get("organization_id") is not None:
            values["organization_id"] = self._exists(
                Organization, data["organization_id"], _at(where, "organization_id")
            )
        elif not Service.objects.filter(pk=pk).exists():
            raise HsdsError(
                _at(where, "organization"), "is required: a service needs its organization (or organization_id)"
            )
        obj = self._upsert(Service, pk, values)
        owner = ("service", pk)
        self._collection(data, "schedules", where, Schedule, "service_id", pk, self._child(Schedule, SCHEDULE, *owner))
        self._collection(
            data, "service_areas", where, ServiceArea, "service_id", pk, self._child(ServiceArea, SERVICE_AREA, *owner)
        )
        self._collection(
            data,
            "service_at_locations",
            where,
            ServiceAtLocation,
            "service_id",
            pk,
            lambda item, place: self.service_at_location(item, place, service=obj),
        )
        self._collection(data, "languages", where, Language, "service_id", pk, self._child(Language, LANGUAGE, *owner))
        self._collection(data, "funding", where, Funding, "service_id", pk, self._child(Funding, FUNDING, *owner))
        self._collection(
            data, "cost_options", where, CostOption, "service_id", pk, self._child(CostOption, COST_OPTION, *owner)
        )
        self._collection(data, "contacts", where, Contact, "service_id", pk, self._contact(*owner))
        self._collection(data, "phones", where, Phone, "service_id", pk, self._child(Phone, PHONE, *owner))
        self._collection(data, "attributes", where, Attribute, "service_id", pk, self._attribute(*owner))
        return obj

    def service_at_location(
        self, data: dict[str, Any], where: str, *, service: Service | None = None
    ) -> ServiceAtLocation:
        pk = _id(data, where)
        values = _values(ServiceAtLocation, SERVICE_AT_LOCATION, data, where)
        if isinstance(data.get("location"), dict):
            values["location_id"] = self.location(data["location"], _at(where, "location")).pk
        elif data.get("location_id") is not None:
            values["location_id"] = self._exists(Location, data["location_id"], _at(where, "location_id"))
        if service is not None:
            values["service_id"] = service.pk
        elif isinstance(data.get("service"), dict):
            values["service_id"] = self.service(data["service"], _at(where, "service")).pk
        elif data.get("service_id") is not None:
            values["service_id"] = self._exists(Service, data["service_id"], _at(where, "service_id"))
        if not ServiceAtLocation.objects.filter(pk=pk).exists():
            for key in ("location", "service"):
                if f"{key}_id" not in values:
                    raise HsdsError(_at(where, key), f"is required: a service_at_location needs its {key}")
        return self._upsert(ServiceAtLocation, pk, values)

    def location(self, data: dict[str, Any], where: str, *, organization: Organization | None = None) -> Location:
        pk = _id(data, where)
        values = _values(Location, LOCATION, data, where)
        if organization is not None:
            values["organization_id"] = organization.pk
        elif data.get("organization_id") is not None:
            values["organization_id"] = self._exists(
                Organization, data["organization_id"], _at(where, "organization_id")
            )
        obj = self._upsert(Location, pk, values)
        owner = ("location", pk)
        self._collection(data, "addresses", where, Address, "location_id", pk, self._child(Address, ADDRESS, *owner))
        self._collection(
            data,
            "accessibility",
            where,
            Accessibility,
            "location_id",
            pk,
            self._child(Accessibility, ACCESSIBILITY, *owner),
        )
        self._collection(data, "attributes", where, Attribute, "location_id", pk, self._attribute(*owner))
        self._collection(data, "contacts", where, Contact, "location_id", pk, self._contact(*owner))
        self._collection(data, "phones", where, Phone, "location_id", pk, self._child(Phone, PHONE, *owner))
        self._collection(data, "schedules", where, Schedule, "location_id", pk, self._child(Schedule, SCHEDULE, *owner))
        self._collection(data, "languages", where, Language, "location_id", pk, self._child(Language, LANGUAGE, *owner))
        return obj

    def _contact(self, owner: str, owner_pk: uuid.UUID) -> Callable[[dict[str, Any], str], models.Model]:
        def make(data: dict[str, Any], where: str) -> models.Model:
            values = _values(Contact, CONTACT, data, where) | self._owned(Contact, owner, owner_pk)
            contact = self._upsert(Contact, _id(data, where), values)
            self._collection(
                data, "phones", where, Phone, "contact_id", contact.pk, self._child(Phone, PHONE, "contact", contact.pk)
            )
            return contact

        return make

    def _attribute(self, owner: str, owner_pk: uuid.UUID) -> Callable[[dict[str, Any], str], models.Model]:
        def make(data: dict[str, Any], where: str) -> models.Model:
            pk = _id(data, where)
            values = _values(Attribute, ATTRIBUTE, data, where) | self._owned(Attribute, owner, owner_pk)
            if isinstance(data.get("taxonomy_term"), dict):
                values["taxonomy_term_id"] = self.taxonomy_term(data["taxonomy_term"], _at(where, "taxonomy_term")).pk
            elif data.get("taxonomy_term_id") is not None:
                values["taxonomy_term_id"] = self._exists(
                    TaxonomyTerm, data["taxonomy_term_id"], _at(where, "taxonomy_term_id")
                )
            elif not Attribute.objects.filter(pk=pk).exists():
                raise HsdsError(_at(where, "taxonomy_term"), "is required: an attribute links a taxonomy term")
            return self._upsert(Attribute, pk, values)

        return make

    @staticmethod
    def _object(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise HsdsError(where, f"should be an object, not {type(value).__name__}")
        return value

    # -- documents ---------------------------------------------------------------------------

    def document_items(self, name: str, data: Any, kind: str | None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(kind, file, path, object) for each top-level object in one file's JSON."""
        if isinstance(data, dict) and isinstance(data.get("contents"), list):  # an HSDS API page
            items, prefix = data["contents"], "contents"
        elif isinstance(data, list):
            items, prefix = data, ""
        elif isinstance(data, dict):
            items, prefix = [data], None
        else:
            raise HsdsError(name, "should hold an HSDS object, a list of them, or an API page with contents")
        for i, item in enumerate(items):
            path = _at(prefix, i) if prefix is not None else ""
            if not isinstance(item, dict):
                raise HsdsError(f"{name}: {path}", f"should be an object, not {type(item).__name__}")
            yield kind or detect_kind(item), name, path, item

    def run(self, documents: list[tuple[str, Any]], *, kind: str | None = None) -> ImportReport:
        if kind is not None and kind not in KINDS:
            raise HsdsError("kind", f"must be one of {', '.join(KINDS)}")
        items = [item for name, data in documents for item in self.document_items(name, data, kind)]
        items.sort(key=lambda item: KINDS.index(item[0]))  # stable: referenced kinds first
        with transaction.atomic():
            for item_kind, name, path, obj in items:
                try:
                    getattr(self, item_kind)(obj, path)
                except HsdsError as error:
                    raise HsdsError(f"{name}: {error.where}" if error.where else name, error.message) from None
        return self.report(files=len(documents), records=len(items))

    def report(self, *, files: int, records: int) -> ImportReport:
        counts = []
        for model, label in LABELS:
            t = self.tallies[model]
            created = t.created - t.deleted
            updated = t.updated - t.created - t.deleted
            counts.append(
                Count(
                    label, len(created), len(updated), len(t.seen - t.created - t.updated - t.deleted), len(t.deleted)
                )
            )
        return ImportReport(files=files, records=records, counts=tuple(counts))


def read_documents(paths: Iterable[Path | str]) -> list[tuple[str, Any]]:
    """Each file's name and parsed JSON; unreadable or malformed files raise HsdsError naming them."""
    documents = []
    for path in map(Path, paths):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise HsdsError(str(path), f"cannot be read ({error.strerror or error})") from None
        except UnicodeDecodeError:
            raise HsdsError(str(path), "is not UTF-8 text") from None
        try:
            documents.append((str(path), json.loads(text)))
        except json.JSONDecodeError as error:
            raise HsdsError(
                str(path), f"is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            ) from None
    return documents


def import_files(paths: Iterable[Path | str], *, actor: Actor = SYSTEM, kind: str | None = None) -> ImportReport:
    """Import HSDS JSON files into the directory, all or nothing; each row changed is audited."""
    return Importer(actor).run(read_documents(paths), kind=kind)


def import_data(data: Any, *, actor: Actor = SYSTEM, name: str = "data", kind: str | None = None) -> ImportReport:
    """Import already-parsed HSDS JSON (one object, a list, or a page)."""
    return Importer(actor).run([(name, data)], kind=kind)


# ---------------------------------------------------------------------------------------------
# Export


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        moment = value.astimezone(UTC)
        return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _dump(obj: models.Model, fields: tuple[F, ...]) -> dict[str, Any]:
    """The HSDS keys of one row, in HSDS order; empty optional values are left out."""
    out = {}
    for spec in fields:
        value = _plain(getattr(obj, spec.name))
        if spec.required or value not in ("", None):
            out[spec.key] = value if value is not None else ""
    return out


def _rows(manager: Any) -> list[Any]:
    """A nested collection in a stable order (by id), from the prefetch cache."""
    return sorted(manager.all(), key=lambda row: str(row.pk))


def _by_name[M: models.Model](rows: Iterable[M]) -> list[M]:
    return sorted(rows, key=lambda row: (str(getattr(row, "name", "")).casefold(), str(row.pk)))


def taxonomy_term_dict(term: TaxonomyTerm) -> dict[str, Any]:
    return _dump(term, TAXONOMY_TERM)


def attribute_dict(attribute: Attribute) -> dict[str, Any]:
    return _dump(attribute, ATTRIBUTE) | {"taxonomy_term": taxonomy_term_dict(attribute.taxonomy_term)}


def _phones(owner: Any) -> list[dict[str, Any]]:
    return [_dump(p, PHONE) for p in _rows(owner.phones)]


def contact_dict(contact: Contact) -> dict[str, Any]:
    return _dump(contact, CONTACT) | {"phones": _phones(contact)}


def location_dict(location: Location, *, full: bool = True) -> dict[str, Any]:
    out = _dump(location, LOCATION)
    if full:
        out |= {
            "addresses": [_dump(a, ADDRESS) for a in _rows(location.addresses)],
            "accessibility": [_dump(a, ACCESSIBILITY) for a in _rows(location.accessibility)],
            "attributes": [attribute_dict(a) for a in _rows(location.attributes)],
            "contacts": [contact_dict(c) for c in _rows(location.contacts)],
            "phones": _phones(location),
            "schedules": [_dump(s, SCHEDULE) for s in _rows(location.schedules)],
            "languages": [_dump(lang, LANGUAGE) for lang in _rows(location.languages)],
        }
    return out


def organization_dict(org: Organization, *, full: bool = True, services: bool = True) -> dict[str, Any]:
    """An organization: summary fields only (a list item), or in full (identifiers, services...)."""
    out = _dump(org, ORGANIZATION)
    if not full:
        return out
    out |= {
        "organization_identifiers": [_dump(i, IDENTIFIER) for i in _rows(org.identifiers)],
        "attributes": [attribute_dict(a) for a in _rows(org.attributes)],
    }
    if services:  # the full record, not the copy nested in each of its services
        out |= {
            "contacts": [contact_dict(c) for c in _rows(org.contacts)],
            "phones": _phones(org),
            "funding": [_dump(f, FUNDING) for f in _rows(org.funding)],
            "locations": [location_dict(loc) for loc in _rows(org.locations)],
            "services": [service_dict(s, organization=False) for s in _by_name(org.services.all())],
        }
    return out


def service_dict(service: Service, *, full: bool = True, organization: bool = True) -> dict[str, Any]:
    """A service: summary (a list item, with its organization's summary) or in full."""
    out = _dump(service, SERVICE)
    if not full:
        return out | {"organization": organization_dict(service.organization, full=False)}
    out |= {
        "schedules": [_dump(s, SCHEDULE) for s in _rows(service.schedules)],
        "service_areas": [_dump(a, SERVICE_AREA) for a in _rows(service.service_areas)],
        "service_at_locations": [
            _dump(sal, SERVICE_AT_LOCATION) | {"location": location_dict(sal.location)}
            for sal in _rows(service.service_at_locations)
        ],
        "languages": [_dump(lang, LANGUAGE) for lang in _rows(service.languages)],
    }
    if organization:
        out["organization"] = organization_dict(service.organization, services=False)
    out |= {
        "funding": [_dump(f, FUNDING) for f in _rows(service.funding)],
        "cost_options": [_dump(c, COST_OPTION) for c in _rows(service.cost_options)],
        "contacts": [contact_dict(c) for c in _rows(service.contacts)],
        "phones": _phones(service),
        "attributes": [attribute_dict(a) for a in _rows(service.attributes)],
    }
    return out


def taxonomy_dict(taxonomy: Taxonomy) -> dict[str, Any]:
    return _dump(taxonomy, TAXONOMY) | {"taxonomy_terms": [taxonomy_term_dict(t) for t in _rows(taxonomy.terms)]}


_LOCATION_PREFETCH = (
    "addresses",
    "accessibility",
    "attributes__taxonomy_term",
    "contacts__phones",
    "phones",
    "schedules",
    "languages",
)


def _service_prefetch(prefix: str = "") -> list[str | Prefetch]:
    """What a full service needs, for services reached through `prefix` (such as "services__")."""
    return [
        *(
            f"{prefix}{name}"
            for name in (
                "schedules",
                "service_areas",
                "languages",
                "funding",
                "cost_options",
                "contacts__phones",
                "phones",
                "attributes__taxonomy_term",
            )
        ),
        Prefetch(f"{prefix}service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        *(f"{prefix}service_at_locations__location__{name}" for name in _LOCATION_PREFETCH),
    ]


def full_services(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Services with everything a full HSDS service needs, fetched in a fixed number of queries."""
    queryset = Service.objects.all() if queryset is None else queryset
    return queryset.select_related("organization").prefetch_related(
        *_service_prefetch(), "organization__identifiers", "organization__attributes__taxonomy_term"
    )


def full_organizations(queryset: QuerySet[Organization] | None = None) -> QuerySet[Organization]:
    """Organizations with their services and locations in full, in a fixed number of queries."""
    queryset = Organization.objects.all() if queryset is None else queryset
    return queryset.prefetch_related(
        "identifiers",
        "attributes__taxonomy_term",
        "contacts__phones",
        "phones",
        "funding",
        *(f"locations__{name}" for name in _LOCATION_PREFETCH),
        "services",
        *_service_prefetch("services__"),
    )


def export_organizations() -> list[dict[str, Any]]:
    return [organization_dict(org) for org in _by_name(full_organizations())]


def export_services() -> list[dict[str, Any]]:
    return [service_dict(service) for service in _by_name(full_services())]


def export_taxonomies() -> list[dict[str, Any]]:
    return [taxonomy_dict(t) for t in _by_name(Taxonomy.objects.prefetch_related("terms"))]


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_files(directory: Path | str) -> dict[str, int]:
    """Write organizations.json, services.json and taxonomies.json (JSON arrays); returns item counts."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, items in (
        ("organizations.json", export_organizations()),
        ("services.json", export_services()),
        ("taxonomies.json", export_taxonomies()),
    ):
        (directory / name).write_text(dumps(items), encoding="utf-8")
        written[name] = len(items)
    return written

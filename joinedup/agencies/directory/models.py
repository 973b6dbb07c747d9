"""Directory tables, one per HSDS 3 table: public information about services, never about a person.

The primary key of every row is its HSDS id, so an import is an upsert and an export gives the
same ids back. Field names follow HSDS 3.0 and the Open Referral UK profile (CC-BY-SA-4.0,
copyright the Open Referral project); a few HSDS 3.0 core fields that the UK profile leaves out
(phones, eligibility and application process text) are kept because the partnership needs them.
Foreign keys name "agencies.Agency" by string: this module is imported from agencies.models.
"""

from django.db import models
from django.db.models import Q

from joinedup.core.models import BaseModel

NAME = 500
URL = 1000
SHORT = 100


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people can go"
    POSTAL = "postal", "A postal address"
    VIRTUAL = "virtual", "Online or by phone"


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


class Organization(BaseModel):
    """An organisation that delivers services; optionally one of the partnership's agencies."""

    name = models.CharField(max_length=NAME)
    alternate_name = models.CharField(max_length=NAME, blank=True)
    description = models.TextField(blank=True)
    email = models.CharField(max_length=254, blank=True)
    website = models.CharField(max_length=URL, blank=True)
    logo = models.CharField(max_length=URL, blank=True)
    uri = models.CharField(max_length=URL, blank=True)
    # Not a foreign key: HSDS feeds name parents they do not publish (the UK example does).
    parent_organization_id = models.UUIDField(null=True, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organizations",
        help_text="The partnership agency this organisation is, if it is one",
    )

    class Meta:
        db_table = "agencies_directory_organization"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="identifiers")
    identifier_scheme = models.CharField(max_length=SHORT, blank=True)
    identifier_type = models.CharField(max_length=NAME)
    identifier = models.CharField(max_length=NAME)

    class Meta:
        db_table = "agencies_directory_organization_identifier"

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"


class Service(BaseModel):
    """What an organisation offers, who it is for (eligibility) and how to get it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=NAME)
    alternate_name = models.CharField(max_length=NAME, blank=True)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=URL, blank=True)
    email = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(blank=True, help_text="How to get the service: who may refer, and how")
    fees_description = models.TextField(blank=True)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    maximum_age = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.CharField(max_length=254, blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    # Where a referral goes when this service is chosen in joinedup (not part of HSDS).
    referral_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="directory_services"
    )
    referral_team = models.ForeignKey(
        "agencies.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="directory_services"
    )

    class Meta:
        db_table = "agencies_directory_service"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "name"], name="directory_service_status")]

    def __str__(self) -> str:
        return self.name


class Location(BaseModel):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    url = models.CharField(max_length=URL, blank=True)
    name = models.CharField(max_length=NAME, blank=True)
    alternate_name = models.CharField(max_length=NAME, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=NAME, blank=True)
    external_identifier_type = models.CharField(max_length=SHORT, blank=True)

    class Meta:
        db_table = "agencies_directory_location"

    def __str__(self) -> str:
        return self.name or str(self.pk)


class Address(BaseModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=NAME, blank=True)
    address_1 = models.CharField(max_length=NAME)
    address_2 = models.CharField(max_length=NAME, blank=True)
    city = models.CharField(max_length=NAME)
    region = models.CharField(max_length=NAME, blank=True)
    state_province = models.CharField(max_length=NAME)
    postal_code = models.CharField(max_length=SHORT)
    country = models.CharField(max_length=SHORT)
    address_type = models.CharField(max_length=10, choices=LocationType.choices)

    class Meta:
        db_table = "agencies_directory_address"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.address_1, self.city, self.postal_code) if p)


class Accessibility(BaseModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.CharField(max_length=URL, blank=True)
    accessibility = models.TextField(blank=True)  # the UK profile's older free-text field

    class Meta:
        db_table = "agencies_directory_accessibility"
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60]


class ServiceAtLocation(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(blank=True)

    class Meta:
        db_table = "agencies_directory_service_at_location"

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


def _owned_by_one(*owners: str) -> Q:
    """Exactly one of the nullable owner foreign keys is set."""
    condition = Q()
    for owner in owners:
        only = Q(**{f"{owner}__isnull": False})
        for other in owners:
            if other != owner:
                only &= Q(**{f"{other}__isnull": True})
        condition |= only
    return condition


class Contact(BaseModel):
    """A named contact (a role, such as a duty worker) for a service, organisation or location."""

    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=NAME, blank=True)
    title = models.CharField(max_length=NAME, blank=True)
    department = models.CharField(max_length=NAME, blank=True)
    email = models.CharField(max_length=254, blank=True)

    class Meta:
        db_table = "agencies_directory_contact"
        constraints = [
            models.CheckConstraint(
                condition=_owned_by_one("service", "organization", "location"), name="directory_contact_one_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.title or str(self.pk)


class Phone(BaseModel):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=SHORT)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(max_length=SHORT, blank=True, help_text="voice, text, fax, cell, video, pager, textphone")
    description = models.TextField(blank=True)

    class Meta:
        db_table = "agencies_directory_phone"
        constraints = [
            models.CheckConstraint(
                condition=_owned_by_one("service", "organization", "location", "contact"),
                name="directory_phone_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.number


class Schedule(BaseModel):
    """When a service (or a location) is open: one RFC 5545 recurrence with opening hours."""

    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=SHORT, blank=True, help_text="e.g. MO,TU,WE or 1MO,-1FR")
    bymonthday = models.CharField(max_length=SHORT, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True, help_text="Local time in England")
    closes_at = models.TimeField(null=True, blank=True, help_text="At or before opens_at: closes the next day")
    schedule_link = models.CharField(max_length=URL, blank=True)
    attending_type = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        db_table = "agencies_directory_schedule"
        constraints = [
            models.CheckConstraint(condition=_owned_by_one("service", "location"), name="directory_schedule_one_owner")
        ]

    def __str__(self) -> str:
        return self.description[:60] or f"{self.freq} {self.byday}"


class ServiceArea(BaseModel):
    """Where a service is offered. An `extent` of type text may list postcode districts (NS1 NS2)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.TextField(blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=SHORT, blank=True)
    uri = models.CharField(max_length=URL, blank=True)
    service_area = models.TextField(blank=True)  # the UK profile's older free-text field

    class Meta:
        db_table = "agencies_directory_service_area"

    def __str__(self) -> str:
        return self.name[:60]


class Language(BaseModel):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=SHORT, blank=True)
    code = models.CharField(max_length=SHORT, blank=True, help_text="ISO 639 code")
    note = models.TextField(blank=True)

    class Meta:
        db_table = "agencies_directory_language"
        constraints = [
            models.CheckConstraint(condition=_owned_by_one("service", "location"), name="directory_language_one_owner")
        ]

    def __str__(self) -> str:
        return self.name or self.code or str(self.pk)


class CostOption(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.TextField(blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)

    class Meta:
        db_table = "agencies_directory_cost_option"

    def __str__(self) -> str:
        return self.option[:60]


class Funding(BaseModel):
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="funding")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    source = models.TextField(blank=True)

    class Meta:
        db_table = "agencies_directory_funding"
        verbose_name_plural = "funding"
        constraints = [
            models.CheckConstraint(
                condition=_owned_by_one("service", "organization"), name="directory_funding_one_owner"
            )
        ]

    def __str__(self) -> str:
        return self.source[:60]


class Taxonomy(BaseModel):
    name = models.CharField(max_length=NAME)
    description = models.TextField(blank=True)
    uri = models.CharField(max_length=URL, blank=True)
    version = models.CharField(max_length=SHORT, blank=True)

    class Meta:
        db_table = "agencies_directory_taxonomy"
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(BaseModel):
    """A term that classifies services, such as "Drug and alcohol use"."""

    code = models.CharField(max_length=SHORT, blank=True)
    name = models.CharField(max_length=NAME)
    description = models.TextField(blank=True)
    parent_id = models.UUIDField(null=True, blank=True)  # feeds name parents they do not publish
    taxonomy_name = models.CharField("taxonomy", max_length=NAME, blank=True)  # HSDS "taxonomy": a name
    taxonomy = models.ForeignKey(Taxonomy, null=True, blank=True, on_delete=models.SET_NULL, related_name="terms")
    language = models.CharField(max_length=SHORT, blank=True)
    term_uri = models.CharField(max_length=URL, blank=True)
    term = models.CharField(max_length=NAME, blank=True)  # the UK profile's older name field

    class Meta:
        db_table = "agencies_directory_taxonomy_term"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Attribute(BaseModel):
    """HSDS's link of a taxonomy term to the service, organisation or location it describes."""

    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes")
    link_type = models.CharField(max_length=SHORT, blank=True)
    value = models.TextField(blank=True)

    class Meta:
        db_table = "agencies_directory_attribute"
        constraints = [
            models.CheckConstraint(
                condition=_owned_by_one("service", "organization", "location"), name="directory_attribute_one_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.taxonomy_term_id} on {self.link_entity}"

    @property
    def link_entity(self) -> str:
        return "service" if self.service_id else "organization" if self.organization_id else "location"


__all__ = [
    "Accessibility",
    "Address",
    "Attribute",
    "Contact",
    "CostOption",
    "Frequency",
    "Funding",
    "Language",
    "Location",
    "LocationType",
    "Organization",
    "OrganizationIdentifier",
    "Phone",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
]

"""Agencies of the partnership, their teams, and how to reach them."""

from django.db import models
from django.db.models.functions import Lower

from joinedup.core.models import BaseModel


class AgencyKind(models.TextChoices):
    NHS_MENTAL_HEALTH = "nhs_mental_health", "NHS mental health service"
    CRISIS = "crisis", "Crisis or unscheduled care service"
    SUBSTANCE_USE = "substance_use", "Substance use service"
    POLICE = "police", "Police"
    AMBULANCE = "ambulance", "Ambulance service"
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    GP_OUT_OF_HOURS = "gp_out_of_hours", "GP out of hours"
    HOUSING = "housing", "Housing"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    PROBATION = "probation", "Probation"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    DBI_CRISIS_CENTRE = "dbi_crisis_centre", "Distress Brief Intervention or crisis centre"
    OTHER = "other", "Other"


class Sector(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    VOLUNTARY = "voluntary", "Voluntary"
    PRIVATE = "private", "Private"


class Agency(BaseModel):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    ods_code = models.CharField(
        "ODS code", max_length=12, blank=True, help_text="Organisation Data Service code, if it has one"
    )
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
            models.UniqueConstraint(
                fields=["ods_code"], condition=~models.Q(ods_code=""), name="agency_ods_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Team(BaseModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint("agency", Lower("name"), name="team_name_unique_in_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.display_name})"


class ContactPointKind(models.TextChoices):
    PERSON = "person", "A named person"
    TEAM_INBOX = "team_inbox", "A team inbox"


class ContactPoint(BaseModel):
    """How other agencies reach this one: a named person or a team inbox, with phone and email."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=20, choices=ContactPointKind.choices)
    name = models.CharField(max_length=200, help_text="The person's name, or the inbox's name")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    hours = models.CharField(max_length=200, blank=True, help_text="When it is answered, in plain words")
    is_primary = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=models.Q(is_primary=True), name="one_primary_contact_point"
            ),
            models.CheckConstraint(
                condition=~(models.Q(email="") & models.Q(phone="")), name="contact_point_reachable"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.display_name})"


# The service directory's tables live in their own module; importing them here registers them with Django.
from joinedup.agencies.directory.models import (  # noqa: E402, F401
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

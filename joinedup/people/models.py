"""The person (the people the partnership supports) and their identity, contact and involvement records.

Every piece of person-level information is a record with a `person`, a `recorded_by` agency, a
`category` and a `sealed` flag (DESIGN §3). The person row itself is the identity record.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency, AgencyKind, Team
from joinedup.core import clock
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "In another way"
    NOT_KNOWN = "not_known", "Not known"
    NOT_SAID = "not_said", "Prefers not to say"


class Person(BaseModel):
    """A person the partnership supports. The row is their core identity record."""

    CATEGORY: ClassVar[Category] = Category.IDENTITY

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True, unique=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    communication_needs = models.TextField(blank=True)
    interpreter_required = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=80, blank=True)
    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sealed = models.BooleanField(default=False)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(Lower("family_name"), Lower("given_name"), name="person_name"),
            models.Index(fields=["date_of_birth"], name="person_dob"),
            models.Index(fields=["recorded_by"], name="person_recorded_by"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def category(self) -> Category:
        return self.CATEGORY


class PersonRecord(BaseModel):
    """Base for every person-level record other than the person row itself."""

    DEFAULT_CATEGORY: ClassVar[Category]

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=30, choices=[(c.value, c.label) for c in Category])
    sealed = models.BooleanField(default=False)

    class Meta:
        abstract = True
        indexes: ClassVar[list[models.Index]] = []


class AliasKind(models.TextChoices):
    KNOWN_AS = "known_as", "Known as"
    PREVIOUS = "previous", "Previous name"
    ALIAS = "alias", "Alias"


class Alias(PersonRecord):
    DEFAULT_CATEGORY = Category.IDENTITY

    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.KNOWN_AS)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name_plural = "aliases"
        indexes = [
            models.Index(fields=["person", "recorded_by"], name="alias_person_agency"),
            models.Index(Lower("family_name"), name="alias_family_name"),
        ]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class LocalIdentifier(PersonRecord):
    """Another agency's own reference for the person (a police PNC id, a housing tenancy ref)."""

    DEFAULT_CATEGORY = Category.IDENTITY

    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=80, help_text="What the agency calls this number")
    value = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "value"], name="local_identifier_unique")]
        indexes = [models.Index(fields=["person", "recorded_by"], name="identifier_person_agency")]


class ContactKind(models.TextChoices):
    MOBILE = "mobile", "Mobile phone"
    LANDLINE = "landline", "Landline"
    EMAIL = "email", "Email"


class ContactDetail(PersonRecord):
    DEFAULT_CATEGORY = Category.CONTACT

    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True, help_text="For example, best times to call")
    preferred = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["person", "recorded_by"], name="contact_person_agency")]


class AddressKind(models.TextChoices):
    HOME = "home", "Home"
    TEMPORARY = "temporary", "Temporary accommodation"
    CARE = "care", "Care or supported accommodation"
    REFUGE = "refuge", "Refuge"
    NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode"
    CORRESPONDENCE = "correspondence", "Correspondence only"


class Address(PersonRecord):
    """An address; a sealed one (a refuge, say) is seen only by the agency that recorded it."""

    DEFAULT_CATEGORY = Category.CONTACT

    kind = models.CharField(max_length=20, choices=AddressKind.choices, default=AddressKind.HOME)
    line1 = models.CharField("Address line 1", max_length=200, blank=True)
    line2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    current = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "addresses"
        indexes = [models.Index(fields=["person", "recorded_by"], name="address_person_agency")]

    @property
    def one_line(self) -> str:
        return ", ".join(part for part in (self.line1, self.line2, self.town, self.postcode) if part)


class InvolvementCategory(models.Model):
    """What an agency's involvement reveals about a person, by the agency's kind (DESIGN §3).

    A mental health service's involvement says the person has mental health needs, so it is a
    mental_health record; kept as data so a partnership can adjust it.
    """

    agency_kind = models.CharField(max_length=40, choices=AgencyKind.choices, primary_key=True)
    category = models.CharField(max_length=30, choices=[(c.value, c.label) for c in Category])

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()}: {self.category}"


class Involvement(PersonRecord):
    """An agency (and team) working with the person, over a period, with a key worker."""

    DEFAULT_CATEGORY = Category.COORDINATION

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    role = models.CharField(max_length=120, blank=True, help_text="For example, care coordinator")
    key_worker = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    key_worker_name = models.CharField(max_length=200, blank=True)
    key_worker_phone = models.CharField(max_length=40, blank=True)
    key_worker_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["agency", "person", "ends_on"], name="involvement_agency_person"),
            models.Index(fields=["person", "recorded_by"], name="involvement_person_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="involvement_ends_after_start",
            )
        ]

    @property
    def is_active(self) -> bool:
        today = clock.today()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

    @property
    def key_worker_display(self) -> str:
        if self.key_worker_id and self.key_worker:
            return str(self.key_worker)
        return self.key_worker_name


class LeadAgreedBy(models.TextChoices):
    FORUM = "forum", "At a multi-agency forum"
    PRACTITIONERS = "practitioners", "Between the practitioners involved"
    PERSON = "person", "With the person, at their request"
    OTHER = "other", "In another way"


class LeadAgency(PersonRecord):
    """From a date, one of the involved agencies leads the person's care and coordination.

    A ledger: agreeing a new lead adds a row, so the history of who led and why stays as it was
    recorded. The lead now is the latest row that has started.
    """

    DEFAULT_CATEGORY = Category.COORDINATION

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    agreed_by = models.CharField(max_length=20, choices=LeadAgreedBy.choices)
    note = models.TextField(blank=True, help_text="Why this agency leads now, and what was agreed")

    class Meta:
        verbose_name_plural = "lead agencies"
        ordering = ["-starts_on", "-created_at"]
        indexes = [models.Index(fields=["person", "recorded_by"], name="lead_agency_person_agency")]


def active_involvements(on: object | None = None) -> Q:
    """Involvements in force on a date (today by default)."""
    day = on or clock.today()
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


RECORD_MODELS: tuple[type[PersonRecord], ...] = (
    Alias,
    LocalIdentifier,
    ContactDetail,
    Address,
    Involvement,
    LeadAgency,
)
"""The person-level record tables defined here; other apps register theirs with sharing."""

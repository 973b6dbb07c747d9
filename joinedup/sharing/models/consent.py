"""Task-specific consent, shaped like a FHIR R4 Consent: provisions permit or deny recipients
(actor) reading categories (class) for purposes (purpose) from sources, over a period."""

from django.db import models
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category, Purpose
from joinedup.people.models import PersonRecord

CATEGORY_CHOICES = [(c.value, c.label) for c in Category]
PURPOSE_CHOICES = [(p.value, p.value.replace("_", " ")) for p in Purpose if p != Purpose.ANALYTICS]


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class GivenBy(models.TextChoices):
    PERSON = "person", "The person"
    REPRESENTATIVE = "representative", "Someone legally able to act for them"


class Capacity(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "Yes, they have capacity to make this decision"
    LACKS_CAPACITY = "lacks_capacity", "No, they lack capacity to make this decision"
    NOT_ASSESSED = "not_assessed", "Not assessed: no reason to doubt capacity"


class Method(models.TextChoices):
    VERBAL = "verbal", "Verbally"
    WRITTEN = "written", "In writing"
    DIGITAL = "digital", "Digitally"


class Consent(PersonRecord):
    """What the person agreed (or refused) to share. It is itself a coordination record."""

    DEFAULT_CATEGORY = Category.COORDINATION

    status = models.CharField(max_length=20, choices=ConsentStatus.choices)
    given_by = models.CharField(max_length=20, choices=GivenBy.choices, default=GivenBy.PERSON)
    representative_name = models.CharField(max_length=200, blank=True)
    representative_relationship = models.CharField(max_length=120, blank=True)
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.NOT_ASSESSED)
    capacity_note = models.TextField(blank=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    evidence = models.FileField(upload_to="consent-evidence/%Y/%m/", blank=True)
    recorded_by_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["person", "status"], name="consent_person_status"),
            models.Index(fields=["person", "recorded_by"], name="consent_person_agency"),
            models.Index(fields=["review_on"], name="consent_review_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="consent_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Consent {self.get_status_display().lower()} {self.starts_at:%Y-%m-%d}"

    def in_force(self, at: object = None) -> bool:
        moment = at or clock.now()
        return (
            self.status == ConsentStatus.GIVEN
            and self.starts_at <= moment  # type: ignore[operator]
            and (self.ends_at is None or moment < self.ends_at)  # type: ignore[operator]
            and (self.withdrawn_at is None or moment < self.withdrawn_at)  # type: ignore[operator]
        )


def consents_in_force(prefix: str = "", at: object = None) -> Q:
    """Consents given, within their period and not withdrawn, at a moment (now by default)."""
    moment = at or clock.now()
    p = prefix
    return (
        Q(**{f"{p}status": ConsentStatus.GIVEN, f"{p}starts_at__lte": moment})
        & (Q(**{f"{p}ends_at__isnull": True}) | Q(**{f"{p}ends_at__gt": moment}))
        & (Q(**{f"{p}withdrawn_at__isnull": True}) | Q(**{f"{p}withdrawn_at__gt": moment}))
    )


class ProvisionKind(models.TextChoices):
    PERMIT = "permit", "Can see"
    DENY = "deny", "Must not see"


class ConsentProvision(BaseModel):
    """One rule of a consent. A deny overrides any permit; a deny with no recipients applies to all."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="provisions")
    kind = models.CharField(max_length=10, choices=ProvisionKind.choices)
    recipient_agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    recipient_forums = models.ManyToManyField("sharing.Forum", blank=True, related_name="+")
    any_recipient = models.BooleanField(default=False, help_text="A deny that applies to every agency")
    source_agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    any_source = models.BooleanField(default=True, help_text="Information recorded by any agency")

    def __str__(self) -> str:
        return f"{self.kind} in {self.consent_id}"


class ConsentScope(models.Model):
    """One (category, purpose) pair a provision covers: FHIR's provision.class by provision.purpose."""

    provision = models.ForeignKey(ConsentProvision, on_delete=models.CASCADE, related_name="scopes")
    category = models.CharField(max_length=30, choices=CATEGORY_CHOICES)
    purpose = models.CharField(max_length=20, choices=PURPOSE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provision", "category", "purpose"], name="consent_scope_unique")
        ]
        indexes = [models.Index(fields=["category", "purpose"], name="consent_scope_lookup")]

    def __str__(self) -> str:
        return f"{self.category} for {self.purpose}"

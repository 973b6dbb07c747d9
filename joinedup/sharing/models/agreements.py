"""Data sharing agreements between agencies: what, why, on which lawful basis, signed off by each
party's IG lead. An agreement is a ground only when every party has signed it off and it is in date."""

from django.db import models
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.models import BaseModel
from joinedup.sharing.models.consent import CATEGORY_CHOICES, PURPOSE_CHOICES


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6 bases."""

    CONSENT = "a_consent", "Article 6(1)(a) consent"
    CONTRACT = "b_contract", "Article 6(1)(b) contract"
    LEGAL_OBLIGATION = "c_legal_obligation", "Article 6(1)(c) legal obligation"
    VITAL_INTERESTS = "d_vital_interests", "Article 6(1)(d) vital interests"
    PUBLIC_TASK = "e_public_task", "Article 6(1)(e) public task"
    LEGITIMATE_INTERESTS = "f_legitimate_interests", "Article 6(1)(f) legitimate interests"


class SpecialCategoryCondition(models.TextChoices):
    """UK GDPR Article 9(2) conditions (with a DPA 2018 Schedule 1 condition where one is needed)."""

    NONE = "none", "No special category data"
    EXPLICIT_CONSENT = "a_explicit_consent", "Article 9(2)(a) explicit consent"
    SOCIAL_PROTECTION = "b_social_protection", "Article 9(2)(b) employment, social security and social protection"
    VITAL_INTERESTS = "c_vital_interests", "Article 9(2)(c) vital interests"
    SUBSTANTIAL_PUBLIC_INTEREST = "g_substantial_public_interest", "Article 9(2)(g) substantial public interest"
    HEALTH_SOCIAL_CARE = "h_health_social_care", "Article 9(2)(h) health or social care"
    PUBLIC_HEALTH = "i_public_health", "Article 9(2)(i) public health"


class Agreement(BaseModel):
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    parties = models.ManyToManyField(Agency, related_name="agreements")
    lawful_basis = models.CharField(max_length=40, choices=LawfulBasis.choices)
    special_category_condition = models.CharField(
        max_length=40, choices=SpecialCategoryCondition.choices, default=SpecialCategoryCondition.NONE
    )
    schedule_1_condition = models.CharField(
        "DPA 2018 Schedule 1 condition", max_length=200, blank=True, help_text="For example, paragraph 18: safeguarding"
    )
    law_enforcement = models.BooleanField(
        "Also DPA 2018 Part 3 (law enforcement processing)",
        default=False,
        help_text="For police and probation sharing for a law enforcement purpose",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    review_on = models.DateField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True, help_text="When the last party signed off")

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="agreement_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def relies_on_consent(self) -> bool:
        return (
            self.lawful_basis == LawfulBasis.CONSENT
            or self.special_category_condition == SpecialCategoryCondition.EXPLICIT_CONSENT
        )

    def in_force(self, at: object = None) -> bool:
        day = clock.local(at).date() if at else clock.today()  # type: ignore[arg-type]
        return (
            self.signed_off_at is not None and self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
        )


def agreements_in_force(prefix: str = "", on: object = None) -> Q:
    """Agreements signed off by every party and in date, that do not rely on consent."""
    day = on or clock.today()
    p = prefix
    return (
        Q(**{f"{p}signed_off_at__isnull": False, f"{p}starts_on__lte": day})
        & (Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": day}))
        & ~Q(**{f"{p}lawful_basis": LawfulBasis.CONSENT})
        & ~Q(**{f"{p}special_category_condition": SpecialCategoryCondition.EXPLICIT_CONSENT})
    )


class AgreementScope(models.Model):
    """One (category, purpose) pair the agreement covers."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scopes")
    category = models.CharField(max_length=30, choices=CATEGORY_CHOICES)
    purpose = models.CharField(max_length=20, choices=PURPOSE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "category", "purpose"], name="agreement_scope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} for {self.purpose}"


class AgreementSignoff(BaseModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signoffs")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "agency"], name="one_signoff_per_party")]

    def __str__(self) -> str:
        return f"{self.agency_id} signed {self.agreement_id}"

"""Break-glass: a time-limited grant to one user on one person, and the IG leads' reviews of its use."""

from django.db import models

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.models import BaseModel


class EmergencyReason(models.TextChoices):
    RISK_TO_LIFE = "risk_to_life", "Risk to the person's life"
    SERIOUS_HARM = "serious_harm", "Risk of serious harm to the person or others"
    CRISIS_RESPONSE = "crisis_response", "Responding to a mental health crisis now"
    MISSING_PERSON = "missing_person", "The person is missing and at risk"
    OTHER = "other", "Another urgent reason"


class EmergencyGrant(BaseModel):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="emergency_grants")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=30, choices=EmergencyReason.choices)
    explanation = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    mfa_verified_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Ended early by the user")

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="emergency_user_person")]

    def __str__(self) -> str:
        return f"emergency access by {self.user_id} to {self.person_id}"

    def in_force(self, at: object = None) -> bool:
        moment = at or clock.now()
        return self.granted_at <= moment < self.expires_at and (self.ended_at is None or moment < self.ended_at)  # type: ignore[operator]


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class EmergencyReview(BaseModel):
    """One agency's IG review of an emergency grant under which that agency's records were read."""

    grant = models.ForeignKey(EmergencyGrant, on_delete=models.PROTECT, related_name="reviews")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    first_used_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    uses = models.PositiveIntegerField(default=1)
    due_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["grant", "agency"], name="one_review_per_agency")]
        indexes = [models.Index(fields=["agency", "outcome", "due_on"], name="emergency_review_queue")]

    def __str__(self) -> str:
        return f"review of {self.grant_id} by {self.agency_id}"

"""The crisis single point of access: contacts logged round the clock, triaged and handed on.

A contact is the crisis agency's record (category mental_health: a crisis contact says the person
was in mental distress). It may start with no person at all, only a description of the caller
("Woman, 30s, calling from a phone box"); it is linked to a person, or a new person is created,
later, without losing anything. While unlinked no ground but own_agency can open it.
"""

from datetime import datetime, timedelta

from django.db import models
from django.db.models import F, Q

from joinedup.accounts.models import User
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import Person, PersonRecord
from joinedup.referrals.models import Referral


class Channel(models.TextChoices):
    PHONE = "phone", "Phone call"
    POLICE = "police", "Police"
    AMBULANCE = "ambulance", "Ambulance"
    SELF = "self", "The person came in themselves"
    FAMILY = "family", "Family, friend or carer"
    OTHER_AGENCY = "other_agency", "Another agency"


class TriageOutcome(models.TextChoices):
    SELF_MANAGEMENT = "self_management", "Self-management advice"
    DBI_REFERRAL = "dbi_referral", "Distress Brief Intervention referral"
    CRISIS_TEAM = "crisis_team", "Crisis team response"
    COMMUNITY_TRIAGE = "community_triage", "Community triage advice to police or ambulance"
    ED_CONVEYANCE = "ed_conveyance", "Conveyance to the emergency department"
    OTHER = "other", "Other"


class ContactStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CrisisContact(PersonRecord):
    """One contact with the single point of access: who, how, when, what they needed, what was done."""

    DEFAULT_CATEGORY = Category.MENTAL_HEALTH

    # Nullable, unlike every other record: an unidentified caller is still a contact.
    person = models.ForeignKey(  # type: ignore[assignment]
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(help_text="When the contact came in")
    caller_description = models.CharField(
        max_length=300, blank=True, help_text="Who called, when you do not know who they are yet"
    )
    caller_name = models.CharField(
        max_length=200, blank=True, help_text="Who made the contact, if not the person: an officer, a relative"
    )
    callback_number = models.CharField(max_length=40, blank=True)
    presenting_need = models.TextField()
    triage_outcome = models.CharField(max_length=30, choices=TriageOutcome.choices, blank=True)
    outcome_detail = models.CharField(max_length=300, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ContactStatus.choices, default=ContactStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    close_note = models.TextField(blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["recorded_by", "status", "received_at"], name="crisis_contact_board"),
            models.Index(fields=["person", "recorded_by"], name="crisis_contact_person_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(caller_description=""), name="crisis_contact_says_who"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(triage_outcome="") & Q(closed_at__isnull=False)),
                name="crisis_contact_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True) | Q(first_response_at__gte=F("received_at")),
                name="crisis_contact_response_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"Crisis contact {self.received_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == ContactStatus.OPEN

    @property
    def response_time(self) -> timedelta | None:
        """From receipt to the first response, once there has been one."""
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.received_at

    @property
    def response_minutes(self) -> int | None:
        gap = self.response_time
        return None if gap is None else int(gap.total_seconds() // 60)

    def waiting(self, at: datetime) -> timedelta:
        """How long the contact has waited for a first response (or waited, once responded to)."""
        return (self.first_response_at or at) - self.received_at


class ContactReferral(BaseModel):
    """An onward referral made from a contact (the referral itself is the referrer's record)."""

    contact = models.ForeignKey(CrisisContact, on_delete=models.PROTECT, related_name="onward")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Referral {self.referral_id} from contact {self.contact_id}"

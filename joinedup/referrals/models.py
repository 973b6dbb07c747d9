"""Pathways (configured, not coded), referrals through them with a warm handover, and signposting.

A referral is the referring agency's record (category coordination). Sending it opens a sharing
ground (sharing.ReferralLink) for the receiving agency, limited to the referral itself and the
records the referrer attached; deciding, handing over and closing move that ground along.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency, Team
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import PersonRecord
from joinedup.sharing.models import Agreement, Consent, Forum, ReferralLink


class PathwayKind(models.TextChoices):
    PROFESSIONAL = "professional", "Professional to professional"
    FORUM = "forum", "Referral to a multi-agency forum"


class Pathway(BaseModel):
    """A route from some agencies to one service, with its response targets and access guidance."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=PathwayKind.choices, default=PathwayKind.PROFESSIONAL)
    description = models.TextField(blank=True)
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="incoming_pathways")
    to_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.PROTECT, related_name="pathways")
    from_agencies = models.ManyToManyField(Agency, blank=True, related_name="outgoing_pathways")
    eligibility_guidance = models.TextField(
        help_text="Who the pathway is for, written as guidance for the referrer rather than a bare threshold"
    )
    required_information = models.JSONField(
        default=list, blank=True, help_text="What the referrer must include, in plain words, one item each"
    )
    requires_risk_summary = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TargetUnit(models.TextChoices):
    HOURS = "hours", "hours (round the clock)"
    WORKING_HOURS = "working_hours", "working hours"
    WORKING_DAYS = "working_days", "working days"


class UrgencyLevel(BaseModel):
    """How quickly the receiving service must respond (decide) for this urgency."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="urgencies")
    name = models.CharField(max_length=60)
    target = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=TargetUnit.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pathway", "order"]
        constraints = [models.UniqueConstraint(fields=["pathway", "name"], name="urgency_name_per_pathway")]

    def __str__(self) -> str:
        return f"{self.name}: within {self.target} {self.get_unit_display()}"


class ReferralState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    FIRST_CONTACT = "first_contact", "First contact made"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def awaiting_decision(cls) -> tuple[str, str]:
        return (cls.SENT, cls.ACKNOWLEDGED)


class SharingBasis(models.TextChoices):
    CONSENT = "consent", "The person consented"
    AGREEMENT = "agreement", "A data sharing agreement"
    VITAL_INTERESTS = "vital_interests", "To protect the person's vital interests (emergency)"
    SAFEGUARDING = "safeguarding", "Safeguarding, without consent (reason recorded)"


class HandoverForm(models.TextChoices):
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    JOINT_VISIT = "joint_visit", "Joint visit"


class Referral(PersonRecord):
    DEFAULT_CATEGORY = Category.COORDINATION

    version = models.PositiveIntegerField(default=1)
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="referrals")
    urgency = models.ForeignKey(UrgencyLevel, on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    from_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why you are referring, in plain words")
    what_matters = models.TextField(blank=True, help_text="What matters to the person, in their words if you can")
    risk_summary = models.TextField(blank=True)
    sharing_basis = models.CharField(max_length=20, choices=SharingBasis.choices)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sharing_note = models.TextField(blank=True, help_text="Why sharing is lawful when it is not consent")
    state = models.CharField(max_length=20, choices=ReferralState.choices, default=ReferralState.DRAFT)
    attachments = models.JSONField(
        default=list, blank=True, help_text='The referrer\'s own records sent with it, as "app_label.model:uuid"'
    )
    link = models.OneToOneField(ReferralLink, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="re_referrals")
    sent_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When a decision is due (the response target)")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decline_reason = models.TextField(blank=True)
    onward_referral = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="onward_from"
    )
    receiving_worker = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receiving_worker_name = models.CharField(max_length=200, blank=True)
    handover_at = models.DateTimeField(null=True, blank=True)
    handover_form = models.CharField(max_length=20, choices=HandoverForm.choices, blank=True)
    person_present = models.BooleanField(null=True, blank=True)
    handover_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_agency", "state", "due_at"], name="referral_inbox"),
            models.Index(fields=["from_agency", "state"], name="referral_sent"),
            models.Index(fields=["person", "recorded_by"], name="referral_person_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""), name="declined_referral_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"Referral to {self.to_agency_id} ({self.state})"

    def overdue(self, at: datetime) -> bool:
        return self.state in ReferralState.awaiting_decision() and self.due_at is not None and at > self.due_at


class Signposting(PersonRecord):
    """A declined referral's onward route when it is not a new referral: where the person was pointed."""

    DEFAULT_CATEGORY = Category.COORDINATION

    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="signpostings")
    service_id_hsds = models.CharField("Directory service", max_length=64, blank=True)
    service_name = models.CharField(max_length=200)
    reason = models.TextField()
    person_told = models.BooleanField(default=False, help_text="The person has been told where to go")
    signposted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Signposted to {self.service_name}"

"""A referral as the sharing policy sees it: from agency S to agency A about a person, open or
accepted or over, and the records of S's that S attached (the only ones of S's that A may read)."""

from django.db import models

from joinedup.agencies.models import Agency
from joinedup.core.models import BaseModel


class ReferralState(models.TextChoices):
    OPEN = "open", "Open"  # sent, awaiting a decision
    ACCEPTED = "accepted", "Accepted"
    ENDED = "ended", "Ended"  # declined, withdrawn or closed

    @classmethod
    def live(cls) -> tuple[str, str]:
        return (cls.OPEN, cls.ACCEPTED)


class ReferralLink(BaseModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=ReferralState.choices, default=ReferralState.OPEN)

    class Meta:
        indexes = [models.Index(fields=["person", "to_agency", "state"], name="referrallink_person_to")]

    def __str__(self) -> str:
        return f"{self.from_agency_id} to {self.to_agency_id} ({self.state})"


class ReferralAttachment(models.Model):
    link = models.ForeignKey(ReferralLink, on_delete=models.CASCADE, related_name="attachments")
    record_type = models.CharField(max_length=100)
    record_id = models.UUIDField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "record_type", "record_id"], name="referral_attachment_unique")
        ]
        indexes = [models.Index(fields=["record_type", "record_id"], name="referral_attachment_record")]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id}"

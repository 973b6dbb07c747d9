"""An agency's case note, and the explicit share of one sealed record with one named agency."""

from django.db import models

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import PersonRecord


class CaseNote(PersonRecord):
    """A note an agency keeps about a person; its author chooses the category, which decides who may read it."""

    DEFAULT_CATEGORY = Category.COORDINATION

    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    occurred_on = models.DateField(help_text="When what the note describes happened")

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["person", "recorded_by"], name="casenote_person_agency")]

    def __str__(self) -> str:
        return self.title


class SealedShare(BaseModel):
    """The agency that sealed a record lets one named agency read that one record."""

    record_type = models.CharField(max_length=100, help_text='"app_label.model" of the record')
    record_id = models.UUIDField()
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["record_type", "record_id", "agency"], name="sealedshare_record")]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} shared with {self.agency_id}"

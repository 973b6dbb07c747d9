"""Subject access exports: everything one agency holds about one person, with who it was shown to,
built in the background (a task) as JSON and a readable PDF for the agency's IG lead."""

from django.db import models

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core.models import BaseModel


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"


class SubjectAccessExport(BaseModel):
    """One subject access request answered by one agency (the data controller) about one person."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=60, blank=True, help_text="The agency's own reference for the request")
    received_on = models.DateField(help_text="When the agency received the request")
    due_on = models.DateField(help_text="One calendar month after it was received (UK GDPR Article 12(3))")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    step = models.CharField(max_length=120, blank=True, help_text="What the task is doing now")
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    record_count = models.PositiveIntegerField(default=0)
    recipient_count = models.PositiveIntegerField(default=0)
    content_json = models.JSONField(null=True, blank=True)
    content_pdf = models.BinaryField(null=True, blank=True)
    # How each access event lists the exported records, so that a download is audited like a read.
    audit_records = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "person"], name="sar_agency_person"),
            models.Index(fields=["agency", "due_on"], name="sar_agency_due"),
        ]

    def __str__(self) -> str:
        return f"subject access export {self.pk} of {self.person_id} by {self.agency_id}"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED)

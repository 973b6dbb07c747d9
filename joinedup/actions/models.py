"""Actions agreed about a person (at a forum, in a plan, after a review): who does what by when."""

from datetime import date

from django.db import models
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import PersonRecord


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionSource(models.TextChoices):
    FORUM = "forum", "Forum meeting"
    PLAN = "plan", "Plan"
    REVIEW = "review", "Review"
    OTHER = "other", "Other"


class CarryReason(models.TextChoices):
    # Kept apart because a forum reads them differently: one is life, the other is a partner not acting.
    CIRCUMSTANCES_CHANGED = "circumstances_changed", "Circumstances changed"
    AGENCY_DID_NOT_ACT = "agency_did_not_act", "The agency did not act"


class Action(PersonRecord):
    """One agreed action about a person. Overdue is not stored: it is open and past its due date."""

    DEFAULT_CATEGORY = Category.COORDINATION

    version = models.PositiveIntegerField(default=1)
    description = models.TextField()
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    completion_note = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=ActionSource.choices, default=ActionSource.OTHER)
    # Where it was agreed, e.g. "forums.agendaitem:<uuid>", and how to say so ("Risk conference, 3 Dec").
    source_ref = models.CharField(max_length=100, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["person", "recorded_by"], name="action_person_agency"),
            models.Index(fields=["owner_agency", "status", "due_on"], name="action_owner_due"),
            models.Index(fields=["source_ref"], name="action_source"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def overdue(self, today: date | None = None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < (today or clock.today())


def overdue_actions(today: date | None = None) -> Q:
    return Q(status=ActionStatus.OPEN, due_on__lt=today or clock.today())


class ActionCarry(BaseModel):
    """The action was still open at a meeting and carried to the next, with why (a dated history)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="carries")
    reason = models.CharField(max_length=30, choices=CarryReason.choices)
    note = models.TextField(blank=True)
    carried_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    previous_due_on = models.DateField()
    new_due_on = models.DateField()

    class Meta:
        ordering = ["created_at"]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ActionReminder(BaseModel):
    """One reminder email sent: at most one of each kind per action and due date, however often the sweep runs."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "due_on"], name="one_reminder_per_kind_and_due_date")
        ]

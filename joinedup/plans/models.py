"""Joint plans about a person (care and support, safety, crisis, discharge), their goals, and the
history of every save.

A plan is a person-level record read through the sharing policy. Its goals and its saved versions
are not records of their own: they are read only through the plan they belong to.
"""

import uuid
from datetime import date

from django.db import models
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import PersonRecord


class PlanKind(models.TextChoices):
    CARE_SUPPORT = "care_support", "Care and support plan"
    SAFETY = "safety", "Safety plan"
    CRISIS = "crisis", "Crisis plan"
    DISCHARGE = "discharge", "Discharge plan"


# What a plan reveals decides who may read it (DESIGN §3): a safety plan is risk information, a
# crisis plan is about the person's mental health, the others coordinate the team around them.
CATEGORY_BY_KIND = {
    PlanKind.CARE_SUPPORT: Category.COORDINATION,
    PlanKind.SAFETY: Category.RISK,
    PlanKind.CRISIS: Category.MENTAL_HEALTH,
    PlanKind.DISCHARGE: Category.COORDINATION,
}

# The kinds that carry the crisis and safety sections, in the person's words.
KINDS_WITH_CRISIS_SECTIONS = frozenset({PlanKind.SAFETY, PlanKind.CRISIS})


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    ENDED = "ended", "Ended"


class PersonAgreed(models.TextChoices):
    """Did the person agree with the plan?"""

    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_ASKED = "not_asked", "Not asked yet"


class Plan(PersonRecord):
    """One plan. Overdue is not stored: an active plan whose review date has passed."""

    DEFAULT_CATEGORY = Category.COORDINATION

    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    lead_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(null=True, blank=True)
    # About the person, in their words.
    strengths = models.TextField(blank=True)
    what_matters = models.TextField(blank=True)
    # Crisis and safety plans.
    early_warning_signs = models.TextField(blank=True)
    what_helps = models.TextField(blank=True)
    who_to_contact = models.TextField(blank=True)
    making_safer = models.TextField(blank=True)
    # Carers and advocacy: the answers the prompts are worked out from.
    carer_involved = models.BooleanField(default=False)
    carer_name = models.CharField(max_length=200, blank=True)
    carer_assessment_offered = models.BooleanField(default=False)
    substantial_difficulty = models.BooleanField(default=False)
    appropriate_person_to_support = models.BooleanField(default=False)
    advocate_involved = models.BooleanField(default=False)
    advocate_name = models.CharField(max_length=200, blank=True)
    # Co-production.
    person_present = models.BooleanField(default=False)
    person_agreed = models.CharField(max_length=20, choices=PersonAgreed.choices, default=PersonAgreed.NOT_ASKED)
    person_comments = models.TextField(blank=True)
    coproduced_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The create form's one-time token: a double submit finds the plan the first submit made.
    form_token = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "recorded_by"], name="plan_person_agency"),
            models.Index(fields=["status", "review_on"], name="plan_review"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "form_token"], condition=~Q(form_token=""), name="plan_created_once_per_form"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_crisis_sections(self) -> bool:
        return self.kind in KINDS_WITH_CRISIS_SECTIONS

    def review_overdue(self, today: date | None = None) -> bool:
        return (
            self.status == PlanStatus.ACTIVE
            and self.review_on is not None
            and self.review_on < (today or clock.today())
        )


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"


class Goal(BaseModel):
    """A goal of the plan, in the person's words. Read only through its plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    version = models.PositiveIntegerField(default=1)
    description = models.TextField()
    target_on = models.DateField(null=True, blank=True)
    measure = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanVersion(BaseModel):
    """The plan as one save left it (its fields and goals), who saved it, and what changed. Never edited."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    plan_version = models.PositiveIntegerField(help_text="The plan's version after this save")
    snapshot = models.JSONField()
    changed_fields = models.JSONField(default=list)
    summary = models.CharField(max_length=300)
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    saved_by_name = models.CharField(max_length=200)
    saved_by_agency = models.CharField(max_length=200)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once")]


def plan_ref(plan_id: uuid.UUID) -> str:
    """How an action names the plan it came from."""
    return f"plans.plan:{plan_id}"

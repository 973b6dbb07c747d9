"""Risk tools (definitions kept as data, one row per version), the assessments made with them, and
flags: the warnings about a person that other staff should see before they act."""

from datetime import date
from functools import cached_property

from django.db import models
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.core import clock
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import PersonRecord
from joinedup.risk.definitions import ToolDefinition


class RiskTool(BaseModel):
    """One version of a tool's definition. A new version is a new row: an assessment keeps pointing
    at the exact version it was made with, so changing a tool never rewrites old results."""

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=[(c.value, c.label) for c in Category])
    review_interval_days = models.PositiveIntegerField()
    definition = models.JSONField()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="risk_tool_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @cached_property
    def spec(self) -> ToolDefinition:
        return ToolDefinition.model_validate(self.definition)


class Assessment(PersonRecord):
    """A completed tool: dated, attributed, never edited. A newer one of the same tool for the same
    person follows it (`previous`, `version` counts up), so the series is the history."""

    DEFAULT_CATEGORY = Category.RISK  # set from the tool when one is made

    tool = models.ForeignKey(RiskTool, on_delete=models.PROTECT, related_name="assessments")
    version = models.PositiveIntegerField(default=1, help_text="Its place in the person's series for this tool")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_assessment"
    )
    answers = models.JSONField()
    score = models.IntegerField()
    scored_level = models.CharField(max_length=30)
    escalations = models.JSONField(default=list, blank=True)
    calculated_level = models.CharField(max_length=30)
    judgement_level = models.CharField(max_length=30, blank=True)
    judgement_reasons = models.TextField(blank=True)
    final_level = models.CharField(max_length=30)
    assessed_on = models.DateField()
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["person", "recorded_by"], name="assessment_person_agency"),
            models.Index(fields=["person", "tool", "assessed_on"], name="assessment_series"),
        ]

    def __str__(self) -> str:
        return f"{self.tool.name}: {self.level_label}"

    @property
    def level_label(self) -> str:
        return self.tool.spec.label(self.final_level)

    def review_due(self, today: date | None = None) -> bool:
        """Older than the tool's review interval: the level may no longer hold."""
        return ((today or clock.today()) - self.assessed_on).days > self.tool.review_interval_days


class FlagKind(models.TextChoices):
    RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
    SAFEGUARDING_CONCERN = "safeguarding_concern", "Safeguarding concern"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse marker"


FLAG_CATEGORIES = {
    FlagKind.RISK_TO_STAFF: Category.RISK,
    FlagKind.SAFEGUARDING_CONCERN: Category.SAFEGUARDING,
    FlagKind.DOMESTIC_ABUSE: Category.SAFEGUARDING,
}
FLAG_CATEGORY_CHOICES = (Category.RISK, Category.SAFEGUARDING, Category.CRIMINAL_JUSTICE)


class FlagState(models.TextChoices):
    UPCOMING = "upcoming", "Starts later"
    CURRENT = "current", "Current"
    EXPIRED = "expired", "Expired"
    ENDED = "ended", "Ended early"


class Flag(PersonRecord):
    """A warning about a person for a period. When it lapses it shows as expired, never silently gone."""

    DEFAULT_CATEGORY = Category.RISK  # set from the kind when one is made

    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=30, choices=FlagKind.choices)
    reason = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    end_reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "recorded_by"], name="flag_person_agency")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="flag_ends_after_start"),
            models.CheckConstraint(condition=Q(ended_at=None) | ~Q(end_reason=""), name="ended_flag_has_reason"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def state(self, today: date | None = None) -> FlagState:
        day = today or clock.today()
        if self.ended_at is not None:
            return FlagState.ENDED
        if self.ends_on < day:
            return FlagState.EXPIRED
        if self.starts_on > day:
            return FlagState.UPCOMING
        return FlagState.CURRENT

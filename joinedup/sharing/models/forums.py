"""A forum as the sharing policy sees it: which agencies are members when, and who is a current
case. The forums app builds meetings, agendas and minutes on top (ADR 0005)."""

from django.db import models
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import PersonRecord


class ForumKind(models.TextChoices):
    RISK_CONFERENCE = "risk_conference", "Risk conference (like a MARAC)"
    CO_OCCURRING = "co_occurring", "Co-occurring conditions forum"
    DISTRESS_PATHWAY = "distress_pathway", "Distress pathway forum"
    COMPLEX_CASE = "complex_case", "Complex case panel"
    OTHER = "other", "Other"


class Forum(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=ForumKind.choices)
    host = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="hosted_forums")
    agreement = models.ForeignKey(
        "sharing.Agreement", null=True, blank=True, on_delete=models.PROTECT, related_name="forums"
    )
    active = models.BooleanField(default=True)
    terms_of_reference = models.TextField(blank=True)
    referral_criteria = models.TextField(blank=True, help_text="Who the forum takes, checked on each referral")
    confidentiality_statement = models.TextField(blank=True, help_text="Read out at the start of every meeting")
    chair = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    coordinator = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The seeds' guide for a case discussion is 10 to 15 minutes; the agenda warns when it will not fit.
    minutes_per_case = models.PositiveSmallIntegerField(default=12)
    # For the SafeLives comparison (cases per 10,000 adult women a year), where a partnership knows it.
    adult_women_population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ForumMembership(BaseModel):
    """An agency is a member of a forum from `starts_at` until `ends_at` (dated, never rewritten)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="forum_memberships")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    # The seeds: a representative empowered to decide, and a single point of contact reachable between
    # meetings (a named person or a team inbox).
    representative = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    representative_confirmed_on = models.DateField(null=True, blank=True)
    contact_name = models.CharField(max_length=200, blank=True, help_text="A person or a team inbox")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "forum"], name="forum_membership_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id} in {self.forum_id}"


def memberships_in_force(prefix: str = "", at: object = None) -> Q:
    moment = at or clock.now()
    p = prefix
    return Q(**{f"{p}starts_at__lte": moment}) & (Q(**{f"{p}ends_at__isnull": True}) | Q(**{f"{p}ends_at__gt": moment}))


class ForumCase(PersonRecord):
    """The person is on the forum's list: from acceptance until the forum closes the case."""

    DEFAULT_CATEGORY = Category.COORDINATION

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="cases")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "forum"], name="forumcase_person_forum")]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.forum_id}"


def forum_cases_open(prefix: str = "", at: object = None) -> Q:
    moment = at or clock.now()
    p = prefix
    return Q(**{f"{p}opened_at__lte": moment}) & (
        Q(**{f"{p}closed_at__isnull": True}) | Q(**{f"{p}closed_at__gt": moment})
    )

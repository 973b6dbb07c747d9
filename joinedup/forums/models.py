"""A forum's working life: meeting series and meetings, the agenda, research from member agencies,
attendance and the minutes of each case discussion. The forum itself, its members and its cases are
the sharing policy's facts and live in `sharing` (ADR 0005)."""

from django.db import models

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category
from joinedup.people.models import PersonRecord
from joinedup.sharing.models import Forum


class MeetingSeries(BaseModel):
    """A cadence (an RFC 5545 RRULE such as "FREQ=MONTHLY;BYDAY=2TU") from which meetings are generated."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="series")
    rule = models.CharField(max_length=200)
    first_starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    venue = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "meeting series"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    HELD = "held", "Held"


class Meeting(BaseModel):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    # The series' slot this meeting fills (iCalendar RECURRENCE-ID), kept when the meeting is moved.
    occurrence = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    cancelled_reason = models.CharField(max_length=200, blank=True)
    # iCalendar SEQUENCE: bumped on every move or cancellation, so calendars replace the old invitation.
    sequence = models.PositiveIntegerField(default=0)
    confidentiality_read_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["forum", "starts_at"], name="meeting_forum_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                name="one_meeting_per_series_slot",
                condition=models.Q(series__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class Invitation(BaseModel):
    """The invitation (or cancellation) last sent to one member agency's representative or contact."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    sequence = models.PositiveIntegerField()
    cancelled = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="one_invitation_per_address")]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    SENT_INFORMATION = "sent_information", "Apologies, sent information"
    ABSENT = "absent", "Absent"


class Attendance(BaseModel):
    """Who came for each member agency; observers (students, inspectors) are listed but are not members."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    attendee_name = models.CharField(max_length=200, blank=True)
    observer = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency"], name="one_attendance_per_member", condition=models.Q(observer=False)
            )
        ]


class AgendaKind(models.TextChoices):
    NEW = "new", "New referral"
    REVIEW = "review", "Review"


class RiskLevel(models.IntegerChoices):
    # Ordered so the agenda can sort highest first.
    HIGH = 3, "High"
    MEDIUM = 2, "Medium"
    STANDARD = 1, "Standard"


# The agenda item, the research and the discussion of a person at a meeting are separate records,
# each with its own author and category, tied by (meeting, person) rather than by keys to each other:
# an agency may be allowed to read one and not another.


class AgendaItem(PersonRecord):
    """A person listed for discussion at one meeting (the listing is coordination information)."""

    DEFAULT_CATEGORY = Category.COORDINATION

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    kind = models.CharField(max_length=20, choices=AgendaKind.choices)
    risk_level = models.PositiveSmallIntegerField(choices=RiskLevel.choices, default=RiskLevel.STANDARD)
    position = models.PositiveSmallIntegerField(default=0)
    # Discussed at this forum in the 12 months before the meeting: the SafeLives "repeat" measure.
    repeat = models.BooleanField(default=False)
    referral_ref = models.CharField(max_length=100, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    discussion_started_at = models.DateTimeField(null=True, blank=True)
    discussion_ended_at = models.DateTimeField(null=True, blank=True)
    minutes_taken = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["person", "recorded_by"], name="agenda_person_agency")]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="once_per_meeting")]


class Research(PersonRecord):
    """What one member agency knows about a listed person, sent in before the meeting."""

    # Risk, not coordination: what an agency tells the forum is for the forum (read under its
    # agreement), not for every agency that happens to be involved with the person.
    DEFAULT_CATEGORY = Category.RISK

    version = models.PositiveIntegerField(default=1)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="research")
    knows = models.TextField(help_text="What your agency knows about the person")
    involvement = models.TextField(blank=True, help_text="Your agency's current involvement")
    risks = models.TextField(blank=True, help_text="Risks your agency knows of")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "research"
        indexes = [models.Index(fields=["person", "recorded_by"], name="research_person_agency")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person", "recorded_by"], name="one_research_per_agency")
        ]


class CaseDiscussion(PersonRecord):
    """The minutes of one case: what was shared, the risks, the decisions. Live-edited, so versioned."""

    DEFAULT_CATEGORY = Category.RISK

    version = models.PositiveIntegerField(default=1)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="discussions")
    summary = models.TextField(blank=True, help_text="What was shared")
    risks = models.TextField(blank=True, help_text="Risks identified")
    decisions = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    edited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["person", "recorded_by"], name="discussion_person_agency")]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_discussion_per_meeting")]


class MinutesStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being written"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class MinutesCopy(BaseModel):
    """One member agency's copy of a meeting's minutes, holding only the cases that agency may read.

    Not a person record: it is a document built through the policy as that agency, and only that
    agency's members may download it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_copies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    # Which user the copy was read as (the agency's representative), for the audit trail's sake.
    read_as = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # SHA-256 of the HTML the PDF was made from: a download is served only to someone whose own
    # reading of the minutes, now, gives the same HTML (so it holds nothing they may not read).
    html_digest = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "minutes copies"
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="one_minutes_copy_per_agency")]

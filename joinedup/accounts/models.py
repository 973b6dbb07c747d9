"""Users, the roles they hold (dated), API tokens and live sessions."""

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from joinedup.agencies.models import Agency, Team
from joinedup.core.models import BaseModel
from joinedup.core.vocabulary import Category


class Role(BaseModel):
    """A role and its category ceiling: which kinds of person-level record it may ever read."""

    code = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    categories = models.JSONField(
        default=list, help_text="Categories of person-level record this role may read at most"
    )
    may_request_emergency_access = models.BooleanField(default=False)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    @property
    def category_set(self) -> frozenset[Category]:
        return frozenset(Category(c) for c in self.categories)


class User(AbstractUser):
    """A member of staff at one agency (and optionally one team)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="users")
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    roles = models.ManyToManyField(Role, through="RoleGrant", related_name="users")  # type: ignore[var-annotated]

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name to show: the full name, or the username when none is recorded."""
        return self.get_full_name() or self.username


class RoleGrant(BaseModel):
    """A user holds a role from `starts_at` until `ends_at` (open-ended when empty)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="role_grant_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} as {self.role_id} from {self.starts_at:%Y-%m-%d}"


class ApiToken(BaseModel):
    """A bearer token for scripts: only a hash is kept; the prefix finds it without a scan."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class UserSession(models.Model):
    """Which server sessions a user has, so sign-out everywhere and deactivation can end them."""

    session_key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of {self.user_id}"

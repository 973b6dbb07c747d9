"""Append-only, hash-chained records of every look at and every change to person-level data.

Events are never updated or deleted (database triggers refuse it, see triggers.py). Each event
belongs to a chain — one per kind, actor agency and UTC day — so writers in different agencies
never queue on the same row; within a chain each event carries the hash of the one before.
Actors and people are stored as ids and labels, not foreign keys, so no later change elsewhere
can cascade into the trail.
"""

from django.db import models


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"


class ChainedEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(max_length=100)
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    request_id = models.CharField(max_length=64, blank=True)
    actor_user_id = models.UUIDField(null=True)
    actor_username = models.CharField(max_length=150)
    actor_agency_id = models.UUIDField(null=True)
    actor_agency_name = models.CharField(max_length=200, blank=True)
    actor_roles = models.JSONField(default=list)
    person_id = models.UUIDField(null=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}"


class AccessEvent(ChainedEvent):
    """One read of person-level data (or one refused attempt at a direct read)."""

    purpose = models.CharField(max_length=20)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    grounds = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    # "app_label.model:uuid" for each record returned, with the agency that recorded it.
    records = models.JSONField(default=list)
    route = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="access_event_chain_seq")]
        indexes = [
            models.Index(fields=["person_id", "occurred_at"], name="access_event_person"),
            models.Index(fields=["actor_user_id", "occurred_at"], name="access_event_actor"),
        ]


class ChangeEvent(ChainedEvent):
    """One write, with what it changed (secrets excluded)."""

    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    recorded_by_id = models.UUIDField(null=True, help_text="The agency whose record this is")
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="change_event_chain_seq")]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="change_event_object"),
            models.Index(fields=["person_id", "occurred_at"], name="change_event_person"),
        ]


class ChainHead(models.Model):
    """The newest event of each chain: the one row a writer locks to append."""

    chain = models.CharField(max_length=100, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.chain} at #{self.last_seq}"

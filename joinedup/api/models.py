"""What the API remembers between requests: replies to POSTs that carried an Idempotency-Key."""

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """The first answer to a POST with a given Idempotency-Key, replayed for any retry of it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body")
    status = models.PositiveSmallIntegerField(null=True, help_text="Empty while the first request runs")
    body = models.TextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"

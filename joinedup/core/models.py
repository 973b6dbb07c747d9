"""The base every joinedup table builds on."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """A UUID primary key (safe to show in URLs, never guessable) and created / updated times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(BaseModel):
    """A row people edit together: every save through a service bumps `version` (optimistic lock)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

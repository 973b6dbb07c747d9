"""API: actions."""

from ninja import Router

router = Router(tags=["actions"])

"""API: agenda items, research and attendance."""

from ninja import Router

router = Router(tags=["forums"])

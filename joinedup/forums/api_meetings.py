"""API: forums, members and meetings."""

from ninja import Router

router = Router(tags=["forums"])

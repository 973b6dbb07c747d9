"""The forums API, composed from its parts."""

from ninja import Router

from joinedup.forums.api_agenda import router as agenda_router
from joinedup.forums.api_meetings import router as meetings_router

router = Router()
router.add_router("", meetings_router)
router.add_router("", agenda_router)

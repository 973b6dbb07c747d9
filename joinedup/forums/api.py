"""The forums API: the meetings router, with the agenda's routes added under the same prefix."""

from joinedup.forums.api_agenda import router as agenda_router
from joinedup.forums.api_meetings import router

router.add_router("", agenda_router)

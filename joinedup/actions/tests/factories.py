"""Actions for tests, set through the service as a partner would set them."""

import datetime

from joinedup.actions import services
from joinedup.actions.models import Action, ActionSource
from joinedup.core import clock
from joinedup.core.tests.helpers import actor


def forum_action(conference, *, owner, due_in_days=7, owner_user=None, description="Check the tenancy") -> Action:
    """An action agreed at the risk conference, set by its coordinator, for another member agency."""
    return services.action_create(
        actor(conference.coordinator),
        person=conference.person,
        description=description,
        owner_agency=owner,
        owner_user=owner_user,
        due_on=clock.today() + datetime.timedelta(days=due_in_days),
        source=ActionSource.FORUM,
        source_ref=f"forums.meeting:{conference.meeting.pk}",
        source_label="Northshire Risk Conference",
    )

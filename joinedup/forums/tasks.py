"""The morning top-up of every forum's calendar (run by the task worker: `manage.py db_worker`)."""

import logging

from django.tasks import task

from joinedup.core import clock, daily
from joinedup.forums.services import meetings

logger = logging.getLogger(__name__)


@task()
def top_up_meetings() -> int:
    """Generate each meeting series three months ahead again, then queue tomorrow morning's run."""
    added = meetings.series_top_up()
    logger.info("Forum meetings added to the calendar: %d", added)
    daily.schedule(top_up_meetings, daily.next_morning(clock.now()))
    return added

"""The morning top-up of every forum's calendar (run by the task worker: `manage.py db_worker`)."""

import logging

from django.tasks import task

from joinedup.core import clock, daily
from joinedup.forums.services import meetings

logger = logging.getLogger(__name__)


@task()
def top_up_meetings() -> int:
    """Queue tomorrow morning's run (first, so that a failure today does not end the chain), then
    generate each meeting series three months ahead again."""
    daily.schedule(top_up_meetings, daily.next_morning(clock.now()))
    added = meetings.series_top_up()
    logger.info("Forum meetings added to the calendar: %d", added)
    return added

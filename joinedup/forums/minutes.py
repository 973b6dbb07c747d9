"""Building each member agency's PDF copy of a meeting's minutes, in the background.

Each copy is read through the policy as the agency's forum representative (a real user of that
agency, so the role's category ceiling applies and the access events say whose copy read what). An
agency with no representative gets no copy: the failure says so rather than guessing a reader.
"""

import hashlib
import logging
import uuid
from typing import Any

from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

from joinedup.accounts.actors import actor_for
from joinedup.core import clock
from joinedup.core.formatting import format_date, format_datetime
from joinedup.forums.models import MinutesCopy, MinutesStatus
from joinedup.forums.selectors import agenda as selectors
from joinedup.forums.selectors.agenda import Minutes
from joinedup.sharing.models import ForumMembership
from joinedup.sharing.models.forums import memberships_in_force

logger = logging.getLogger(__name__)


def minutes_context(data: Minutes) -> dict[str, Any]:
    meeting = data.meeting
    return {
        "minutes": data,
        "meeting": meeting,
        "forum": meeting.forum,
        "when": format_datetime(meeting.starts_at),
        "published": format_date(meeting.minutes_published_at),
        "format_date": format_date,
    }


def minutes_html(data: Minutes) -> str:
    """The HTML WeasyPrint is given (kept apart so tests can read exactly what goes into a copy)."""
    return render_to_string("forums/minutes_pdf.jinja", minutes_context(data))


def digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def _progress(copy: MinutesCopy, percent: int, step: str, **fields: Any) -> None:
    copy.progress, copy.step = percent, step
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save(update_fields=["progress", "step", "updated_at", *fields])


def render_copy(copy: MinutesCopy) -> str:
    """Read the minutes as the copy's agency and return the HTML for its PDF."""
    membership = (
        ForumMembership.objects.filter(memberships_in_force(), forum_id=copy.meeting.forum_id, agency_id=copy.agency_id)
        .select_related("representative")
        .first()
    )
    reader = membership.representative if membership else None
    if reader is None or reader.agency_id != copy.agency_id or not reader.is_active:
        raise LookupError(f"{copy.agency.name} has no active forum representative to read its copy as")
    actor = actor_for(reader, f"minutes-{uuid.UUID(str(copy.pk)).hex}")
    copy.read_as = reader
    with transaction.atomic():
        data = selectors.minutes(actor, copy.meeting, route=f"task:forum-minutes/{copy.pk}")
    return minutes_html(data)


@task()
def build_minutes_copy(copy_id: str) -> dict[str, Any]:
    """Write one agency's PDF copy of the minutes, saving progress as it goes."""
    from weasyprint import HTML  # imported here: it loads pango, which only this task needs

    copy = MinutesCopy.objects.select_related("meeting__forum", "agency").get(pk=copy_id)
    if copy.status == MinutesStatus.READY:
        return {"status": copy.status}
    _progress(copy, 10, "Reading the minutes", status=MinutesStatus.RUNNING, error="")
    try:
        html = render_copy(copy)
        _progress(copy, 50, "Writing the PDF", read_as=copy.read_as)
        pdf = HTML(string=html).write_pdf(presentational_hints=True)
    except Exception as error:
        logger.exception("Minutes copy %s failed", copy.pk)
        _progress(copy, copy.progress, "Failed", status=MinutesStatus.FAILED, error=f"{error}"[:2000])
        raise
    done = {"pdf": pdf, "html_digest": digest(html), "finished_at": clock.now()}
    _progress(copy, 100, "Done", status=MinutesStatus.READY, **done)
    return {"status": copy.status, "bytes": len(pdf)}

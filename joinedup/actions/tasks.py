"""The daily reminder sweep (run each morning by the task worker: `manage.py db_worker`)."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse

from joinedup.actions import selectors, services
from joinedup.actions.models import Action, ActionReminder, ReminderKind
from joinedup.core import clock, daily
from joinedup.core.actor import SYSTEM
from joinedup.core.formatting import format_date
from joinedup.core.workdays import add_working_days

logger = logging.getLogger(__name__)

DUE_SOON_WORKING_DAYS = 2


def _kind(action: Action, today: date) -> ReminderKind:
    return ReminderKind.OVERDUE if action.due_on < today else ReminderKind.DUE_SOON


def _recipients(action: Action) -> list[str]:
    if action.owner_user is not None and action.owner_user.email:
        return [action.owner_user.email]
    inbox = selectors.forum_contact_email(action)
    return [inbox] if inbox else []


def _message(action: Action, kind: ReminderKind) -> tuple[str, str]:
    # Email is not a secure channel: the message says which action and when, and links to it, but never
    # names the person or repeats the description (free text that may carry names and clinical detail).
    link = settings.SITE_URL + reverse("actions:detail", kwargs={"action_id": action.pk})
    reference = str(action.pk)[:8].upper()
    agreed = f" agreed at {action.source_label}" if action.source_label else ""
    due = format_date(action.due_on)
    if kind == ReminderKind.OVERDUE:
        subject = f"Action {reference} is overdue"
        opening = f"An action{agreed} for {action.owner_agency.name} was due on {due} and is still open."
    else:
        subject = f"Action {reference} is due on {due}"
        opening = f"An action{agreed} for {action.owner_agency.name} is due on {due}."
    body = (
        f"{opening}\n\nSign in to joinedup to see it, and to record that it is done or carry it forward:\n"
        f"{link}\n\nThis email leaves out who the action is about, on purpose."
    )
    return subject, body


def _remind(action: Action, kind: ReminderKind) -> bool:
    """Send one reminder unless it was sent already; the claim and the email stand or fall together."""
    recipients = _recipients(action)
    if not recipients:
        logger.warning("No email address for the owner of action %s: no %s reminder sent", action.pk, kind)
        return False
    with transaction.atomic():
        if services.reminder_record(SYSTEM, action=action, kind=kind, recipients=recipients) is None:
            return False
        subject, body = _message(action, kind)
        send_mail(subject, body, None, recipients)
    return True


def sweep(today: date) -> int:
    """Remind each open action's owner once when it is due within two working days and once when it
    is overdue (per due date: carried forward, it can be reminded again). Returns emails sent."""
    horizon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    already = set(ActionReminder.objects.filter(action__status="open").values_list("action_id", "kind", "due_on"))
    sent = 0
    for action in selectors.actions_to_remind(horizon):
        kind = _kind(action, today)
        if (action.pk, kind.value, action.due_on) not in already and _remind(action, kind):
            sent += 1
    return sent


@task()
def send_action_reminders() -> int:
    """Tomorrow morning's sweep queued (first, so that a failure today does not end the chain), then
    today's reminders."""
    daily.schedule(send_action_reminders, daily.next_morning(clock.now()))
    sent = sweep(clock.today())
    logger.info("Action reminders sent: %d", sent)
    return sent

"""Writes to a forum's details and its member agencies, by the forum's organiser.

Memberships are dated and never deleted: ending one sets its end date, and the sharing policy reads
the membership in force at the moment of each request."""

import uuid
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.audit.services import record_write, snapshot
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, PermissionDenied, ValidationFailed
from joinedup.core.formatting import format_date
from joinedup.forums import rules
from joinedup.sharing.models import Forum, ForumMembership
from joinedup.sharing.models.forums import memberships_in_force
from joinedup.sharing.services import forum_membership_start

TEXT_LIMIT = 5000


def organised_forum(actor: Actor, forum_id: uuid.UUID, *, lock: bool = False) -> Forum:
    """The forum, if the actor sits on it (NotFound otherwise) and organises it (PermissionDenied)."""
    forums = Forum.objects.select_for_update() if lock else Forum.objects.all()
    forum = forums.filter(rules.forums_of(actor), pk=forum_id).first()
    if forum is None:
        raise NotFound("No such forum")
    if not rules.organises(actor, forum):
        raise PermissionDenied("Only the forum's chair or coordinator can change it")
    return forum


def forum_update(
    actor: Actor,
    *,
    forum_id: uuid.UUID,
    terms_of_reference: str,
    referral_criteria: str,
    confidentiality_statement: str,
    minutes_per_case: int | None,
) -> Forum:
    """Change what the forum is for, who it takes, and the statement read out at each meeting."""
    texts = {
        "terms_of_reference": terms_of_reference.strip(),
        "referral_criteria": referral_criteria.strip(),
        "confidentiality_statement": confidentiality_statement.strip(),
    }
    errors = {name: f"Use {TEXT_LIMIT} characters or fewer" for name, text in texts.items() if len(text) > TEXT_LIMIT}
    if not texts["confidentiality_statement"]:
        errors["confidentiality_statement"] = "Enter the confidentiality statement read out at each meeting"
    if minutes_per_case is None or not 5 <= minutes_per_case <= 60:
        errors["minutes_per_case"] = "Minutes for each case must be a number from 5 to 60"
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        forum = organised_forum(actor, forum_id, lock=True)
        before = snapshot(forum)
        for name, text in texts.items():
            setattr(forum, name, text)
        forum.minutes_per_case = minutes_per_case  # type: ignore[assignment]  # checked above
        forum.save()
        record_write(actor, "forum_update", forum, before)
    return forum


def member_add(actor: Actor, *, forum_id: uuid.UUID, agency_id: uuid.UUID | None) -> ForumMembership:
    """An agency joins the forum from now."""
    agency = Agency.objects.filter(pk=agency_id, active=True).first() if agency_id else None
    if agency is None:
        raise ValidationFailed({"agency": "Choose the agency that is joining"})
    with transaction.atomic():
        forum = organised_forum(actor, forum_id, lock=True)
        if ForumMembership.objects.filter(memberships_in_force(), forum=forum, agency=agency).exists():
            raise ValidationFailed({"agency": f"{agency.name} is already a member of this forum"})
        return forum_membership_start(actor, forum=forum, agency=agency)


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except DjangoValidationError:
        return False
    return True


def _membership(actor: Actor, forum_id: uuid.UUID, membership_id: uuid.UUID) -> ForumMembership:
    forum = organised_forum(actor, forum_id, lock=True)
    membership = ForumMembership.objects.select_for_update().filter(pk=membership_id, forum=forum).first()
    if membership is None:
        raise NotFound("No such member")
    return membership


def member_end(
    actor: Actor, *, forum_id: uuid.UUID, membership_id: uuid.UUID, last_day: date | None
) -> ForumMembership:
    """The agency leaves the forum after `last_day` (today or later: a past membership is not rewritten)."""
    if last_day is None:
        raise ValidationFailed({"last_day": "Enter the agency's last day as a member"})
    if last_day < clock.today():
        raise ValidationFailed({"last_day": "The last day must be today or in the future"})
    ends_at = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=clock.LONDON)
    with transaction.atomic():
        membership = _membership(actor, forum_id, membership_id)
        if membership.ends_at is not None and membership.ends_at <= clock.now():
            raise ValidationFailed({"": f"This membership already ended on {format_date(membership.ends_at)}"})
        if ends_at <= membership.starts_at:
            raise ValidationFailed({"last_day": "The last day must be after the agency joined"})
        before = snapshot(membership)
        membership.ends_at = ends_at
        membership.save(update_fields=["ends_at", "updated_at"])
        record_write(actor, "forum_membership_end", membership, before)
    return membership


def member_contact_set(
    actor: Actor,
    *,
    forum_id: uuid.UUID,
    membership_id: uuid.UUID,
    representative_id: uuid.UUID | None,
    confirmed: bool,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
) -> ForumMembership:
    """Name the member agency's representative (confirmed today, if the agency has confirmed them)
    and its single point of contact between meetings (a person or a team inbox)."""
    with transaction.atomic():
        membership = _membership(actor, forum_id, membership_id)
        rep = None
        if representative_id:
            rep = User.objects.filter(pk=representative_id, agency_id=membership.agency_id, is_active=True).first()
            if rep is None:
                raise ValidationFailed({"representative": "Choose someone who works for the member agency"})
        if confirmed and rep is None:
            raise ValidationFailed({"confirmed": "Choose the representative before you confirm them"})
        if contact_email.strip() and not _is_email(contact_email.strip()):
            raise ValidationFailed({"contact_email": "Enter an email address like name@example.org"})
        if not contact_name.strip() and not contact_email.strip() and not contact_phone.strip():
            raise ValidationFailed({"contact_name": "Give a single point of contact: a name or team inbox"})
        before = snapshot(membership)
        changed_rep = membership.representative_id != (rep.pk if rep else None)
        membership.representative = rep
        # A new representative needs confirming afresh; an unchanged confirmed one keeps its date.
        if not confirmed:
            membership.representative_confirmed_on = None
        elif changed_rep or membership.representative_confirmed_on is None:
            membership.representative_confirmed_on = clock.today()
        membership.contact_name = contact_name.strip()
        membership.contact_email = contact_email.strip()
        membership.contact_phone = contact_phone.strip()
        membership.save()
        record_write(actor, "forum_membership_contact", membership, before)
    return membership

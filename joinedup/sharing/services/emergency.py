"""Break-glass emergency access: asking for it, ending it, recording its use, and reviewing it."""

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import Role
from joinedup.accounts.roles import RoleCode
from joinedup.audit.services import snapshot
from joinedup.core import clock, workdays
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, PermissionDenied, ValidationFailed
from joinedup.people.models import Person
from joinedup.sharing.models import EmergencyGrant, EmergencyReason, EmergencyReview, ReviewOutcome
from joinedup.sharing.services._common import changed, require_agency

DEFAULT_HOURS = 4
MAX_HOURS = 24
REVIEW_WORKING_DAYS = 2


def may_request(actor: Actor) -> bool:
    return Role.objects.filter(code__in=actor.roles, may_request_emergency_access=True).exists()


def emergency_grant_request(
    actor: Actor, *, person: Person, reason: str, explanation: str, mfa_code: str, hours: int = DEFAULT_HOURS
) -> EmergencyGrant:
    """Grant time-limited access to everything but sealed records of one person, after a fresh MFA code."""
    agency_id = require_agency(actor)
    if not may_request(actor):
        raise PermissionDenied("Your role cannot use emergency access. Ask a practitioner or manager")
    errors = {}
    if reason not in EmergencyReason.values:
        errors["reason"] = "Choose why you need emergency access"
    if len(explanation.strip()) < 10:
        errors["explanation"] = "Explain in a sentence what is happening and why you need to see the record"
    if not 1 <= hours <= MAX_HOURS:
        errors["hours"] = f"Emergency access lasts between 1 and {MAX_HOURS} hours"
    if errors:
        raise ValidationFailed(errors)
    device = TOTPDevice.objects.filter(user_id=actor.user_id, confirmed=True).first()
    if device is None:
        raise ValidationFailed({"mfa_code": "Set up your authenticator app before you can use emergency access"})
    # After a wrong code django-otp refuses every code for a growing delay: say so, rather than
    # calling a right code wrong.
    allowed, throttled = device.verify_is_allowed()
    if not allowed:
        seconds = max(1, int(((throttled or {}).get("locked_until", clock.now()) - clock.now()).total_seconds()) + 1)
        raise ValidationFailed(
            {"mfa_code": f"Too many wrong codes: wait {seconds} second{'s' if seconds != 1 else ''}, then try again"}
        )
    if not device.verify_token(mfa_code.replace(" ", "")):
        raise ValidationFailed({"mfa_code": "That security code is not right: enter the newest code from your app"})
    now = clock.now()
    grant = EmergencyGrant(
        user_id=actor.user_id,
        agency_id=agency_id,
        person=person,
        reason=reason,
        explanation=explanation.strip(),
        granted_at=now,
        expires_at=now + timedelta(hours=hours),
        mfa_verified_at=now,
    )
    with transaction.atomic():
        grant.save(force_insert=True)
        changed(actor, "emergency_grant", grant, None)
    return grant


def emergency_grant_end(actor: Actor, *, grant_id: uuid.UUID) -> EmergencyGrant:
    with transaction.atomic():
        grant = EmergencyGrant.objects.select_for_update().filter(pk=grant_id, user_id=actor.user_id).first()
        if grant is None or not grant.in_force():
            raise NotFound("No emergency access in force")
        before = snapshot(grant)
        grant.ended_at = clock.now()
        grant.save(update_fields=["ended_at", "updated_at"])
        changed(actor, "emergency_grant_end", grant, before)
    return grant


def emergency_use_record(*, grant: EmergencyGrant, agency_ids: Iterable[uuid.UUID]) -> list[EmergencyReview]:
    """Called by the policy when records were read only because of `grant`: each agency whose records
    were read gets (or updates) a review in its IG lead's queue; the first use alerts them."""
    from joinedup.sharing.tasks import send_emergency_alert

    now = clock.now()
    due = workdays.add_working_days(clock.today(), REVIEW_WORKING_DAYS)
    reviews = []
    for agency_id in sorted(agency_ids, key=str):
        review, created = EmergencyReview.objects.get_or_create(
            grant=grant, agency_id=agency_id, defaults={"first_used_at": now, "last_used_at": now, "due_on": due}
        )
        if created:
            send_emergency_alert.enqueue(str(review.pk))
        else:
            EmergencyReview.objects.filter(pk=review.pk).update(uses=F("uses") + 1, last_used_at=now)
        reviews.append(review)
    return reviews


def emergency_review_decide(actor: Actor, *, review_id: uuid.UUID, outcome: str, note: str) -> EmergencyReview:
    """An IG lead of the agency whose records were read records whether the access was justified."""
    agency_id = require_agency(actor)
    if not actor.has_role(RoleCode.IG_LEAD):
        raise PermissionDenied("Only an information governance lead can review emergency access")
    if outcome not in (ReviewOutcome.JUSTIFIED, ReviewOutcome.NOT_JUSTIFIED):
        raise ValidationFailed({"outcome": "Choose whether the emergency access was justified"})
    if not note.strip():
        raise ValidationFailed({"note": "Write down how you reached the decision"})
    with transaction.atomic():
        review = EmergencyReview.objects.select_for_update().filter(pk=review_id, agency_id=agency_id).first()
        if review is None:
            raise NotFound("No such review")
        if review.outcome != ReviewOutcome.PENDING:
            raise ValidationFailed({"": "This review has already been decided"})
        before = snapshot(review)
        review.outcome = outcome
        review.note = note.strip()
        review.reviewed_by_id = actor.user_id
        review.reviewed_at = clock.now()
        review.save()
        changed(actor, "emergency_review", review, before)
    return review

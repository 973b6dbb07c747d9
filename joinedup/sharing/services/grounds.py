"""The forum and referral facts the policy reads, written by the forums and referrals workflows."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from joinedup.agencies.models import Agency
from joinedup.audit.services import snapshot
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import ValidationFailed
from joinedup.people.models import Person, PersonRecord
from joinedup.sharing.models import Forum, ForumCase, ForumMembership, ReferralAttachment, ReferralLink, ReferralState
from joinedup.sharing.services._common import changed


def forum_membership_start(
    actor: Actor, *, forum: Forum, agency: Agency, starts_at: datetime | None = None
) -> ForumMembership:
    with transaction.atomic():
        membership = ForumMembership.objects.create(forum=forum, agency=agency, starts_at=starts_at or clock.now())
        changed(actor, "forum_membership_start", membership, None)
    return membership


def forum_membership_end(actor: Actor, *, membership: ForumMembership) -> ForumMembership:
    with transaction.atomic():
        before = snapshot(membership)
        membership.ends_at = clock.now()
        membership.save(update_fields=["ends_at", "updated_at"])
        changed(actor, "forum_membership_end", membership, before)
    return membership


def forum_case_open(actor: Actor, *, forum: Forum, person: Person) -> ForumCase:
    """The person becomes a current case of the forum (from acceptance until closed)."""
    if ForumCase.objects.filter(forum=forum, person=person, closed_at__isnull=True).exists():
        raise ValidationFailed({"": "The person is already a current case of this forum"})
    case = ForumCase(
        person=person, recorded_by=forum.host, category=ForumCase.DEFAULT_CATEGORY, forum=forum, opened_at=clock.now()
    )
    with transaction.atomic():
        case.save(force_insert=True)
        changed(actor, "forum_case_open", case, None)
    return case


def forum_case_close(actor: Actor, *, case: ForumCase, outcome: str) -> ForumCase:
    if case.closed_at is not None:
        raise ValidationFailed({"": "This case is already closed"})
    if not outcome.strip():
        raise ValidationFailed({"outcome": "Choose the outcome"})
    with transaction.atomic():
        before = snapshot(case)
        case.closed_at = clock.now()
        case.outcome = outcome
        case.save(update_fields=["closed_at", "outcome", "updated_at"])
        changed(actor, "forum_case_close", case, before)
    return case


def referral_link_open(
    actor: Actor,
    *,
    person: Person,
    from_agency: Agency,
    to_agency: Agency,
    attachments: Sequence[PersonRecord | Person] = (),
) -> ReferralLink:
    """A referral from one agency to another opens a sharing ground limited to what is attached."""
    if from_agency.pk == to_agency.pk:
        raise ValidationFailed({"to_agency": "Refer to another agency"})
    for record in attachments:
        person_id = record.pk if isinstance(record, Person) else record.person_id
        if record.recorded_by_id != from_agency.pk or person_id != person.pk:
            raise ValidationFailed({"attachments": "Attach only your own agency's records about this person"})
    with transaction.atomic():
        link = ReferralLink.objects.create(person=person, from_agency=from_agency, to_agency=to_agency)
        ReferralAttachment.objects.bulk_create(
            ReferralAttachment(link=link, record_type=r._meta.label_lower, record_id=r.pk) for r in attachments
        )
        changed(
            actor, "referral_link_open", link, None, attachments=[f"{r._meta.label_lower}:{r.pk}" for r in attachments]
        )
    return link


def referral_link_set_state(actor: Actor, *, link: ReferralLink, state: str) -> ReferralLink:
    if state not in ReferralState.values:
        raise ValidationFailed({"state": "Unknown referral state"})
    with transaction.atomic():
        before = snapshot(link)
        link.state = state
        link.save(update_fields=["state", "updated_at"])
        changed(actor, "referral_link_state", link, before)
    return link

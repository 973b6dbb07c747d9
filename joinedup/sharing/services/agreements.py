"""Data sharing agreements: drafting, and sign-off by each party's IG lead."""

import uuid
from collections.abc import Sequence
from datetime import date

from django.db import transaction

from joinedup.accounts.roles import RoleCode
from joinedup.agencies.models import Agency, AgencyKind
from joinedup.audit.services import snapshot
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, PermissionDenied, ValidationFailed
from joinedup.core.vocabulary import Category, Purpose
from joinedup.sharing.models import Agreement, AgreementScope, AgreementSignoff, Forum
from joinedup.sharing.models.agreements import LawfulBasis, SpecialCategoryCondition
from joinedup.sharing.services._common import changed, require_agency

# Health and social care information is special category data (UK GDPR Article 9); criminal
# justice information needs Article 10 handling, which a Schedule 1 condition provides.
SPECIAL = {Category.MENTAL_HEALTH, Category.SUBSTANCE_USE, Category.PHYSICAL_HEALTH, Category.SOCIAL_CARE}
LAW_ENFORCEMENT_KINDS = {AgencyKind.POLICE, AgencyKind.PROBATION}


def agreement_create(
    actor: Actor,
    *,
    title: str,
    parties: Sequence[Agency],
    categories: Sequence[str],
    purposes: Sequence[str],
    lawful_basis: str,
    starts_on: date,
    review_on: date,
    ends_on: date | None = None,
    special_category_condition: str = SpecialCategoryCondition.NONE,
    schedule_1_condition: str = "",
    law_enforcement: bool = False,
    reference: str = "",
    description: str = "",
    forums: Sequence[Forum] = (),
) -> Agreement:
    """Draft an agreement; it becomes a ground for sharing only when every party's IG lead signs it off."""
    agency_id = require_agency(actor)
    if not actor.has_role(RoleCode.IG_LEAD):
        raise PermissionDenied("Only an information governance lead can draft a data sharing agreement")
    party_ids = {a.pk for a in parties}
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a title"
    if len(party_ids) < 2 or agency_id not in party_ids:
        errors["parties"] = "Choose at least one other agency as well as your own"
    if not categories or set(categories) - set(Category):
        errors["categories"] = "Choose what information the agreement covers"
    if not purposes or set(purposes) - (set(Purpose) - {Purpose.ANALYTICS}):
        errors["purposes"] = "Choose what the information can be used for"
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Choose the Article 6 lawful basis"
    if set(categories) & SPECIAL and special_category_condition == SpecialCategoryCondition.NONE:
        errors["special_category_condition"] = (
            "Health and social care information is special category data: choose the Article 9 condition"
        )
    if special_category_condition == SpecialCategoryCondition.SUBSTANTIAL_PUBLIC_INTEREST and not schedule_1_condition:
        errors["schedule_1_condition"] = "Name the DPA 2018 Schedule 1 condition for substantial public interest"
    if Category.CRIMINAL_JUSTICE in categories and not (schedule_1_condition.strip() or law_enforcement):
        errors["schedule_1_condition"] = (
            "Criminal justice information needs a DPA 2018 Schedule 1 condition, or Part 3 for law enforcement"
        )
    if law_enforcement and not any(a.kind in LAW_ENFORCEMENT_KINDS for a in parties):
        errors["law_enforcement"] = "Part 3 applies only when police or probation are a party"
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    if review_on < clock.today():
        errors["review_on"] = "The review date must be today or in the future"
    if errors:
        raise ValidationFailed(errors)
    agreement = Agreement(
        title=title.strip(),
        reference=reference.strip(),
        description=description.strip(),
        owner_id=agency_id,
        lawful_basis=lawful_basis,
        special_category_condition=special_category_condition,
        schedule_1_condition=schedule_1_condition.strip(),
        law_enforcement=law_enforcement,
        starts_on=starts_on,
        ends_on=ends_on,
        review_on=review_on,
        created_by_id=actor.user_id,
    )
    with transaction.atomic():
        agreement.save(force_insert=True)
        agreement.parties.set(parties)
        AgreementScope.objects.bulk_create(
            AgreementScope(agreement=agreement, category=c, purpose=p) for c in set(categories) for p in set(purposes)
        )
        Forum.objects.filter(pk__in=[f.pk for f in forums]).update(agreement=agreement)
        changed(
            actor,
            "agreement_create",
            agreement,
            None,
            parties=sorted(str(p) for p in party_ids),
            categories=sorted(categories),
            purposes=sorted(purposes),
        )
    return agreement


def agreement_signoff(actor: Actor, *, agreement_id: uuid.UUID) -> Agreement:
    """The actor, an IG lead of a party, signs the agreement off for their agency."""
    agency_id = require_agency(actor)
    if not actor.has_role(RoleCode.IG_LEAD):
        raise PermissionDenied("Only an information governance lead can sign off an agreement")
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().filter(pk=agreement_id).first()
        if agreement is None:
            raise NotFound("No such agreement")
        parties = set(agreement.parties.values_list("pk", flat=True))
        if agency_id not in parties:
            raise PermissionDenied("Your agency is not a party to this agreement")
        if agreement.signoffs.filter(agency_id=agency_id).exists():
            raise ValidationFailed({"": "Your agency has already signed this agreement off"})
        now = clock.now()
        signoff = AgreementSignoff.objects.create(
            agreement=agreement, agency_id=agency_id, signed_by_id=actor.user_id, signed_at=now
        )
        before = snapshot(agreement)
        if set(agreement.signoffs.values_list("agency_id", flat=True)) == parties:
            agreement.signed_off_at = now
            agreement.save(update_fields=["signed_off_at", "updated_at"])
        changed(actor, "agreement_signoff", agreement, before, signed_by_agency=str(signoff.agency_id))
    return agreement

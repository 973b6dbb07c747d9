"""Every write to sharing: each validated, in one transaction, with its change event."""

from joinedup.sharing.services.agreements import agreement_create, agreement_signoff
from joinedup.sharing.services.consent import ProvisionSpec, consent_record, consent_review, consent_withdraw
from joinedup.sharing.services.emergency import (
    emergency_grant_end,
    emergency_grant_request,
    emergency_review_decide,
    emergency_use_record,
    may_request,
)
from joinedup.sharing.services.grounds import (
    forum_case_close,
    forum_case_open,
    forum_membership_end,
    forum_membership_start,
    referral_link_open,
    referral_link_set_state,
)
from joinedup.sharing.services.notes import case_note_add, sealed_share_add

__all__ = [
    "ProvisionSpec",
    "agreement_create",
    "agreement_signoff",
    "case_note_add",
    "consent_record",
    "consent_review",
    "consent_withdraw",
    "emergency_grant_end",
    "emergency_grant_request",
    "emergency_review_decide",
    "emergency_use_record",
    "forum_case_close",
    "forum_case_open",
    "forum_membership_end",
    "forum_membership_start",
    "may_request",
    "referral_link_open",
    "referral_link_set_state",
    "sealed_share_add",
]

"""The facts the access policy reads: consents, agreements, forum and referral grounds, emergency
grants, explicit shares of sealed records, and the agency case note (ADR 0005)."""

from joinedup.sharing.models.agreements import Agreement, AgreementScope, AgreementSignoff, LawfulBasis
from joinedup.sharing.models.consent import Consent, ConsentProvision, ConsentScope, ConsentStatus, ProvisionKind
from joinedup.sharing.models.emergency import EmergencyGrant, EmergencyReason, EmergencyReview, ReviewOutcome
from joinedup.sharing.models.exports import ExportStatus, SubjectAccessExport
from joinedup.sharing.models.forums import Forum, ForumCase, ForumKind, ForumMembership
from joinedup.sharing.models.records import CaseNote, SealedShare
from joinedup.sharing.models.referrals import ReferralAttachment, ReferralLink, ReferralState

__all__ = [
    "Agreement",
    "AgreementScope",
    "AgreementSignoff",
    "CaseNote",
    "Consent",
    "ConsentProvision",
    "ConsentScope",
    "ConsentStatus",
    "EmergencyGrant",
    "EmergencyReason",
    "EmergencyReview",
    "ExportStatus",
    "Forum",
    "ForumCase",
    "ForumKind",
    "ForumMembership",
    "LawfulBasis",
    "ProvisionKind",
    "ReferralAttachment",
    "ReferralLink",
    "ReferralState",
    "ReviewOutcome",
    "SealedShare",
    "SubjectAccessExport",
]

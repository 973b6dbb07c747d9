"""Consent and case note pages, under the person they belong to."""

from django.urls import URLPattern, URLResolver, path

from joinedup.sharing.views import consent, notes

_CONSENT = "people/<uuid:person_id>/consents/<uuid:consent_id>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("people/<uuid:person_id>/consents/new", consent.consent_new, name="consent_new"),
    path("people/<uuid:person_id>/consents/check", consent.consent_check, name="consent_check"),
    path(f"{_CONSENT}/", consent.consent_detail, name="consent_detail"),
    path(f"{_CONSENT}/withdraw", consent.consent_withdraw_view, name="consent_withdraw"),
    path(f"{_CONSENT}/review", consent.consent_review_view, name="consent_review"),
    path(f"{_CONSENT}/evidence", consent.consent_evidence, name="consent_evidence"),
    path("people/<uuid:person_id>/notes/new", notes.case_note_new, name="case_note_new"),
]

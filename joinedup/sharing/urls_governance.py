"""Routes of information governance and emergency access (namespace "sharing", at the site root)."""

from django.urls import URLPattern, URLResolver, path

from joinedup.sharing.views import emergency, governance

urlpatterns: list[URLPattern | URLResolver] = [
    path("governance/", governance.index, name="governance"),
    path("governance/agreements/", governance.agreement_list, name="agreements"),
    path("governance/agreements/new", governance.agreement_create, name="agreement_create"),
    path("governance/agreements/<uuid:agreement_id>/", governance.agreement_detail, name="agreement_detail"),
    path("governance/agreements/<uuid:agreement_id>/sign-off", governance.agreement_signoff, name="agreement_signoff"),
    path("governance/emergency-reviews/", governance.emergency_reviews, name="emergency_reviews"),
    path("governance/emergency-reviews/<uuid:review_id>/", governance.emergency_review, name="emergency_review"),
    path("emergency-access/find", emergency.find, name="emergency_find"),
    path("people/<uuid:person_id>/emergency-access", emergency.request_access, name="emergency_request"),
    path("people/<uuid:person_id>/emergency-access/end", emergency.end_access, name="emergency_end"),
    path("people/<uuid:person_id>/disclosures", governance.disclosures, name="disclosures"),
    path("people/<uuid:person_id>/subject-access", governance.subject_access, name="subject_access"),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:export_id>.json",
        governance.subject_access_download,
        {"fmt": "json"},
        name="subject_access_json",
    ),
    path(
        "people/<uuid:person_id>/subject-access/<uuid:export_id>.pdf",
        governance.subject_access_download,
        {"fmt": "pdf"},
        name="subject_access_pdf",
    ),
]

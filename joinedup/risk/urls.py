"""Risk pages: a person's risk, the assessment form, a result and its referral offer, and flags."""

from django.urls import path

from joinedup.risk import views

app_name = "risk"

_PERSON = "people/<uuid:person_id>/risk"

urlpatterns = [
    path(f"{_PERSON}/", views.person_risk, name="person"),
    path(f"{_PERSON}/assess/<slug:slug>", views.assess, name="assess"),
    path(f"{_PERSON}/flags/add", views.flag_add, name="flag_add"),
    path("risk/assessments/<uuid:assessment_id>/", views.assessment, name="assessment"),
    path("risk/assessments/<uuid:assessment_id>/refer/<uuid:pathway_id>", views.refer, name="refer"),
    path("risk/flags/<uuid:flag_id>/end", views.flag_end, name="flag_end"),
]

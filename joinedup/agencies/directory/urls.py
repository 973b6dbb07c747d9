"""The public HSDS 3 API, included at /hsds/ (no sign-in: see api.public)."""

from django.urls import path

from joinedup.agencies.directory import api

app_name = "hsds"

urlpatterns = [
    path("", api.about, name="about"),
    path("services", api.services, name="services"),
    path("services/<str:service_id>", api.service, name="service"),
    path("organizations", api.organizations, name="organizations"),
    path("organizations/<str:organization_id>", api.organization, name="organization"),
]

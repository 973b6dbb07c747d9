"""The staff pages of the service directory, included at /directory/ (signed-in staff only)."""

from django.urls import path

from joinedup.agencies.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:service_id>/", views.detail, name="detail"),
]

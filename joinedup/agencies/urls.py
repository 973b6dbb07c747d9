from django.urls import path

from joinedup.agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<uuid:agency_id>/", views.detail, name="detail"),
]

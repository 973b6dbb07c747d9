from django.urls import path

from joinedup.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("agency", views.agency, name="agency"),
    path("<uuid:action_id>/", views.detail, name="detail"),
]

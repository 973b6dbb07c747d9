from django.urls import path

from joinedup.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new", views.create, name="create"),
    path("<uuid:person_id>/", views.detail, name="detail"),
    path("<uuid:person_id>/contact-details/new", views.contact_add, name="contact_add"),
    path("<uuid:person_id>/addresses/new", views.address_add, name="address_add"),
    path("<uuid:person_id>/lead-agency", views.lead_agency, name="lead_agency"),
    path("<uuid:person_id>/involvements/<uuid:involvement_id>/end", views.involvement_end, name="involvement_end"),
]

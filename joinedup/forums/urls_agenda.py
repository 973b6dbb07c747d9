"""Agenda, research, the meeting itself, minutes and the dashboard."""

from django.urls import URLPattern, path

from joinedup.forums.views import agenda as views
from joinedup.forums.views import dashboard

urlpatterns: list[URLPattern] = [
    path("meetings/<uuid:meeting_id>/agenda", views.agenda, name="agenda"),
    path("meetings/<uuid:meeting_id>/agenda/<uuid:item_id>/remove", views.agenda_remove, name="agenda_remove"),
    path("meetings/<uuid:meeting_id>/research", views.research, name="research"),
    path("meetings/<uuid:meeting_id>/pack", views.pack, name="pack"),
    path("meetings/<uuid:meeting_id>/run", views.run, name="run"),
    path("meetings/<uuid:meeting_id>/run/confidentiality", views.confidentiality, name="confidentiality"),
    path("meetings/<uuid:meeting_id>/attendance", views.attendance, name="attendance"),
    path("meetings/<uuid:meeting_id>/cases/<uuid:item_id>", views.case, name="case"),
    path("meetings/<uuid:meeting_id>/minutes", views.minutes, name="minutes"),
    path("meetings/<uuid:meeting_id>/minutes/publish", views.minutes_publish, name="minutes_publish"),
    path("meetings/<uuid:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<uuid:forum_id>/dashboard", dashboard.dashboard, name="dashboard"),
]

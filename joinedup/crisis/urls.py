from django.urls import path

from joinedup.crisis import views

app_name = "crisis"

urlpatterns = [
    path("", views.board, name="board"),
    path("board/rows", views.board_rows, name="board_rows"),
    path("contacts/new", views.log, name="log"),
    path("contacts/find-person", views.find_person, name="find_person"),
    path("contacts/<uuid:contact_id>/", views.detail, name="detail"),
    path("contacts/<uuid:contact_id>/triage", views.triage, name="triage"),
    path("contacts/<uuid:contact_id>/respond", views.respond, name="respond"),
    path("contacts/<uuid:contact_id>/link", views.link, name="link"),
    path("contacts/<uuid:contact_id>/refer", views.refer, name="refer"),
    path("contacts/<uuid:contact_id>/close", views.close, name="close"),
]

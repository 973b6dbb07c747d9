from django.urls import path

from joinedup.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("people/<uuid:person_id>/new", views.create, name="create"),
    path("<uuid:plan_id>/", views.detail, name="detail"),
    path("<uuid:plan_id>/edit", views.edit, name="edit"),
    path("<uuid:plan_id>/goals/new", views.goal, name="goal_add"),
    path("<uuid:plan_id>/goals/<uuid:goal_id>/", views.goal, name="goal_edit"),
    path("<uuid:plan_id>/actions/new", views.action_add, name="action_add"),
    path("<uuid:plan_id>/history", views.versions, name="history"),
    path("<uuid:plan_id>/history/<int:number>", views.compare, name="compare"),
    path("<uuid:plan_id>/my-plan.pdf", views.person_copy, name="person_copy"),
]

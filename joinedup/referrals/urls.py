"""Referral pages: the inbox and what we sent, one referral and its actions, and refer from a person."""

from django.urls import path

from joinedup.referrals import views

app_name = "referrals"

_ONE = "referrals/<uuid:referral_id>"
_REFER = "people/<uuid:person_id>/refer"

urlpatterns = [
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/sent", views.sent, name="sent"),
    path(f"{_ONE}/", views.detail, name="detail"),
    path(f"{_ONE}/send", views.send, name="send"),
    path(f"{_ONE}/acknowledge", views.acknowledge, name="acknowledge"),
    path(f"{_ONE}/accept", views.accept, name="accept"),
    path(f"{_ONE}/decline", views.decline, name="decline"),
    path(f"{_ONE}/handover", views.handover, name="handover"),
    path(f"{_ONE}/close", views.close, name="close"),
    path(f"{_ONE}/withdraw", views.withdraw, name="withdraw"),
    path(f"{_ONE}/again", views.again, name="again"),
    path(_REFER, views.refer, name="refer"),
    path(f"{_REFER}/details", views.refer_details, name="refer_details"),
    path(f"{_REFER}/check", views.refer_check, name="refer_check"),
]

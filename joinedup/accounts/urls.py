from django.urls import path

from joinedup.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.sign_in, name="login"),
    path("sign-out", views.sign_out, name="logout"),
    path("signed-out", views.signed_out, name="signed_out"),
    path("mfa", views.mfa_challenge, name="mfa"),
    path("mfa/set-up", views.mfa_setup, name="mfa_setup"),
    path("session/keep-alive", views.keepalive, name="keepalive"),
    path("session/status", views.session_status, name="session_status"),
    path("password/reset", views.password_reset, name="password_reset"),
    path("password/reset/sent", views.password_reset_sent, name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done", views.password_reset_complete, name="password_reset_complete"),
]

"""Sign in, MFA, sign out, password reset and the session keep-alive."""

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import mfa, services
from joinedup.accounts.actors import actor_for
from joinedup.accounts.forms import CodeForm, SignInForm
from joinedup.accounts.middleware import SESSION_LAST_SEEN, mfa_not_required, not_activity
from joinedup.accounts.models import User

_BAD_CREDENTIALS = "Enter a correct username and password"


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (so that it is validated, not shown blank)."""
    return request.POST if request.method == "POST" else None


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return str(settings.LOGIN_REDIRECT_URL and reverse_lazy(settings.LOGIN_REDIRECT_URL))


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if isinstance(user, User):
            login(request, user)
            services.session_track(user=user, session_key=request.session.session_key or "")
            if not mfa.required():
                return redirect(_safe_next(request))
            request.session["mfa_next"] = _safe_next(request)
            return redirect("accounts:mfa")
        form.add_error(None, _BAD_CREDENTIALS)
    return render(
        request,
        "accounts/sign_in.jinja",
        {"form": form, "title": "Sign in", "next": request.GET.get("next", ""), "error_count": len(form.errors)},
    )


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown for any locked username, existing or not, so it reveals nothing about accounts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.jinja", {"title": "Too many attempts", "minutes": minutes}, status=429)


@mfa_not_required
@require_http_methods(["GET", "POST"])
def mfa_challenge(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator code; or, with no authenticator yet, go to set one up."""
    user = request.user
    assert isinstance(user, User)
    if mfa.session_verified(request):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not user_has_device(user, confirmed=True):
        return redirect("accounts:mfa_setup")
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(request.session.pop("mfa_next", None) or settings.LOGIN_REDIRECT_URL)
        form.add_error("code", "That code is not right. Check your authenticator app and try again")
    return render(
        request,
        "accounts/mfa.jinja",
        {"form": form, "title": "Enter your security code", "error_count": len(form.errors)},
    )


@mfa_not_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user_has_device(user, confirmed=True):
        return redirect("accounts:mfa")
    device = mfa.pending_device(user)
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        actor = actor_for(user, getattr(request, "request_id", ""))
        if services.mfa_confirm(actor, device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(request, "Your authenticator app is set up")
            return redirect(request.session.pop("mfa_next", None) or settings.LOGIN_REDIRECT_URL)
        form.add_error("code", "That code is not right. Check the app shows joinedup and try the newest code")
    context = {
        "form": form,
        "title": "Set up your authenticator app",
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_for_display(device),
        "error_count": len(form.errors),
    }
    return render(request, "accounts/mfa_setup.jinja", context)


@login_not_required
@mfa_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:signed_out")


@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    reason = request.GET.get("reason")
    return render(request, "accounts/signed_out.jinja", {"title": "You have signed out", "reason": reason})


@not_activity
@mfa_not_required
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds until the idle sign-out, for the warning dialog (other tabs may have been active)."""
    last_seen = float(request.session.get(SESSION_LAST_SEEN, time.time()))
    remaining = settings.SESSION_IDLE_TIMEOUT.total_seconds() - (time.time() - last_seen)
    return JsonResponse({"remaining": max(0, int(remaining))})


@not_activity
@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """The "stay signed in" button: resets the idle clock (this view is not counted as activity)."""
    request.session[SESSION_LAST_SEEN] = time.time()
    return HttpResponse(status=204)


class PasswordReset(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.jinja"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")
    extra_context = {"title": "Reset your password"}


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.jinja"
    extra_context = {"title": "Check your email"}


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": "Choose a new password"}


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.jinja"
    extra_context = {"title": "Your password has been changed"}


password_reset = login_not_required(PasswordReset.as_view())
password_reset_sent = login_not_required(PasswordResetSent.as_view())
password_reset_confirm = login_not_required(PasswordResetConfirm.as_view())
password_reset_complete = login_not_required(PasswordResetComplete.as_view())

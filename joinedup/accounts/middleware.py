"""Sign-in, MFA and session-lifetime rules applied to every request."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect

from joinedup.accounts import mfa

SESSION_STARTED = "jdu_started"
SESSION_LAST_SEEN = "jdu_last_seen"


def mfa_not_required[F: Callable[..., Any]](view: F) -> F:
    """Mark a view a signed-in user may reach before passing MFA (the MFA pages, sign-out)."""
    view.mfa_required = False  # type: ignore[attr-defined]
    return view


def not_activity[F: Callable[..., Any]](view: F) -> F:
    """Mark a view whose requests do not count as activity (the session status poll)."""
    view.counts_as_activity = False  # type: ignore[attr-defined]
    return view


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every view needs a signed-in user who has passed MFA, unless marked otherwise."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        refused = super().process_view(request, view_func, view_args, view_kwargs)
        if refused is not None or not request.user.is_authenticated:
            return refused
        if getattr(view_func, "mfa_required", True) and not mfa.session_verified(request):
            return redirect("accounts:mfa")
        return None


class SessionTimeoutMiddleware:
    """Signs a user out after 15 idle minutes or 8 hours in all, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or not hasattr(request, "session"):
            return None
        now = time.time()
        session = request.session
        started = session.setdefault(SESSION_STARTED, now)
        last_seen = session.get(SESSION_LAST_SEEN, now)
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if now - last_seen > idle or now - started > absolute:
            reason = "idle" if now - last_seen > idle else "absolute"
            logout(request)
            return self._signed_out(request, reason)
        if getattr(view_func, "counts_as_activity", True):
            session[SESSION_LAST_SEEN] = now
        return None

    @staticmethod
    def _signed_out(request: HttpRequest, reason: str) -> HttpResponse:
        idle_minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
        absolute_hours = int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600)
        text = {
            "idle": f"You were signed out because you had not done anything for {idle_minutes} minutes.",
            "absolute": f"You were signed out because you had been signed in for {absolute_hours} hours.",
        }[reason]
        if request.path.startswith("/api/") or request.headers.get("HX-Request"):
            # An RFC 9457 problem, like every other API 401 (accounts cannot import api.problems).
            body = {"type": "about:blank", "title": "Sign-in needed", "status": 401, "detail": text}
            response = JsonResponse({**body, "signed_out": reason}, status=401)
            response["Content-Type"] = "application/problem+json"
            return response
        messages.info(request, text)
        return redirect(settings.LOGIN_URL)

"""API authentication: the browser's session (after MFA, with CSRF) or a per-user bearer token."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from joinedup.accounts import mfa, tokens


class SessionWithMfa(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated and request.user.is_active and mfa.session_verified(request):
            return request.user
        return None


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.user_for_token(token)
        if user is not None:
            request.user = user
        return user

"""Real sign-in flows through the test client, and helpers to compare pages."""

import re
from datetime import UTC, datetime
from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.tests.factories import PASSWORD

SIGN_IN = "/account/sign-in"
MFA = "/account/mfa"
MFA_SETUP = "/account/mfa/set-up"
SIGN_OUT = "/account/sign-out"
STATUS = "/account/session/status"
KEEP_ALIVE = "/account/session/keep-alive"
AGENCIES_API = "/api/v1/agencies"
# An ordinary page that needs sign-in and MFA, and is cheaper to render than the home page's queues.
PAGE = "/agencies/"

# A fixed, ordinary weekday morning, so that TOTP steps and the clocks are predictable.
START = datetime(2026, 3, 10, 9, 0, 0, tzinfo=UTC)

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
_NONCE = re.compile(r'nonce="[^"]*"')


def code_for(device: TOTPDevice) -> str:
    """The authenticator app's current code for `device` (at the time-machine's time)."""
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(device.digits)


def wrong_code_for(device: TOTPDevice) -> str:
    """A well-formed code that is not the current one (nor the one either side of it)."""
    right = int(code_for(device))
    return str((right + 500_000) % 1_000_000).zfill(6)


def post_sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str | None = None) -> Any:
    data = {"username": username, "password": password}
    path = SIGN_IN
    if next_url is not None:
        data["next"] = next_url
    return client.post(path, data)


def post_code(client: Client, code: str, path: str = MFA) -> Any:
    return client.post(path, {"code": code})


def sign_in_with_mfa(client: Client, username: str, device: TOTPDevice) -> Any:
    """Password then security code, as a person would; returns the response to the code."""
    response = post_sign_in(client, username)
    assert response.status_code == 302, response.content
    assert response["Location"] == MFA
    return post_code(client, code_for(device))


def normalised(response: Any, *secrets: str) -> str:
    """The page with per-response tokens (CSRF, CSP nonce) and the given strings blanked out."""
    text = response.content.decode()
    text = _CSRF.sub('name="csrfmiddlewaretoken" value="-"', text)
    text = _NONCE.sub('nonce="-"', text)
    for secret in secrets:
        text = text.replace(secret, "<blank>")
    return text

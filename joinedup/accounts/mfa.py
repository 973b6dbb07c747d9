"""TOTP multi-factor authentication (django-otp): required for every account outside the demo."""

import base64

import segno
from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import User


def required() -> bool:
    return not settings.DEMO_MODE


def satisfied_by_enrolment(user: User) -> bool:
    """For bearer tokens: the account must have MFA set up (tokens stand in for the code)."""
    return not required() or user_has_device(user, confirmed=True)


def session_verified(request: HttpRequest) -> bool:
    """Has this browser session passed MFA (or is MFA not required here)?"""
    if not required():
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, made on first visit and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """The key as base32, grouped in fours, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code for your authenticator app")

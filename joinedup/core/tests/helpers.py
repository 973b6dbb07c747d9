"""Test helpers shared by every app's tests."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.actors import actor_for
from joinedup.accounts.models import User
from joinedup.core.actor import Actor


def sign_in(client: Client, user: User) -> Client:
    """Sign `user` in on `client` as if they had passed MFA with a confirmed authenticator."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def actor(user: User) -> Actor:
    return actor_for(user, "test-request")

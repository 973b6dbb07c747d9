"""Fixtures for the accounts tests: a second browser, authenticators, quick hashers, demo mode."""

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import User
from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.accounts.tests.hashers import QUICK_HASHERS
from joinedup.agencies.models import AgencyKind
from joinedup.agencies.tests.factories import AgencyFactory, TeamFactory
from joinedup.conftest import HttpsClient


@pytest.fixture(autouse=True)
def quick_hashers(settings: Any) -> None:
    """Argon2 still, with low work factors (see hashers.py); production keeps its own."""
    settings.PASSWORD_HASHERS = QUICK_HASHERS


@pytest.fixture
def other_client() -> Client:
    """A second browser, for "signed in elsewhere" checks."""
    return HttpsClient()


@pytest.fixture
def user(request: pytest.FixtureRequest, db: None) -> User:
    """The mental health practitioner persona: the partnership's own when the test has one, else
    the same persona alone (most account tests need one person, not a whole partnership)."""
    if "partnership" in request.fixturenames:
        return request.getfixturevalue("partnership").practitioner  # type: ignore[no-any-return]
    agency = AgencyFactory(name="Northshire Mental Health", kind=AgencyKind.NHS_MENTAL_HEALTH)
    team = TeamFactory(agency=agency, name="North Locality Team")
    return UserFactory(username="mh.practitioner", agency=agency, team=team, roles=[RoleCode.PRACTITIONER])


@pytest.fixture
def device(user: User) -> TOTPDevice:
    """A confirmed authenticator app for `user`."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.fixture
def demo_mode(settings: Any) -> None:
    """DEMO_MODE on, with the demo routes the page layout links to (routed at import time)."""
    settings.DEMO_MODE = True
    settings.ROOT_URLCONF = "joinedup.accounts.tests.demo_urls"

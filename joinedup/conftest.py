"""Fixtures every test can use: a small partnership with one persona per agency and role."""

from dataclasses import dataclass

import pytest
from django.test import Client

from joinedup.accounts.models import User
from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.agencies.models import Agency, AgencyKind, Sector
from joinedup.agencies.tests.factories import AgencyFactory, TeamFactory
from joinedup.core.tests.helpers import sign_in

# The browser harness's fixtures, once for every app: each import in a lower conftest would make its
# own session of chromium, and Playwright's sync API allows only one at a time.
from joinedup.web.tests.browser import accounts, app_server, browsing, chromium  # noqa: F401


@dataclass
class Partnership:
    mental_health: Agency
    housing: Agency
    police: Agency
    substance_use: Agency
    voluntary: Agency
    practitioner: User  # mental health
    housing_officer: User
    police_officer: User
    substance_worker: User
    volunteer: User  # voluntary sector
    mh_ig_lead: User
    analyst: User
    system_admin: User


@pytest.fixture
def partnership(db: None) -> Partnership:
    mh = AgencyFactory(name="Northshire Mental Health", kind=AgencyKind.NHS_MENTAL_HEALTH)
    housing = AgencyFactory(name="Northshire Housing", kind=AgencyKind.HOUSING)
    police = AgencyFactory(name="Northshire Police", kind=AgencyKind.POLICE)
    substance = AgencyFactory(name="Northshire Recovery", kind=AgencyKind.SUBSTANCE_USE, sector=Sector.VOLUNTARY)
    voluntary = AgencyFactory(name="Northshire Peer Support", kind=AgencyKind.VOLUNTARY_SECTOR, sector=Sector.VOLUNTARY)
    mh_team = TeamFactory(agency=mh, name="North Locality Team")
    return Partnership(
        mental_health=mh,
        housing=housing,
        police=police,
        substance_use=substance,
        voluntary=voluntary,
        practitioner=UserFactory(username="mh.practitioner", agency=mh, team=mh_team, roles=[RoleCode.PRACTITIONER]),
        housing_officer=UserFactory(username="housing.officer", agency=housing, roles=[RoleCode.PRACTITIONER]),
        police_officer=UserFactory(username="police.officer", agency=police, roles=[RoleCode.PRACTITIONER]),
        substance_worker=UserFactory(username="recovery.worker", agency=substance, roles=[RoleCode.PRACTITIONER]),
        volunteer=UserFactory(username="peer.volunteer", agency=voluntary, roles=[RoleCode.VOLUNTEER]),
        mh_ig_lead=UserFactory(username="mh.ig", agency=mh, roles=[RoleCode.IG_LEAD]),
        analyst=UserFactory(username="analyst", agency=mh, roles=[RoleCode.ANALYST]),
        system_admin=UserFactory(username="admin", agency=mh, roles=[RoleCode.SYSTEM_ADMIN]),
    )


class HttpsClient(Client):
    """Django's test client, always over HTTPS as production is (plain HTTP is redirected)."""

    def generic(self, method, path, data="", content_type="application/octet-stream", secure=True, **extra):  # type: ignore[no-untyped-def]
        return super().generic(method, path, data, content_type, secure=True, **extra)


@pytest.fixture
def client() -> Client:
    return HttpsClient()


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """`client_for(user)`: the test client, signed in as that user with MFA passed."""

    def _sign_in(user: User) -> Client:
        client.logout()
        return sign_in(client, user)

    return _sign_in


# Rows the migrations seed, which every test expects and a flush removes.
SEEDED_BY_MIGRATIONS = (
    ("joinedup.accounts.migrations.0002_default_roles", "add_roles"),
    ("joinedup.people.migrations.0002_involvement_categories", "add_defaults"),
)


@pytest.fixture
def _audit_triggers_restored(django_db_blocker):  # type: ignore[no-untyped-def]
    """Set up before `transactional_db`, so its teardown runs after the flush: put the triggers back,
    and the rows the migrations seeded (the roles), for the transactional tests that follow."""
    yield
    import importlib

    from django.apps import apps
    from django.db import connection

    from joinedup.audit import triggers

    with django_db_blocker.unblock():
        triggers.install(connection)
        for module, function in SEEDED_BY_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def committed_db(_audit_triggers_restored, transactional_db):  # type: ignore[no-untyped-def]
    """Real commits, for tests of concurrency between connections. The append-only audit tables
    would refuse the flush that empties the database afterwards, so their triggers are lifted for it."""
    yield
    from django.db import connection

    from joinedup.audit import triggers

    triggers.uninstall(connection)

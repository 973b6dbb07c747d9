"""A crisis hub beside the shared test partnership: its workers, a DBI service to refer to, and
people the hub knows and does not know."""

import datetime
from dataclasses import dataclass

import pytest

from joinedup.accounts.models import User
from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.agencies.models import Agency, AgencyKind, Sector
from joinedup.agencies.tests.factories import AgencyFactory
from joinedup.core import clock
from joinedup.core.tests.helpers import actor
from joinedup.crisis import services
from joinedup.crisis.models import CrisisContact
from joinedup.people.models import Person
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory
from joinedup.referrals.models import Pathway
from joinedup.referrals.tests.factories import PathwayFactory


@dataclass
class Hub:
    crisis: Agency
    worker: User
    colleague: User
    manager: User  # of the crisis agency, without the crisis worker role
    dbi: Agency
    dbi_worker: User
    other_hub: Agency
    other_worker: User  # a crisis worker of another crisis service
    dbi_pathway: Pathway
    known: Person  # a person the hub is working with
    stranger: Person  # a person only mental health knows


@pytest.fixture
def hub(partnership) -> Hub:
    crisis = AgencyFactory(name="Northshire Crisis Hub", kind=AgencyKind.CRISIS)
    dbi = AgencyFactory(name="Harbour DBI", kind=AgencyKind.DBI_CRISIS_CENTRE, sector=Sector.VOLUNTARY)
    other = AgencyFactory(name="Southshire Crisis Line", kind=AgencyKind.CRISIS)
    known = PersonFactory(given_name="Rowan", family_name="Hale", recorded_by=crisis)
    InvolvementFactory(person=known, agency=crisis)
    stranger = PersonFactory(given_name="Quinn", family_name="Ashby", recorded_by=partnership.mental_health)
    InvolvementFactory(person=stranger, agency=partnership.mental_health)
    return Hub(
        crisis=crisis,
        worker=UserFactory(username="crisis.worker", agency=crisis, roles=[RoleCode.CRISIS_WORKER]),
        colleague=UserFactory(username="crisis.colleague", agency=crisis, roles=[RoleCode.CRISIS_WORKER]),
        manager=UserFactory(username="crisis.manager", agency=crisis, roles=[RoleCode.MANAGER]),
        dbi=dbi,
        dbi_worker=UserFactory(username="dbi.worker", agency=dbi, roles=[RoleCode.PRACTITIONER]),
        other_hub=other,
        other_worker=UserFactory(username="south.crisis", agency=other, roles=[RoleCode.CRISIS_WORKER]),
        dbi_pathway=PathwayFactory(name="Distress Brief Intervention", to_agency=dbi),
        known=known,
        stranger=stranger,
    )


def log_contact(user: User, **overrides: object) -> CrisisContact:
    values: dict[str, object] = {
        "channel": "phone",
        "received_at": clock.now() - datetime.timedelta(minutes=5),
        "presenting_need": "Feels unable to keep herself safe tonight",
        "caller_description": "Woman, 30s, calling from a phone box",
    }
    return services.contact_log(actor(user), **(values | overrides))  # type: ignore[arg-type]

"""A person the recovery service works with, beside the risk conference (forums' `conference`
fixture), and the conference's referral pathway that recovery may refer through."""

from dataclasses import dataclass

import pytest
import time_machine

from joinedup.core import clock
from joinedup.forums.tests.conftest import RiskConference, conference  # noqa: F401
from joinedup.people.models import Person
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory
from joinedup.referrals.models import Pathway, PathwayKind
from joinedup.referrals.tests.factories import PathwayFactory
from joinedup.risk import catalogue
from joinedup.risk.models import RiskTool


@pytest.fixture(autouse=True)
def pinned():
    """A fixed today, so ages, review dates and flag expiry read the same on any day."""
    with time_machine.travel(clock.now(), tick=False):
        yield


@dataclass
class RiskSetting:
    person: Person  # recorded by recovery, who works with them
    pathway: Pathway  # into the risk conference, from its member agencies
    da: RiskTool
    mh: RiskTool
    conference: RiskConference


@pytest.fixture
def setting(partnership, conference) -> RiskSetting:  # noqa: F811
    p = partnership
    person = PersonFactory(given_name="Alex", family_name="Rowe", recorded_by=p.substance_use)
    InvolvementFactory(person=person, agency=p.substance_use)
    pathway = PathwayFactory(
        name="Refer to the Northshire Risk Conference",
        kind=PathwayKind.FORUM,
        forum=conference.forum,
        to_agency=p.police,
        requires_risk_summary=True,
    )
    pathway.from_agencies.set([p.substance_use, p.mental_health, p.housing])
    da, mh = catalogue.tool_get("domestic_abuse"), catalogue.tool_get("mental_health_crisis")
    assert da is not None and mh is not None
    return RiskSetting(person, pathway, da, mh, conference)

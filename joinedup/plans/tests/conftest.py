"""A person that mental health and housing both work with, and a care plan mental health wrote."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from joinedup.core.tests.helpers import actor
from joinedup.people.models import Person
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory
from joinedup.plans import services
from joinedup.plans.models import Plan

# A fixed day, so review dates and "overdue" mean the same on every run.
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def pinned_clock(request):
    if request.node.get_closest_marker("browser"):
        yield  # the browser journey's server keeps real time, and so must its sign-in codes
        return
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@dataclass
class Shared:
    person: Person
    plan: Plan


@pytest.fixture
def shared(partnership) -> Shared:
    p = partnership
    person = PersonFactory(given_name="Robin", family_name="Planfield", recorded_by=p.mental_health)
    InvolvementFactory(person=person, agency=p.mental_health, key_worker=p.practitioner)
    InvolvementFactory(person=person, agency=p.housing)
    plan, _ = services.plan_create(
        actor(p.practitioner),
        person=person,
        kind="care_support",
        title="Robin's care and support plan",
        strengths="Good with people; keeps the allotment going",
        what_matters="Keeping my flat and seeing my sister",
        review_on=TODAY + datetime.timedelta(days=60),
    )
    return Shared(person=person, plan=plan)

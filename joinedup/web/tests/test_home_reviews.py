"""The practitioner's home page lists the reviews coming up for their own caseload: plans due within
two weeks or overdue, and their agency's risk assessments older than the tool's review interval."""

import datetime

import pytest
import time_machine

from joinedup.audit.models import AccessEvent
from joinedup.core.tests.helpers import actor
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory
from joinedup.plans import services as plan_services
from joinedup.risk import catalogue
from joinedup.risk import services as risk_services
from joinedup.risk.tests.answers import answers_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 12)
# Everything is written four days before the page is read, so a review date then ahead can be past now.
WRITTEN = datetime.datetime(2026, 5, 8, 9, 0, tzinfo=datetime.UTC)
READ = datetime.datetime(2026, 5, 12, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(WRITTEN, tick=False) as traveller:
        yield traveller


def _days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def _plan(p, person, title: str, review_in_days: int) -> None:
    plan_services.plan_create(
        actor(p.practitioner),
        person=person,
        kind="care_support",
        title=title,
        status="active",
        review_on=TODAY + datetime.timedelta(days=review_in_days),
    )


def _screen(user, person, days_ago: int, slug: str = "mental_health_crisis") -> None:
    tool = catalogue.tool_get(slug)
    assert tool is not None
    risk_services.assessment_complete(
        actor(user), person=person, tool=tool, answers=answers_for(tool.spec), assessed_on=_days_ago(days_ago)
    )


def test_home_lists_plans_and_assessments_due_for_the_practitioners_own_caseload(client_for, partnership, pinned):
    p = partnership
    mine = PersonFactory(given_name="Ash", family_name="Keeling", recorded_by=p.mental_health)
    InvolvementFactory(person=mine, agency=p.mental_health, key_worker=p.practitioner)
    InvolvementFactory(person=mine, agency=p.housing)
    renewed = PersonFactory(given_name="Bo", family_name="Renwick", recorded_by=p.mental_health)
    InvolvementFactory(person=renewed, agency=p.mental_health, key_worker=p.practitioner)
    colleagues = PersonFactory(given_name="Cy", family_name="Otherly", recorded_by=p.mental_health)
    InvolvementFactory(person=colleagues, agency=p.mental_health)  # the agency's, but no key worker

    _plan(p, mine, "Ash's plan, due next week", 7)
    _plan(p, mine, "Ash's plan, overdue", -3)
    _plan(p, mine, "Ash's plan, due in two months", 60)
    _plan(p, colleagues, "Cy's plan, due next week", 7)
    _screen(p.practitioner, mine, 40)  # the crisis screen is reviewed every 30 days: due
    _screen(p.practitioner, mine, 10, "domestic_abuse")  # reviewed every 90 days: not yet
    _screen(p.housing_officer, mine, 200)  # housing's own series is housing's to review
    _screen(p.practitioner, renewed, 40)
    _screen(p.practitioner, renewed, 5)  # superseded: only the newest of a series counts

    pinned.move_to(READ)
    body = client_for(p.practitioner).get("/").content.decode()
    reviews = body[body.index('id="reviews-heading"') : body.index("</section>", body.index('id="reviews-heading"'))]

    assert "Ash&#39;s plan, due next week" in reviews and "Ash&#39;s plan, overdue" in reviews
    assert "Overdue" in reviews
    # Whole names: Faker's staff names could hold a short fragment by chance.
    assert "two months" not in reviews and "Cy Otherly" not in reviews and "Cy&#39;s plan" not in reviews
    assert "Bo Renwick" not in reviews
    assert reviews.count("Mental health crisis risk screen") == 1 and "1 month ago" in reviews
    assert "Domestic abuse" not in reviews
    # Each record shown was read through the policy, and the reads are on the audit trail.
    assert AccessEvent.objects.filter(person_id=mine.pk, route="/", outcome="allowed").count() >= 3


def test_a_caseload_with_nothing_due_says_so(client_for, partnership):
    body = client_for(partnership.practitioner).get("/").content.decode()
    assert "Reviews due" in body
    assert "No plan or risk assessment of the people on your caseload is due for review" in body

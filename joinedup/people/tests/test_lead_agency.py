"""Team around the person: which involved agency leads, agreed and recorded with its history."""

import datetime

import pytest
import time_machine

from joinedup.audit.models import ChangeEvent
from joinedup.core import clock
from joinedup.core.errors import ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.people import services
from joinedup.people.models import LeadAgency
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

# A fixed day, so that "today" and "tomorrow" cannot change under a run that crosses midnight.
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _midday():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=clock.LONDON), tick=False):
        yield


@pytest.fixture
def person(partnership):
    person = PersonFactory(given_name="Ash", family_name="Rowe", recorded_by=partnership.mental_health)
    InvolvementFactory(person=person, agency=partnership.mental_health, starts_on=TODAY - datetime.timedelta(days=90))
    InvolvementFactory(person=person, agency=partnership.voluntary, starts_on=TODAY - datetime.timedelta(days=30))
    return person


def _form(agency, day=TODAY, agreed_by="forum", note=""):
    return {
        "agency": str(agency.pk),
        "starts_on_day": day.day,
        "starts_on_month": day.month,
        "starts_on_year": day.year,
        "agreed_by": agreed_by,
        "note": note,
    }


def test_an_involved_agency_records_the_lead_and_the_page_shows_it(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    url = f"/people/{person.pk}/lead-agency"
    form = client.get(url).content.decode()
    assert "Northshire Mental Health" in form and "Northshire Peer Support" in form
    response = client.post(url, _form(partnership.voluntary, note="Peer support leads while housing is sorted"))
    assert response.status_code == 302
    body = client.get(f"/people/{person.pk}/").content.decode()
    assert "Lead agency:</strong> Northshire Peer Support" in body
    assert "agreed at a multi-agency forum" in body
    assert "Peer support leads while housing is sorted" in body
    lead = LeadAgency.objects.get(person=person)
    assert (lead.recorded_by, lead.category) == (partnership.mental_health, "coordination")
    assert ChangeEvent.objects.filter(action="lead_agency_agree", object_id=str(lead.pk)).exists()


def test_a_new_lead_keeps_the_history(client_for, partnership, person):
    services.lead_agency_agree(
        actor(partnership.practitioner),
        person=person,
        agency=partnership.mental_health,
        starts_on=TODAY - datetime.timedelta(days=20),
        agreed_by="practitioners",
    )
    services.lead_agency_agree(
        actor(partnership.practitioner),
        person=person,
        agency=partnership.voluntary,
        starts_on=TODAY,
        agreed_by="person",
    )
    body = client_for(partnership.practitioner).get(f"/people/{person.pk}/").content.decode()
    assert "Lead agency:</strong> Northshire Peer Support" in body
    assert "Lead agency before" in body and "agreed between the practitioners involved" in body


def test_the_lead_must_be_working_with_the_person_and_the_date_not_in_the_future(partnership, person):
    who = actor(partnership.practitioner)
    with pytest.raises(ValidationFailed) as error:
        services.lead_agency_agree(who, person=person, agency=partnership.police, starts_on=TODAY, agreed_by="forum")
    assert "must be working with the person" in str(error.value.errors["agency"])
    with pytest.raises(ValidationFailed) as error:
        services.lead_agency_agree(
            who,
            person=person,
            agency=partnership.voluntary,
            starts_on=TODAY - datetime.timedelta(days=60),  # before peer support was involved
            agreed_by="forum",
        )
    assert "agency" in error.value.errors
    with pytest.raises(ValidationFailed):
        services.lead_agency_agree(
            who,
            person=person,
            agency=partnership.voluntary,
            starts_on=TODAY + datetime.timedelta(days=1),
            agreed_by="forum",
        )
    assert not LeadAgency.objects.exists()


def test_an_agency_not_working_with_the_person_cannot_record_the_lead(client_for, partnership, person):
    with pytest.raises(ValidationFailed):
        services.lead_agency_agree(
            actor(partnership.housing_officer),
            person=person,
            agency=partnership.voluntary,
            starts_on=TODAY,
            agreed_by="forum",
        )
    # Housing cannot see this person at all: the page is a plain 404, like any unseen record.
    assert client_for(partnership.housing_officer).get(f"/people/{person.pk}/lead-agency").status_code == 404


def test_a_future_date_on_the_form_is_refused_and_what_was_typed_is_kept(client_for, partnership, person):
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client_for(partnership.practitioner).post(
        f"/people/{person.pk}/lead-agency", _form(partnership.voluntary, day=tomorrow, note="Kept note")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "must be today or in the past" in body and "Kept note" in body
    assert not LeadAgency.objects.exists()


def test_the_api_lists_the_lead_agencies_you_may_see(client_for, partnership, person):
    services.lead_agency_agree(
        actor(partnership.practitioner), person=person, agency=partnership.voluntary, starts_on=TODAY, agreed_by="forum"
    )
    data = client_for(partnership.practitioner).get(f"/api/v1/people/{person.pk}").json()
    [lead] = data["lead_agencies"]
    assert lead["agency"]["name"] == "Northshire Peer Support"
    assert "own_agency" in lead["grounds"]

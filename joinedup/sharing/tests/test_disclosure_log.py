"""The disclosure log: for an IG lead's agency and one person, who saw which of the agency's records,
when (UK time), and on what ground. IG leads only; the person must exist for them."""

import datetime
import html
import uuid

import pytest
import time_machine

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core.errors import NotFound
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.people.tests.factories import AddressFactory, ContactDetailFactory, InvolvementFactory, PersonFactory
from joinedup.sharing import policy, services

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as text a person reads (names like O'Neil come back unescaped)."""
    return html.unescape(response.content.decode())


SUMMER_NOON_UTC = datetime.datetime(2027, 7, 1, 12, 0, tzinfo=datetime.UTC)  # BST: 1pm in London


@pytest.fixture
def jo(partnership):
    """Jo Marsh: mental health recorded her and a phone number, and referred her to housing with it."""
    p = partnership
    person = PersonFactory(given_name="Jo", family_name="Marsh", recorded_by=p.mental_health)
    InvolvementFactory(person=person, agency=p.mental_health)
    InvolvementFactory(person=person, agency=p.housing)
    phone = ContactDetailFactory(person=person, recorded_by=p.mental_health, value="07700 900111")
    AddressFactory(person=person, recorded_by=p.mental_health, kind="refuge", sealed=True, line1="Hidden House")
    ContactDetailFactory(person=person, recorded_by=p.housing, value="07700 900222")
    services.referral_link_open(
        actor(p.practitioner), person=person, from_agency=p.mental_health, to_agency=p.housing, attachments=[phone]
    )
    return person


def _log(client, person, **params):
    return client.get(f"/people/{person.pk}/disclosures", params)


def test_the_log_lists_who_saw_the_agencys_records(client_for, partnership, jo):
    p = partnership
    with time_machine.travel(SUMMER_NOON_UTC, tick=False) as traveller:
        policy.access_person(actor(p.practitioner), jo.pk, Purpose.DIRECT_CARE, route="/people/jo/")
        traveller.shift(datetime.timedelta(minutes=30))
        policy.access_person(actor(p.housing_officer), jo.pk, Purpose.DIRECT_CARE, route="/people/jo/")
        with pytest.raises(NotFound):  # the police cannot see her: a denied event
            policy.access_person(actor(p.police_officer), jo.pk, Purpose.DIRECT_CARE)
        traveller.shift(datetime.timedelta(hours=1))
        body = text_of(_log(client_for(p.mh_ig_lead), jo))

    assert "Jo Marsh" in body
    # Two reads by staff, and the IG lead's own look at her name for this page (it is a read too).
    assert "3 times your agency's records were shown" in body
    assert "Information governance lead, Northshire Mental Health (your agency)" in body
    # The housing officer: name, agency, role; when in UK time (BST); which of our records; why.
    housing_row = body.split(p.housing_officer.get_full_name())[1].split("</tr>")[0]
    assert "Practitioner, Northshire Housing" in housing_row
    assert "Contact detail: Mobile phone 07700 900111" in housing_row
    assert "Identity: Jo Marsh" in housing_row
    assert "attached to a referral to their agency" in housing_row
    assert "Direct care" in housing_row
    assert "1 July 2027 at 1:30pm" in body.split(p.housing_officer.get_full_name())[0].rsplit("<tr", 1)[1]
    # Our own practitioner too, marked as ours, with the sealed address (our own record) named vaguely.
    assert p.practitioner.get_full_name() in body and "(your agency)" in body
    assert "Refuge (sealed)" in body and "Hidden House" not in body
    # Newest first; nothing of housing's own records; no denied attempts.
    assert body.index(p.housing_officer.get_full_name()) < body.index(p.practitioner.get_full_name())
    assert "07700 900222" not in body
    assert p.police_officer.get_full_name() not in body


def test_each_agency_sees_only_its_own_records_in_its_log(client_for, partnership, jo):
    p = partnership
    housing_ig = UserFactory(username="housing.ig", agency=p.housing, roles=[RoleCode.IG_LEAD])
    policy.access_person(actor(p.practitioner), jo.pk, Purpose.DIRECT_CARE)
    body = text_of(_log(client_for(housing_ig), jo))
    # The mental health practitioner did not see housing's records: housing's log is empty of them.
    assert p.practitioner.get_full_name() not in body
    policy.access_person(actor(p.housing_officer), jo.pk, Purpose.DIRECT_CARE)
    body = text_of(_log(client_for(housing_ig), jo))
    assert p.housing_officer.get_full_name() in body and "07700 900222" in body
    assert "07700 900111" not in body  # mental health's phone is not housing's to log


def test_the_log_pages(client_for, partnership, jo, settings):
    settings.PAGE_SIZE = 2
    for _ in range(5):
        policy.access_person(actor(partnership.practitioner), jo.pk, Purpose.DIRECT_CARE)
    client = client_for(partnership.mh_ig_lead)
    first = text_of(_log(client, jo))
    assert "Page 2 of" in first
    assert _log(client, jo, page="3").status_code == 200
    assert _log(client, jo, page="x").status_code == 200  # nonsense page numbers fall back to the first


def test_only_ig_leads_and_only_for_people_they_can_see(client_for, partnership, jo):
    p = partnership
    assert _log(client_for(p.practitioner), jo).status_code == 404
    police_ig = UserFactory(username="police.ig", agency=p.police, roles=[RoleCode.IG_LEAD])
    response = _log(client_for(police_ig), jo)
    assert response.status_code == 404 and "Jo Marsh" not in text_of(response)
    denied = AccessEvent.objects.filter(actor_user_id=police_ig.pk, person_id=jo.pk).get()
    assert (denied.outcome, denied.purpose) == (Outcome.DENIED, Purpose.GOVERNANCE)
    assert client_for(p.mh_ig_lead).get(f"/people/{uuid.uuid4()}/disclosures").status_code == 404


def test_viewing_the_log_is_itself_audited(client_for, partnership, jo):
    policy.access_person(actor(partnership.housing_officer), jo.pk, Purpose.DIRECT_CARE)
    _log(client_for(partnership.mh_ig_lead), jo)
    mine = AccessEvent.objects.filter(actor_user_id=partnership.mh_ig_lead.pk, outcome=Outcome.ALLOWED)
    assert mine.exists()
    assert {e.purpose for e in mine} == {Purpose.GOVERNANCE}
    refs = {r["ref"] for e in mine for r in e.records}
    assert f"people.person:{jo.pk}" in refs  # her name, and the records the page labels


def test_the_ig_lead_reaches_the_log_from_the_person_page(client_for, partnership, jo):
    body = text_of(client_for(partnership.mh_ig_lead).get(f"/people/{jo.pk}/"))
    assert f"/people/{jo.pk}/disclosures" in body and f"/people/{jo.pk}/subject-access" in body
    body = text_of(client_for(partnership.practitioner).get(f"/people/{jo.pk}/"))
    assert f"/people/{jo.pk}/disclosures" not in body

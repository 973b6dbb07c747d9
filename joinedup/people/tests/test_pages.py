import datetime

import pytest

from joinedup.audit.models import AccessEvent, Outcome
from joinedup.people.models import Person
from joinedup.people.tests.factories import AddressFactory, InvolvementFactory, PersonFactory, next_nhs_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(partnership):
    person = PersonFactory(given_name="Jo", family_name="Marsh", recorded_by=partnership.mental_health)
    InvolvementFactory(
        person=person, agency=partnership.mental_health, key_worker_name="Sam Key", key_worker_phone="0300 555 0000"
    )
    InvolvementFactory(person=person, agency=partnership.housing)
    AddressFactory(
        person=person, recorded_by=partnership.mental_health, kind="refuge", sealed=True, line1="Hidden House"
    )
    return person


def test_person_page_shows_identity_team_and_why(client_for, partnership, person):
    response = client_for(partnership.practitioner).get(f"/people/{person.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Jo Marsh" in body
    number = person.nhs_number
    assert f"{number[:3]} {number[3:6]} {number[6:]}" in body
    assert "Team around the person" in body and "Sam Key" in body
    assert "Northshire Housing" not in body  # a housing involvement is housing information
    assert "Hidden House" in body and "(sealed)" in body
    assert "You can see this because" in body


def test_involved_agency_sees_identity_but_not_the_sealed_address(client_for, partnership, person):
    body = client_for(partnership.housing_officer).get(f"/people/{person.pk}/").content.decode()
    assert "Jo Marsh" in body
    assert "Hidden House" not in body
    assert "Northshire Mental Health" not in body  # a mental health involvement is mental health information


def test_uninvolved_agency_gets_a_plain_404(client_for, partnership, person):
    response = client_for(partnership.police_officer).get(f"/people/{person.pk}/")
    assert response.status_code == 404
    assert "Jo Marsh" not in response.content.decode()
    assert AccessEvent.objects.filter(outcome=Outcome.DENIED, person_id=person.pk).count() == 1


def test_search_page_lists_and_pages(client_for, partnership, person):
    body = client_for(partnership.practitioner).get("/people/", {"q": "marsh"}).content.decode()
    assert "1 person found" in body and "Jo Marsh" in body
    assert "Jo Marsh" not in client_for(partnership.police_officer).get("/people/", {"q": "marsh"}).content.decode()


def test_search_ignores_a_nonsense_page_number(client_for, partnership, person):
    response = client_for(partnership.practitioner).get("/people/", {"q": "marsh", "page": "x"})
    assert response.status_code == 200


def test_people_pages_are_hidden_from_roles_without_them(client_for, partnership):
    assert client_for(partnership.analyst).get("/people/").status_code == 404
    assert client_for(partnership.system_admin).get("/people/new").status_code == 404


def test_add_person_form_shows_errors_and_keeps_what_was_typed(client_for, partnership):
    data = {
        "given_name": "Robin",
        "family_name": "Vale",
        "nhs_number": "123 456 7890",
        "date_of_birth_day": "31",
        "date_of_birth_month": "2",
        "date_of_birth_year": "1990",
        "gender": "not_known",
    }
    response = client_for(partnership.practitioner).post("/people/new", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Date of birth must be a real date" in body
    assert 'value="Robin"' in body and 'value="Vale"' in body
    assert not Person.objects.filter(family_name="Vale").exists()


def test_add_person_form_checks_the_nhs_number(client_for, partnership):
    data = {"given_name": "Robin", "family_name": "Vale", "nhs_number": "999 000 0000", "gender": "not_known"}
    body = client_for(partnership.practitioner).post("/people/new", data).content.decode()
    assert "That is not a valid NHS number" in body
    assert 'href="#id_nhs_number"' in body  # the error summary links to the field


def test_add_person_form_refuses_a_future_birth_date(client_for, partnership):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    data = {
        "given_name": "Robin",
        "family_name": "Vale",
        "date_of_birth_day": str(tomorrow.day),
        "date_of_birth_month": str(tomorrow.month),
        "date_of_birth_year": str(tomorrow.year),
        "gender": "not_known",
    }
    body = client_for(partnership.practitioner).post("/people/new", data).content.decode()
    assert "Date of birth must be today or in the past" in body


def test_add_person_then_see_them(client_for, partnership):
    number = next_nhs_number()
    data = {"given_name": "Robin", "family_name": "Vale", "nhs_number": number, "gender": "female"}
    client = client_for(partnership.practitioner)
    response = client.post("/people/new", data)
    person = Person.objects.get(family_name="Vale")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert "Robin Vale" in client.get(response["Location"]).content.decode()


def test_add_a_sealed_address(client_for, partnership, person):
    client = client_for(partnership.housing_officer)
    data = {"kind": "refuge", "line1": "Safe Place", "town": "Northby", "sealed": "on"}
    assert client.post(f"/people/{person.pk}/addresses/new", data).status_code == 302
    assert "Safe Place" in client.get(f"/people/{person.pk}/").content.decode()
    assert "Safe Place" not in client_for(partnership.practitioner).get(f"/people/{person.pk}/").content.decode()


def test_forms_for_an_unseen_person_are_404(client_for, partnership, person):
    client = client_for(partnership.police_officer)
    assert client.get(f"/people/{person.pk}/contact-details/new").status_code == 404
    data = {"kind": "mobile", "value": "07700 900000"}
    assert client.post(f"/people/{person.pk}/contact-details/new", data).status_code == 404


def test_end_own_involvement_only(client_for, partnership, person):
    peer = InvolvementFactory(person=person, agency=partnership.voluntary)  # coordination: others may see it
    today = datetime.date.today()
    data = {"ends_on_day": today.day, "ends_on_month": today.month, "ends_on_year": today.year}
    url = f"/people/{person.pk}/involvements/{peer.pk}/end"
    assert client_for(partnership.practitioner).post(url, data).status_code == 404  # visible, but not theirs
    housing = InvolvementFactory._meta.model.objects.get(person=person, agency=partnership.housing)
    hidden_url = f"/people/{person.pk}/involvements/{housing.pk}/end"
    assert client_for(partnership.practitioner).post(hidden_url, data).status_code == 404
    assert client_for(partnership.housing_officer).post(hidden_url, data).status_code == 302

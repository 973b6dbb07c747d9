import pytest

from joinedup.people.tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_header_shows_the_users_agency_and_role(client_for, partnership):
    body = client_for(partnership.housing_officer).get("/").content.decode()
    assert "Practitioner, Northshire Housing" in body
    assert 'action="/account/sign-out"' in body


def test_practitioner_home_is_their_caseload(client_for, partnership):
    person = PersonFactory(given_name="Lee", family_name="Hart", recorded_by=partnership.mental_health)
    InvolvementFactory(person=person, agency=partnership.mental_health, key_worker=partnership.practitioner)
    body = client_for(partnership.practitioner).get("/").content.decode()
    assert "Your caseload" in body and "Lee Hart" in body


def test_analyst_home_is_aggregates_only(client_for, partnership):
    person = PersonFactory(given_name="Lee", family_name="Hart", recorded_by=partnership.mental_health)
    InvolvementFactory(person=person, agency=partnership.mental_health)
    body = client_for(partnership.analyst).get("/").content.decode()
    assert "The partnership in numbers" in body
    assert "fewer than 5" in body
    assert "Lee Hart" not in body and "People" not in [t.strip() for t in body.split(">")]


def test_ig_lead_and_admin_homes(client_for, partnership):
    assert "Information governance" in client_for(partnership.mh_ig_lead).get("/").content.decode()
    assert "active accounts" in client_for(partnership.system_admin).get("/").content.decode()


def test_agency_directory_and_detail(client_for, partnership):
    client = client_for(partnership.volunteer)
    body = client.get("/agencies/").content.decode()
    assert "Northshire Police" in body and "Northshire Housing" in body
    filtered = client.get("/agencies/", {"kind": "police"}).content.decode()
    assert "Northshire Police" in filtered and "Northshire Housing" not in filtered
    assert client.get(f"/agencies/{partnership.police.pk}/").status_code == 200
    assert client.get("/agencies/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_pages_carry_a_strict_content_security_policy(client_for, partnership):
    response = client_for(partnership.practitioner).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https(partnership):
    from django.test import Client

    response = Client().get("/account/sign-in")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_unknown_page_is_a_friendly_404(client_for, partnership):
    response = client_for(partnership.practitioner).get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()

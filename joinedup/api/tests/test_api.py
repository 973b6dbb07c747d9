"""The JSON API: same policy, audit and 404 rules as the pages; errors as problem JSON."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import services as account_services
from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core.actor import SYSTEM
from joinedup.people.tests.factories import AddressFactory, InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(partnership):
    person = PersonFactory(given_name="Jo", family_name="Marsh", recorded_by=partnership.mental_health)
    InvolvementFactory(person=person, agency=partnership.mental_health)
    InvolvementFactory(person=person, agency=partnership.housing)
    AddressFactory(person=person, recorded_by=partnership.mental_health, sealed=True, line1="Hidden House")
    return person


def _bearer(user, *, enrolled: bool = True) -> dict[str, str]:
    if enrolled:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _, plain = account_services.api_token_create(SYSTEM, user=user, name="test")
    return {"Authorization": f"Bearer {plain}"}


def test_openapi_document_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/agencies"} <= set(spec["paths"])


def test_no_api_path_ends_in_a_slash(client):
    """One spelling for every collection: `/api/v1/forums`, as `/api/v1/people`, not `/api/v1/forums/`."""
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert "/api/v1/forums" in paths
    assert sorted(p for p in paths if p.endswith("/")) == []


def test_agencies_list(client_for, partnership):
    names = [a["name"] for a in client_for(partnership.volunteer).get("/api/v1/agencies").json()]
    assert "Northshire Police" in names


def test_person_detail_with_grounds(client_for, partnership, person):
    data = client_for(partnership.housing_officer).get(f"/api/v1/people/{person.pk}").json()
    assert data["identity"]["family_name"] == "Marsh"
    assert data["identity"]["grounds"] == ["involvement"]
    assert data["addresses"] == []  # the sealed address is mental health's alone
    assert [i["agency"]["name"] for i in data["involvements"]] == ["Northshire Housing"]


def test_forbidden_person_is_a_404_problem_and_audited(client_for, partnership, person):
    response = client_for(partnership.police_officer).get(f"/api/v1/people/{person.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {"type": "about:blank", "title": "Not found", "status": 404, "detail": "No such person"}
    assert AccessEvent.objects.filter(person_id=person.pk, outcome=Outcome.DENIED).exists()
    missing = client_for(partnership.police_officer).get("/api/v1/people/00000000-0000-0000-0000-000000000000")
    assert missing.json() == response.json()


def test_search_pages_and_audits(client_for, partnership, person):
    data = client_for(partnership.practitioner).get("/api/v1/people", {"q": "marsh"}).json()
    assert data["count"] == 1 and data["pages"] == 1
    assert data["results"][0]["id"] == str(person.pk)
    assert AccessEvent.objects.filter(person_id=person.pk, outcome=Outcome.ALLOWED).count() == 1
    assert client_for(partnership.police_officer).get("/api/v1/people", {"q": "marsh"}).json()["count"] == 0


def test_bad_query_parameter_names_the_field(client_for, partnership):
    response = client_for(partnership.practitioner).get("/api/v1/people", {"page": "two"})
    assert response.status_code == 422
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["errors"][0]["field"] == "page"


def test_bad_path_parameter_is_a_problem_not_a_500(client_for, partnership):
    response = client_for(partnership.practitioner).get("/api/v1/people/not-a-uuid")
    assert response.status_code in (404, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_bearer_token_reads_with_the_same_rules(client, partnership, person):
    headers = _bearer(partnership.housing_officer)
    response = client.get(f"/api/v1/people/{person.pk}", headers=headers)
    assert response.status_code == 200
    assert response.json()["identity"]["family_name"] == "Marsh"
    police = _bearer(partnership.police_officer)
    assert client.get(f"/api/v1/people/{person.pk}", headers=police).status_code == 404


def test_token_of_a_user_without_mfa_is_refused(client, partnership):
    # Tokens obey the account's MFA state: no confirmed authenticator, no API access.
    headers = _bearer(partnership.housing_officer, enrolled=False)
    response = client.get("/api/v1/agencies", headers=headers)
    assert response.status_code == 401


def test_session_api_writes_need_csrf(client_for, partnership):
    # No write endpoints yet; a session POST to a read route is refused without a 500.
    response = client_for(partnership.practitioner).post("/api/v1/people", {})
    assert response.status_code in (403, 405)

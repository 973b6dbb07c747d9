"""Crisis contacts over the API: policy and 404s as the pages, ETag / If-Match, Idempotency-Key."""

import datetime
import json

import pytest

from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core import clock
from joinedup.crisis.models import ContactReferral, CrisisContact
from joinedup.crisis.tests.conftest import log_contact

pytestmark = pytest.mark.django_db

NEW = {
    "channel": "ambulance",
    "presenting_need": "Crew with a young man who took an overdose an hour ago",
    "caller_description": "Man, about 20, at the bus station",
    "caller_name": "Paramedic Jones",
}


def _post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def _patch(client, path, body, **headers):
    return client.patch(path, json.dumps(body), content_type="application/json", **headers)


def test_log_then_read_with_an_etag(client_for, hub):
    client = client_for(hub.worker)
    response = _post(client, "/api/v1/crisis/contacts", NEW)
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["ETag"] == 'W/"1"'
    assert (data["status"], data["person"], data["grounds"]) == ("open", None, ["own_agency"])
    assert data["recorded_by"]["name"] == "Northshire Crisis Hub"
    got = client.get(f"/api/v1/crisis/contacts/{data['id']}")
    assert got.status_code == 200 and got["ETag"] == 'W/"1"'
    assert got.json()["caller_description"] == "Man, about 20, at the bus station"
    assert got.json()["waiting_minutes"] == 0


def test_an_idempotent_replay_logs_one_contact(client_for, hub):
    client = client_for(hub.worker)
    first = _post(client, "/api/v1/crisis/contacts", NEW, HTTP_IDEMPOTENCY_KEY="call-42")
    again = _post(client, "/api/v1/crisis/contacts", NEW, HTTP_IDEMPOTENCY_KEY="call-42")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert CrisisContact.objects.count() == 1
    other = _post(client, "/api/v1/crisis/contacts", NEW | {"presenting_need": "x"}, HTTP_IDEMPOTENCY_KEY="call-42")
    assert other.status_code == 422  # the same key for a different request


def test_a_stale_update_is_a_412_with_the_current_etag(client_for, hub):
    contact = log_contact(hub.worker)
    url = f"/api/v1/crisis/contacts/{contact.pk}"
    colleague = client_for(hub.colleague)
    ok = _patch(colleague, url, {"notes": "Rang back"}, HTTP_IF_MATCH='W/"1"')
    assert ok.status_code == 200 and ok["ETag"] == 'W/"2"' and ok.json()["notes"] == "Rang back"
    worker = client_for(hub.worker)
    stale = _patch(worker, url, {"notes": "Mine"}, HTTP_IF_MATCH='W/"1"')
    assert stale.status_code == 412
    assert stale["ETag"] == 'W/"2"' and stale["Content-Type"] == "application/problem+json"
    assert "crisis.colleague" in stale.json()["detail"] and stale.json()["current_version"] == 2
    missing = _patch(worker, url, {"notes": "Mine"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "If-Match"
    assert CrisisContact.objects.get().notes == "Rang back"


def test_triage_outcome_response_and_close_over_the_api(client_for, hub):
    contact = log_contact(hub.worker)
    client = client_for(hub.worker)
    url = f"/api/v1/crisis/contacts/{contact.pk}"
    refused = _post(client, f"{url}/close", {}, HTTP_IF_MATCH='W/"1"')
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "triage_outcome", "message": "Choose the triage outcome before you close the contact"}
    ]
    responded = _post(client, f"{url}/respond", {}, HTTP_IF_MATCH='W/"1"')
    assert responded.status_code == 200 and responded.json()["response_minutes"] == 5
    triaged = _patch(client, url, {"triage_outcome": "community_triage"}, HTTP_IF_MATCH='W/"2"')
    assert triaged.json()["triage_outcome"] == "community_triage"
    closed = _post(client, f"{url}/close", {"note": "Advice given to the officer"}, HTTP_IF_MATCH='W/"3"')
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get("/api/v1/crisis/contacts").json() == {"count": 0, "results": []}


def test_a_future_received_time_names_the_field(client_for, hub):
    future = (clock.now() + datetime.timedelta(hours=1)).isoformat()
    response = _post(client_for(hub.worker), "/api/v1/crisis/contacts", NEW | {"received_at": future})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "received_at", "message": "The time the contact came in must be now or in the past"}
    ]


def test_the_list_is_the_board(client_for, hub, partnership):
    newer = log_contact(hub.worker, received_at=clock.now() - datetime.timedelta(minutes=1))
    older = log_contact(hub.worker, received_at=clock.now() - datetime.timedelta(minutes=20))
    log_contact(hub.other_worker)
    data = client_for(hub.worker).get("/api/v1/crisis/contacts").json()
    assert [r["id"] for r in data["results"]] == [str(older.pk), str(newer.pk)] and data["count"] == 2
    assert client_for(partnership.practitioner).get("/api/v1/crisis/contacts").status_code == 404


def test_another_agency_gets_a_404_until_linked_then_only_per_policy(client_for, hub, partnership):
    contact = log_contact(hub.worker)
    url = f"/api/v1/crisis/contacts/{contact.pk}"
    dbi = client_for(hub.dbi_worker)
    hidden = dbi.get(url)
    assert hidden.status_code == 404 and hidden.json()["detail"] == "No such contact"
    assert dbi.get("/api/v1/crisis/contacts/00000000-0000-0000-0000-000000000000").json() == hidden.json()
    assert AccessEvent.objects.filter(outcome=Outcome.DENIED, person_id=None).count() == 2
    worker = client_for(hub.worker)
    linked = _post(worker, f"{url}/link", {"person_id": str(hub.known.pk)}, HTTP_IF_MATCH='W/"1"')
    assert linked.status_code == 200 and linked.json()["person"]["name"] == "Rowan Hale"
    assert client_for(hub.dbi_worker).get(url).status_code == 404  # linked, but DBI has no ground yet
    referral = _post(
        client_for(hub.worker),
        f"{url}/referrals",
        {
            "pathway_id": str(hub.dbi_pathway.pk),
            "urgency_id": str(hub.dbi_pathway.urgencies.get(name="Urgent").pk),
            "reason": "Agreed to DBI support",
            "risk_summary": "None known",
            "sharing_basis": "vital_interests",
            "sharing_note": "Distress tonight",
        },
        HTTP_IF_MATCH='W/"2"',
        HTTP_IDEMPOTENCY_KEY="refer-1",
    )
    assert referral.status_code == 201, referral.content
    body = referral.json()
    assert body["referral"]["to_agency"]["name"] == "Harbour DBI" and body["referral"]["state"] == "sent"
    assert [r["id"] for r in body["contact"]["referrals"]] == [body["referral"]["id"]]
    assert ContactReferral.objects.count() == 1
    seen = client_for(hub.dbi_worker).get(url)
    assert seen.status_code == 200 and seen.json()["grounds"] == ["referral"]
    assert client_for(hub.other_worker).get(url).status_code == 404


def test_link_creates_a_person_over_the_api(client_for, hub):
    contact = log_contact(hub.worker)
    response = _post(
        client_for(hub.worker),
        f"/api/v1/crisis/contacts/{contact.pk}/link",
        {"new_person": {"given_name": "Ada", "family_name": "Finch", "date_of_birth": "1994-05-01"}},
        HTTP_IF_MATCH='W/"1"',
    )
    assert response.status_code == 200 and response.json()["person"]["name"] == "Ada Finch"
    both = _post(
        client_for(hub.worker),
        f"/api/v1/crisis/contacts/{log_contact(hub.worker).pk}/link",
        {},
        HTTP_IF_MATCH='W/"1"',
    )
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "person_id"


def test_only_crisis_workers_write(client_for, hub):
    response = _post(client_for(hub.manager), "/api/v1/crisis/contacts", NEW)
    assert response.status_code == 403
    contact = log_contact(hub.worker)
    response = _patch(
        client_for(hub.other_worker), f"/api/v1/crisis/contacts/{contact.pk}", {"notes": "x"}, HTTP_IF_MATCH='W/"1"'
    )
    assert response.status_code == 404


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/crisis/contacts", "/api/v1/crisis/contacts/{contact_id}"} <= set(paths)
    assert {"get", "patch"} <= set(paths["/api/v1/crisis/contacts/{contact_id}"])

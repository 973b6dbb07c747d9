"""The agenda API: 404 for those who may not see, Idempotency-Key replays, 412 on a stale discussion."""

import datetime

import pytest
import time_machine

from joinedup.forums.models import AgendaItem

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    # Autouse, so the clock stops before any other fixture: a role granted "later" is not yet in force.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def conf(conference):
    return conference


def _add(client, conf, person, key="k1"):
    return client.post(
        f"/api/v1/forums/meetings/{conf.meeting.pk}/agenda",
        {"person_id": str(person.pk), "kind": "new", "risk_level": 3},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_listing_is_idempotent_and_others_see_only_what_they_may(client_for, partnership, conf):
    client = client_for(conf.coordinator)
    first, again = _add(client, conf, conf.person), _add(client, conf, conf.person)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert AgendaItem.objects.filter(meeting=conf.meeting).count() == 1
    assert _add(client, conf, conf.outsider, key="k2").status_code == 404
    housing = client_for(conf.members["housing"].representative)
    listed = housing.get(f"/api/v1/forums/meetings/{conf.meeting.pk}/agenda").json()
    assert listed["count"] == 1, listed
    assert _add(housing, conf, conf.second, key="k3").status_code == 404  # a member does not build the agenda
    outsider = client_for(partnership.volunteer)
    assert outsider.get(f"/api/v1/forums/meetings/{conf.meeting.pk}/agenda").status_code == 404


def test_a_stale_discussion_save_is_412(client_for, conf):
    client = client_for(conf.coordinator)
    item = _add(client, conf, conf.person).json()["id"]
    url = f"/api/v1/forums/agenda/{item}/discussion"
    etag = client.get(url)["ETag"]
    body = {"summary": "First note-taker"}
    saved = client.put(url, body, content_type="application/json", headers={"If-Match": etag})
    assert saved.status_code == 200 and saved["ETag"] == 'W/"1"'
    stale = client.put(url, {"summary": "Second"}, content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 412
    assert client.get(url).json()["summary"] == "First note-taker"


def test_research_and_attendance(client_for, conf):
    _add(client_for(conf.coordinator), conf, conf.person)
    housing = client_for(conf.members["housing"].representative)
    sent = housing.post(
        f"/api/v1/forums/meetings/{conf.meeting.pk}/research",
        {"person_id": str(conf.person.pk), "knows": "Tenant"},
        content_type="application/json",
    )
    assert sent.status_code == 201 and sent.json()["version"] == 1
    client = client_for(conf.coordinator)
    url = f"/api/v1/forums/meetings/{conf.meeting.pk}/attendance"
    row = {"agency_id": str(conf.members["housing"].agency_id), "status": "present", "attendee_name": "A. Officer"}
    assert client.put(url, {"results": [row]}, content_type="application/json").status_code == 200
    assert client.get(url).json()["results"] == [row]
    assert client_for(conf.members["housing"].representative).get(url).status_code == 404

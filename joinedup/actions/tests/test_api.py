import datetime
import json

import pytest
import time_machine

from joinedup.actions.models import Action
from joinedup.actions.tests.factories import forum_action
from joinedup.audit.models import AccessEvent
from joinedup.core import clock

pytestmark = pytest.mark.django_db


def _post(client, path, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **headers)


@pytest.fixture
def pinned():
    with time_machine.travel(clock.now(), tick=False):
        yield


def test_read_is_audited_under_the_forum_purpose_and_forbidden_is_404(pinned, client_for, partnership, conference):
    action = forum_action(conference, owner=partnership.housing, owner_user=partnership.housing_officer)
    got = client_for(partnership.housing_officer).get(f"/api/v1/actions/{action.pk}")
    assert got.status_code == 200
    assert got["ETag"] == 'W/"1"'
    assert AccessEvent.objects.filter(person_id=conference.person.pk, purpose="forum", outcome="allowed").exists()
    assert client_for(partnership.volunteer).get(f"/api/v1/actions/{action.pk}").status_code == 404
    assert AccessEvent.objects.filter(person_id=conference.person.pk, outcome="denied").count() == 1
    mine = client_for(partnership.housing_officer).get("/api/v1/actions/mine").json()
    assert [r["id"] for r in mine["results"]] == [str(action.pk)]


def test_create_is_idempotent_and_names_bad_fields(pinned, client_for, partnership, conference):
    client = client_for(conference.coordinator)
    body = {
        "person": str(conference.person.pk),
        "description": "Share the safety plan",
        "owner_agency": str(partnership.mental_health.pk),
        "due_on": (clock.today() + datetime.timedelta(days=3)).isoformat(),
        "source": "forum",
    }
    first = _post(client, "/api/v1/actions", body, HTTP_IDEMPOTENCY_KEY="act-1")
    again = _post(client, "/api/v1/actions", body, HTTP_IDEMPOTENCY_KEY="act-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Action.objects.count() == 1
    bad = _post(client, "/api/v1/actions", body | {"description": "", "due_on": "2001-01-01"})
    assert bad.status_code == 422
    assert "description" in bad.content.decode()
    assert _post(client, "/api/v1/actions", "{not json").status_code in (400, 422)


def test_a_stale_change_is_412(pinned, client_for, partnership, conference):
    action = forum_action(conference, owner=partnership.housing)
    client = client_for(partnership.housing_officer)
    moved = _post(
        client,
        f"/api/v1/actions/{action.pk}/carry-forward",
        {"reason": "circumstances_changed", "new_due_on": (clock.today() + datetime.timedelta(days=20)).isoformat()},
        HTTP_IF_MATCH='W/"1"',
    )
    assert moved.status_code == 200
    assert moved["ETag"] == 'W/"2"'
    stale = _post(client, f"/api/v1/actions/{action.pk}/complete", {"note": "Done"}, HTTP_IF_MATCH='W/"1"')
    assert stale.status_code == 412
    assert (
        _post(
            client_for(partnership.volunteer),
            f"/api/v1/actions/{action.pk}/complete",
            {"note": "x"},
            HTTP_IF_MATCH='W/"2"',
        ).status_code
        == 404
    )

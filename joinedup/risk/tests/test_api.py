import datetime
import json

import pytest

from joinedup.audit.models import AccessEvent, ChangeEvent
from joinedup.core import clock
from joinedup.risk.models import Assessment, Flag
from joinedup.risk.tests.answers import answers_for

pytestmark = pytest.mark.django_db


def _post(client, path, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **headers)


def test_tools_are_listed_with_their_definitions(client_for, partnership):
    tools = client_for(partnership.substance_worker).get("/api/v1/risk/tools").json()
    assert {t["slug"] for t in tools} == {"domestic_abuse", "mental_health_crisis"}
    da = next(t for t in tools if t["slug"] == "domestic_abuse")
    assert da["version"] == 2 and len(da["definition"]["groups"]) == 5


def test_complete_is_idempotent_audited_and_names_bad_answers(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    url = f"/api/v1/risk/people/{setting.person.pk}/assessments"
    body = {"tool": "domestic_abuse", "answers": answers_for(setting.da.spec, yes=15)}
    first = _post(client, url, body, HTTP_IDEMPOTENCY_KEY="da-1")
    again = _post(client, url, body, HTTP_IDEMPOTENCY_KEY="da-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert first.json()["final_level"] == "high" and first.json()["score"] == 15
    assert Assessment.objects.count() == 1
    assert ChangeEvent.objects.filter(action="assessment_complete").count() == 1
    bad = _post(client, url, {"tool": "domestic_abuse", "answers": {"injured": "perhaps"}})
    assert bad.status_code == 422 and "injured" in bad.content.decode()
    lower = _post(client, url, body | {"judgement_level": "medium", "judgement_reasons": "x"})
    assert lower.status_code == 422 and "never lower" in lower.content.decode()
    assert _post(client, url, "{not json").status_code in (400, 422)
    assert _post(client, url, body | {"tool": "horoscope"}).status_code == 422
    listed = client.get(url).json()
    assert [a["id"] for a in listed] == [first.json()["id"]]
    assert AccessEvent.objects.filter(person_id=setting.person.pk, outcome="allowed", route=url).exists()


def test_a_stale_series_is_412(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    url = f"/api/v1/risk/people/{setting.person.pk}/assessments"
    body = {"tool": "mental_health_crisis", "answers": answers_for(setting.mh.spec, plan_or_intent="yes")}
    made = _post(client, url, body, HTTP_IF_MATCH='W/"0"')
    assert made.status_code == 201 and made.json()["final_level"] == "high" and made["ETag"] == 'W/"1"'
    assert _post(client, url, body, HTTP_IF_MATCH='W/"0"').status_code == 412


def test_if_match_on_a_series_not_yet_begun_is_a_clear_412(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    url = f"/api/v1/risk/people/{setting.person.pk}/assessments"
    body = {"tool": "domestic_abuse", "answers": answers_for(setting.da.spec, yes=2)}
    refused = _post(client, url, body, HTTP_IF_MATCH='W/"3"')
    assert refused.status_code == 412 and "no earlier assessment" in refused.json()["detail"]
    assert not Assessment.objects.exists()


def test_forbidden_is_404_with_a_denied_event(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    made = _post(
        client,
        f"/api/v1/risk/people/{setting.person.pk}/assessments",
        {"tool": "domestic_abuse", "answers": answers_for(setting.da.spec)},
    ).json()
    stranger = client_for(partnership.housing_officer)
    assert stranger.get(f"/api/v1/risk/assessments/{made['id']}").status_code == 404
    assert stranger.get(f"/api/v1/risk/people/{setting.person.pk}/assessments").status_code == 404
    assert stranger.get(f"/api/v1/risk/people/{setting.person.pk}/flags").status_code == 404
    posted = _post(
        stranger,
        f"/api/v1/risk/people/{setting.person.pk}/flags",
        {"kind": "risk_to_staff", "reason": "x", "ends_on": clock.today().isoformat()},
        HTTP_IDEMPOTENCY_KEY="f-x",
    )
    assert posted.status_code == 404
    assert AccessEvent.objects.filter(person_id=setting.person.pk, outcome="denied").count() == 4
    assert not Flag.objects.exists()


def test_flags_add_end_and_412(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    until = (clock.today() + datetime.timedelta(days=60)).isoformat()
    body = {"kind": "domestic_abuse", "reason": "Partner on bail for assault", "ends_on": until}
    first = _post(client, f"/api/v1/risk/people/{setting.person.pk}/flags", body, HTTP_IDEMPOTENCY_KEY="flag-1")
    again = _post(client, f"/api/v1/risk/people/{setting.person.pk}/flags", body, HTTP_IDEMPOTENCY_KEY="flag-1")
    assert (first.status_code, again.status_code) == (201, 201) and Flag.objects.count() == 1
    flag = first.json()
    assert (flag["category"], flag["state"], flag["starts_on"]) == (
        "safeguarding",
        "current",
        clock.today().isoformat(),
    )
    end = f"/api/v1/risk/flags/{flag['id']}/end"
    assert _post(client, end, {"reason": "Bail ended"}).status_code == 422  # If-Match is required
    ended = _post(client, end, {"reason": "Bail ended"}, HTTP_IF_MATCH='W/"1"')
    assert ended.status_code == 200 and ended.json()["state"] == "ended" and ended["ETag"] == 'W/"2"'
    assert _post(client, end, {"reason": "Again"}, HTTP_IF_MATCH='W/"1"').status_code == 412
    got = client.get(f"/api/v1/risk/flags/{flag['id']}")
    assert got["ETag"] == 'W/"2"' and got.json()["end_reason"] == "Bail ended"
    stranger = client_for(partnership.housing_officer)
    assert _post(stranger, end, {"reason": "x"}, HTTP_IF_MATCH='W/"2"').status_code == 404

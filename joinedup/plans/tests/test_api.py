import datetime
import json

import pytest

from joinedup.audit.models import AccessEvent, ChangeEvent
from joinedup.plans.models import Goal, Plan
from joinedup.plans.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def _send(client, method, path, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(path, data, content_type="application/json", **headers)


def test_get_a_plan_with_goals_and_an_etag_audited_and_404_when_forbidden(client_for, partnership, shared):
    Goal.objects.create(plan=shared.plan, description="Keep the allotment")
    got = client_for(partnership.housing_officer).get(f"/api/v1/plans/{shared.plan.pk}")
    assert got.status_code == 200 and got["ETag"] == 'W/"1"'
    body = got.json()
    assert body["kind"] == "care_support" and [g["description"] for g in body["goals"]] == ["Keep the allotment"]
    assert AccessEvent.objects.filter(person_id=shared.person.pk, outcome="allowed", route__contains="/plans/").exists()
    assert client_for(partnership.police_officer).get(f"/api/v1/plans/{shared.plan.pk}").status_code == 404
    assert AccessEvent.objects.filter(person_id=shared.person.pk, outcome="denied").count() == 1


def test_a_persons_plans_and_404_for_someone_unseen(client_for, partnership, shared):
    listed = client_for(partnership.housing_officer).get(f"/api/v1/plans/people/{shared.person.pk}").json()
    assert [r["id"] for r in listed["results"]] == [str(shared.plan.pk)]
    assert client_for(partnership.police_officer).get(f"/api/v1/plans/people/{shared.person.pk}").status_code == 404


def test_create_is_idempotent_and_a_past_review_date_is_refused_clearly(client_for, partnership, shared):
    client = client_for(partnership.practitioner)
    body = {
        "person": str(shared.person.pk),
        "kind": "crisis",
        "early_warning_signs": "Not sleeping, stop answering the phone",
        "review_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
    }
    first = _send(client, "post", "/api/v1/plans", body, HTTP_IDEMPOTENCY_KEY="plan-1")
    again = _send(client, "post", "/api/v1/plans", body, HTTP_IDEMPOTENCY_KEY="plan-1")
    assert (first.status_code, again.status_code) == (201, 201) and first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Plan.objects.filter(person=shared.person, kind="crisis").count() == 1
    assert first.json()["title"] == "Crisis plan"
    past = _send(client, "post", "/api/v1/plans", body | {"review_on": "2026-03-09"})
    assert past.status_code == 422
    assert "review date must be today or in the future" in json.dumps(past.json())
    malformed = _send(client, "post", "/api/v1/plans", '{"person": ')
    assert malformed.status_code in (400, 422) and malformed["Content-Type"] == "application/problem+json"
    unseen = _send(client_for(partnership.police_officer), "post", "/api/v1/plans", body, HTTP_IDEMPOTENCY_KEY="plan-2")
    assert unseen.status_code == 404


def test_update_needs_if_match_and_a_stale_one_is_412(client_for, partnership, shared):
    client = client_for(partnership.housing_officer)
    path = f"/api/v1/plans/{shared.plan.pk}"
    missing = _send(client, "patch", path, {"strengths": "Kind"})
    assert missing.status_code == 422 and "If-Match" in json.dumps(missing.json())
    ok = _send(client, "patch", path, {"strengths": "Kind", "status": "active"}, HTTP_IF_MATCH='W/"1"')
    assert ok.status_code == 200 and ok["ETag"] == 'W/"2"' and ok.json()["strengths"] == "Kind"
    stale = _send(client_for(partnership.practitioner), "patch", path, {"strengths": "Mine"}, HTTP_IF_MATCH='W/"1"')
    assert stale.status_code == 412 and "housing.officer" in json.dumps(stale.json())
    assert Plan.objects.get(pk=shared.plan.pk).strengths == "Kind"
    assert ChangeEvent.objects.filter(action="plan_update", object_id=str(shared.plan.pk)).count() == 1
    bad = _send(client, "patch", path, {"status": "finished"}, HTTP_IF_MATCH='W/"2"')
    assert bad.status_code == 422
    outsider = _send(client_for(partnership.police_officer), "patch", path, {"strengths": "x"}, HTTP_IF_MATCH='W/"2"')
    assert outsider.status_code == 404


def test_goals_add_idempotently_and_update_with_their_own_etag(client_for, partnership, shared):
    client = client_for(partnership.practitioner)
    path = f"/api/v1/plans/{shared.plan.pk}/goals"
    body = {"description": "Sleep through the night", "measure": "Five nights in seven"}
    first = _send(client, "post", path, body, HTTP_IDEMPOTENCY_KEY="goal-1")
    again = _send(client, "post", path, body, HTTP_IDEMPOTENCY_KEY="goal-1")
    assert first.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert Goal.objects.filter(plan=shared.plan).count() == 1
    goal = first.json()["id"]
    changed = _send(client, "patch", f"{path}/{goal}", {"status": "in_progress"}, HTTP_IF_MATCH='W/"1"')
    assert changed.status_code == 200 and changed["ETag"] == 'W/"2"'
    stale = _send(client, "patch", f"{path}/{goal}", {"status": "achieved"}, HTTP_IF_MATCH='W/"1"')
    assert stale.status_code == 412
    read = client.get(f"{path}/{goal}")
    assert read["ETag"] == 'W/"2"' and read.json()["status"] == "in_progress"
    past = _send(client, "post", path, {"description": "x", "target_on": "2020-01-01"})
    assert past.status_code == 422 and "target date" in json.dumps(past.json())
    police = client_for(partnership.police_officer)
    assert _send(police, "post", path, body).status_code == 404
    assert police.get(f"{path}/{goal}").status_code == 404


def test_naming_an_agency_the_caller_may_not_see_working_with_the_person_is_refused_like_any_stranger(
    client_for, partnership, shared
):
    """Whether an agency works with the person is itself a record (a substance use service's
    involvement is substance use information): the API must not confirm it by accepting it as a lead
    agency or an action's owner when the caller could not see it on the form."""
    from joinedup.people.tests.factories import InvolvementFactory

    InvolvementFactory(person=shared.person, agency=partnership.substance_use)
    client = client_for(partnership.housing_officer)
    path = f"/api/v1/plans/{shared.plan.pk}"
    answers = []
    for agency in (partnership.police, partnership.substance_use):  # not involved; involved but unseen
        sent = _send(client, "patch", path, {"lead_agency": str(agency.pk)}, HTTP_IF_MATCH='W/"1"')
        answers.append((sent.status_code, sent.json()))
    assert answers[0] == answers[1] and answers[0][0] == 422
    assert "lead_agency" in json.dumps(answers[0][1])
    made = _send(
        client,
        "post",
        "/api/v1/plans",
        {"person": str(shared.person.pk), "kind": "care_support", "lead_agency": str(partnership.substance_use.pk)},
    )
    assert made.status_code == 422 and "lead_agency" in json.dumps(made.json())
    # What the form offers still goes through: the plan's author, and an agency the caller sees.
    for agency in (partnership.mental_health, partnership.housing):
        version = Plan.objects.get(pk=shared.plan.pk).version
        ok = _send(client, "patch", path, {"lead_agency": str(agency.pk)}, HTTP_IF_MATCH=f'W/"{version}"')
        assert ok.status_code == 200 and ok.json()["lead_agency"]["id"] == str(agency.pk)


def test_an_over_long_carer_or_advocate_name_is_a_422_naming_the_field(client_for, partnership, shared):
    client = client_for(partnership.housing_officer)
    path = f"/api/v1/plans/{shared.plan.pk}"
    for name in ("carer_name", "advocate_name"):
        sent = _send(client, "patch", path, {name: "x" * 201}, HTTP_IF_MATCH='W/"1"')
        assert sent.status_code == 422, name
        assert name in json.dumps(sent.json()) and "200 characters or fewer" in json.dumps(sent.json())
    assert _send(client, "patch", path, {"carer_name": "y" * 200}, HTTP_IF_MATCH='W/"1"').status_code == 200
    assert Plan.objects.get(pk=shared.plan.pk).advocate_name == ""

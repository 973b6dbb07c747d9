"""Referrals over the JSON API: the same policy, audit and 404 rules as the pages, ETag / If-Match
with 412 when stale, Idempotency-Key replays, and errors as problem JSON naming the field."""

import datetime
import json

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import services as account_services
from joinedup.audit.models import AccessEvent, ChangeEvent, Outcome
from joinedup.core import clock
from joinedup.core.actor import SYSTEM
from joinedup.core.tests.helpers import actor
from joinedup.referrals import services
from joinedup.referrals.models import Referral, ReferralState, Signposting
from joinedup.referrals.tests.factories import PathwayFactory
from joinedup.referrals.tests.test_services import _send

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


def _bearer(user) -> dict[str, str]:
    TOTPDevice.objects.get_or_create(user=user, name="phone", defaults={"confirmed": True})
    _, plain = account_services.api_token_create(SYSTEM, user=user, name="test")
    return {"Authorization": f"Bearer {plain}"}


class Api:
    """The test client as one user, speaking JSON."""

    def __init__(self, client, user) -> None:
        self.client, self.headers = client, _bearer(user)

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path, body=None, **headers):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )


@pytest.fixture
def police(client, partnership):
    return Api(client, partnership.police_officer)


@pytest.fixture
def mh(client, partnership):
    return Api(client, partnership.practitioner)


def _body(s, **overrides):
    return {
        "person": str(s["person"].pk),
        "pathway": str(s["pathway"].pk),
        "urgency": str(s["pathway"].urgencies.get(name="Urgent").pk),
        "reason": "Found on the bridge, distressed",
        "risk_summary": "Said she wanted to end her life",
        "sharing_basis": "vital_interests",
        "sharing_note": "Immediate risk to life",
        "attachments": [f"people.contactdetail:{s['phone'].pk}"],
    } | overrides


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_pathways_are_listed_with_guidance_and_urgencies(police, setting):
    data = police.get("/pathways").json()
    assert [p["name"] for p in data] == ["Community Triage"]
    assert data[0]["eligibility_guidance"] and data[0]["to_agency"]["name"] == "Northshire Mental Health"
    assert {u["description"] for u in data[0]["urgencies"]} == {
        "Urgent: a decision within 4 hours",
        "Routine: a decision within 5 working days",
    }


def test_openapi_documents_the_referral_routes(client):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/pathways",
        "/api/v1/referrals",
        "/api/v1/referrals/{referral_id}",
        "/api/v1/referrals/{referral_id}/send",
        "/api/v1/referrals/{referral_id}/decline",
        "/api/v1/referrals/{referral_id}/first-contact",
    } <= paths


def test_create_with_an_idempotency_key_makes_one_referral_and_replays_the_same_body(police, setting):
    first = police.post("/referrals", _body(setting), **{"Idempotency-Key": "ref-1"})
    assert first.status_code == 201, first.content
    assert first["ETag"] == 'W/"1"'
    data = first.json()
    assert data["state"] == "draft" and data["version"] == 1
    assert [a["label"] for a in data["attachments"]] == ["Mobile phone 07700 900444"]
    again = police.post("/referrals", _body(setting), **{"Idempotency-Key": "ref-1"})
    assert again.status_code == 201 and again.json() == data
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1
    other = police.post("/referrals", _body(setting, reason="Another"), **{"Idempotency-Key": "ref-1"})
    assert _problem(other, 422)["errors"][0]["field"] == "Idempotency-Key"


def test_the_lifecycle_with_etags_and_if_match(police, mh, partnership, setting):
    p = partnership
    draft = police.post("/referrals", _body(setting)).json()
    url = f"/referrals/{draft['id']}"
    assert police.get(url)["ETag"] == 'W/"1"'
    sent = police.post(f"{url}/send", **{"If-Match": 'W/"1"'})
    assert sent.status_code == 200 and sent["ETag"] == 'W/"2"' and sent.json()["state"] == "sent"
    assert sent.json()["due_at"]

    # The receiver sees the referral and only what was attached.
    seen = mh.get(url)
    assert seen.status_code == 200 and seen["ETag"] == 'W/"2"'
    assert [a["label"] for a in seen.json()["attachments"]] == ["Mobile phone 07700 900444"]
    inbox = mh.get("/referrals", box="inbox").json()
    assert [r["id"] for r in inbox["results"]] == [draft["id"]]
    assert mh.post(f"{url}/acknowledge", **{"If-Match": 'W/"2"'}).json()["state"] == "acknowledged"
    accepted = mh.post(f"{url}/accept", **{"If-Match": 'W/"3"'})
    assert accepted.json()["state"] == "accepted"
    handover = mh.post(
        f"{url}/first-contact",
        {
            "handover_at": clock.now().isoformat(),
            "handover_form": "in_person",
            "person_present": True,
            "receiving_worker": str(p.practitioner.pk),
            "note": "Seen at the police station",
        },
        **{"If-Match": accepted["ETag"]},
    )
    assert handover.status_code == 200, handover.content
    assert handover.json()["handover"]["receiving_worker"] == str(p.practitioner)
    closed = mh.post(f"{url}/close", {"note": "Under the team"}, **{"If-Match": handover["ETag"]})
    assert closed.json()["state"] == "closed"

    # The referrer sees where it got to, on its own record.
    mine = police.get(url).json()
    assert mine["state"] == "closed" and mine["handover"]["person_present"] is True
    assert [r["state"] for r in police.get("/referrals", box="sent").json()["results"]] == ["closed"]


def test_changes_need_if_match_and_a_stale_one_is_a_412_with_the_current_etag(mh, partnership, setting):
    referral = _send(partnership, setting)
    url = f"/referrals/{referral.pk}"
    missing = _problem(mh.post(f"{url}/accept"), 422)
    assert missing["errors"][0]["field"] == "If-Match"
    assert _problem(mh.post(f"{url}/accept", **{"If-Match": "three"}), 422)["errors"][0]["field"] == "If-Match"
    stale = mh.post(f"{url}/accept", **{"If-Match": 'W/"1"'})
    body = _problem(stale, 412)
    assert stale["ETag"] == 'W/"2"' and body["current_version"] == 2
    assert "changed by police.officer at" in body["detail"]
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT


def test_an_accept_replayed_with_its_key_accepts_once(mh, partnership, setting):
    referral = _send(partnership, setting)
    url = f"/referrals/{referral.pk}/accept"
    first = mh.post(url, **{"If-Match": 'W/"2"', "Idempotency-Key": "accept-1"})
    again = mh.post(url, **{"If-Match": 'W/"2"', "Idempotency-Key": "accept-1"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert ChangeEvent.objects.filter(object_id=str(referral.pk), action="referral_accept").count() == 1
    # Without the key, a second acceptance is refused: stale, then (with the new version) already accepted.
    assert mh.post(url, **{"If-Match": 'W/"2"'}).status_code == 412
    assert "Already accepted" in _problem(mh.post(url, **{"If-Match": 'W/"3"'}), 422)["detail"]


def test_a_decline_without_an_onward_route_is_refused_naming_it(mh, partnership, setting):
    referral = _send(partnership, setting)
    url = f"/referrals/{referral.pk}/decline"
    body = _problem(mh.post(url, {"reason": "Not for us"}, **{"If-Match": 'W/"2"'}), 422)
    assert body["errors"] == [
        {
            "field": "onward",
            "message": "Choose an onward route: refer to another service, or record where you signposted the person",
        }
    ]
    assert _problem(mh.post(url, {}, **{"If-Match": 'W/"2"'}), 422)["errors"][0]["field"] == "reason"
    both = {
        "reason": "Not for us",
        "signposting": {"service_name": "Citizens Advice", "reason": "Debt"},
        "onward_referral": {"pathway": str(setting["pathway"].pk), "urgency": MISSING, "reason": "x"},
    }
    assert _problem(mh.post(url, both, **{"If-Match": 'W/"2"'}), 422)["errors"][0]["field"] == "onward"
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT


def test_decline_with_signposting_or_an_onward_referral(mh, partnership, setting):
    p, s = partnership, setting
    one = _send(p, s)
    declined = mh.post(
        f"/referrals/{one.pk}/decline",
        {"reason": "Not a crisis", "signposting": {"service_name": "Citizens Advice", "reason": "Debt advice"}},
        **{"If-Match": 'W/"2"'},
    )
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert Signposting.objects.get().service_name == "Citizens Advice"
    housing = PathwayFactory(name="Housing referral", to_agency=p.housing)
    two = _send(p, s)
    onward = mh.post(
        f"/referrals/{two.pk}/decline",
        {
            "reason": "Needs housing first",
            "onward_referral": {
                "pathway": str(housing.pk),
                "urgency": str(housing.urgencies.get(name="Routine").pk),
                "reason": "Sleeping in her car",
            },
        },
        **{"If-Match": 'W/"2"'},
    ).json()
    new = Referral.objects.get(pk=onward["onward_referral"])
    assert new.state == ReferralState.SENT and new.to_agency == p.housing
    # The referrer (police) reads the outcome on its own referral.
    police = Api(mh.client, p.police_officer)
    assert "referred the person on" in police.get(f"/referrals/{two.pk}").json()["status"]


def test_unseen_referrals_are_404_problems_like_missing_ones_and_audited(client, partnership, setting):
    referral = _send(partnership, setting)
    housing = Api(client, partnership.housing_officer)
    hidden = _problem(housing.get(f"/referrals/{referral.pk}"), 404)
    missing = _problem(housing.get(f"/referrals/{MISSING}"), 404)
    assert hidden == missing == {"type": "about:blank", "title": "Not found", "status": 404, "detail": "Not found"}
    assert AccessEvent.objects.filter(
        person_id=setting["person"].pk, outcome=Outcome.DENIED, actor_username="housing.officer"
    ).exists()
    # A change to an unseen referral is a 404 too, whatever its If-Match says (never a 412 naming anyone),
    # and with an Idempotency-Key the denied event is still kept.
    events = AccessEvent.objects.filter(outcome=Outcome.DENIED).count()
    stale = housing.post(f"/referrals/{referral.pk}/accept", **{"If-Match": 'W/"1"', "Idempotency-Key": "k1"})
    assert _problem(stale, 404) == hidden
    assert AccessEvent.objects.filter(outcome=Outcome.DENIED).count() == events + 1
    assert "Ria Stone" not in json.dumps(housing.get("/referrals", box="inbox").json())


def test_the_wrong_side_and_the_wrong_role_cannot_act(client, partnership, setting):
    referral = _send(partnership, setting)
    police = Api(client, partnership.police_officer)
    # The referrer sees its referral but cannot accept it: to them, there is no such referral to accept.
    assert _problem(police.post(f"/referrals/{referral.pk}/accept", **{"If-Match": 'W/"1"'}), 404)
    ig = Api(client, partnership.mh_ig_lead)
    assert ig.get(f"/referrals/{referral.pk}").status_code == 200
    assert _problem(ig.post(f"/referrals/{referral.pk}/accept", **{"If-Match": 'W/"2"'}), 403)


def test_creating_needs_a_person_you_can_see_and_names_bad_fields(police, client, partnership, setting):
    s = setting
    assert _problem(police.post("/referrals", _body(s, person=MISSING)), 404)["detail"] == "No such person"
    housing = Api(client, partnership.housing_officer)
    assert _problem(housing.post("/referrals", _body(s)), 404)["detail"] == "No such person"
    assert _problem(police.post("/referrals", _body(s, pathway=MISSING)), 422)["errors"][0]["field"] == "pathway"
    assert _problem(police.post("/referrals", _body(s, urgency=MISSING)), 422)["errors"][0]["field"] == "urgency"
    bad = police.post("/referrals", _body(s, attachments=["people.contactdetail:not-a-uuid"]))
    assert _problem(bad, 422)["errors"][0]["field"] == "attachments"
    private = police.post("/referrals", _body(s, reason="", risk_summary=""))
    fields = {e["field"] for e in _problem(private, 422)["errors"]}
    assert fields == {"reason", "risk_summary"}
    assert _problem(police.post("/referrals", {"person": "x"}), 422)["errors"]
    assert Referral.objects.count() == 0


def test_first_contact_validation_is_named(mh, partnership, setting):
    referral = services.referral_accept(actor(partnership.practitioner), referral_id=_send(partnership, setting).pk)
    url = f"/referrals/{referral.pk}/first-contact"
    future = (clock.now() + datetime.timedelta(hours=2)).isoformat()
    body = _problem(
        mh.post(url, {"handover_at": future, "handover_form": "", "person_present": False}, **{"If-Match": 'W/"3"'}),
        422,
    )
    assert {e["field"] for e in body["errors"]} == {"receiving_worker", "handover_at", "handover_form"}


def test_a_handover_time_without_a_zone_is_read_as_england(mh, partnership, setting):
    day = clock.today() + datetime.timedelta(days=3)
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=clock.LONDON), tick=False):
        referral = _send(partnership, setting)
        referral = services.referral_accept(actor(partnership.practitioner), referral_id=referral.pk)
        mh.headers = _bearer(partnership.practitioner)
        done = mh.post(
            f"/referrals/{referral.pk}/first-contact",
            {
                "handover_at": f"{day.isoformat()}T12:00:00",
                "handover_form": "phone",
                "person_present": False,
                "receiving_worker_name": "Sam",
            },
            **{"If-Match": 'W/"3"'},
        )
    assert done.status_code == 200, done.content
    referral.refresh_from_db()
    assert clock.local(referral.handover_at).hour == 12

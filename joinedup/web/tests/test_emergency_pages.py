"""DESIGN §3: any page during an emergency grant is an emergency page. Whatever the person page lists
under a grant must open under it too, and each read be recorded as an emergency read; before, an
action or a referral listed there was "not found" on click, read for direct care."""

import datetime

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.actions.models import ActionSource
from joinedup.actions.services import action_create
from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core import clock
from joinedup.core.tests.helpers import actor
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory
from joinedup.plans import services as plan_services
from joinedup.referrals import services as referral_services
from joinedup.referrals.tests.factories import PathwayFactory
from joinedup.sharing import services as sharing_services
from joinedup.sharing.models import EmergencyReason, EmergencyReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(partnership, settings):
    """A person mental health and housing work with: an action, a referral and a crisis plan with an
    action of its own, none of them the police's to read without a grant."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    p = partnership
    person = PersonFactory(given_name="Kit", family_name="Arden", recorded_by=p.mental_health)
    InvolvementFactory(person=person, agency=p.mental_health)
    InvolvementFactory(person=person, agency=p.housing)
    mh = actor(p.practitioner)
    due = clock.today() + datetime.timedelta(days=7)
    action = action_create(
        mh, person=person, description="Visit the flat", owner_agency=p.housing, due_on=due, source=ActionSource.OTHER
    )
    pathway = PathwayFactory(name="Tenancy Support", to_agency=p.housing)
    draft = referral_services.referral_draft(
        mh,
        person=person,
        pathway=pathway,
        urgency=pathway.urgencies.get(name="Routine"),
        reason="Rent arrears since leaving hospital",
        risk_summary="None known",
        sharing_basis="vital_interests",
        sharing_note="Risk of losing the tenancy",
        referred_by=p.practitioner,
    )
    referral = referral_services.referral_send(mh, referral_id=draft.pk, expected_version=draft.version)
    plan, _ = plan_services.plan_create(mh, person=person, kind="crisis", what_helps="A walk by the river")
    plan_action = plan_services.plan_action_add(
        mh, plan_id=plan.pk, description="Ring the sister", owner_agency=p.mental_health, due_on=due
    )
    return {"person": person, "action": action, "referral": referral, "plan": plan, "plan_action": plan_action}


def _grant(officer, person) -> None:
    device, _ = TOTPDevice.objects.get_or_create(user=officer, confirmed=True, defaults={"name": "Test app"})
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
    sharing_services.emergency_grant_request(
        actor(officer),
        person=person,
        reason=EmergencyReason.RISK_TO_LIFE,
        explanation="Found on the railway line",
        mfa_code=code,
    )


def test_each_record_the_person_page_lists_under_a_grant_opens_as_an_emergency_read(client_for, partnership, records):
    officer = partnership.police_officer
    client = client_for(officer)
    pages = {
        "action": f"/actions/{records['action'].pk}/",
        "referral": f"/referrals/{records['referral'].pk}/",
        "plan": f"/plans/{records['plan'].pk}/",
    }
    for path in pages.values():
        assert client.get(path).status_code == 404, path  # no ground before the grant

    _grant(officer, records["person"])
    person_page = client.get(f"/people/{records['person'].pk}/").content.decode()
    for name, path in pages.items():
        assert path in person_page, name
        response = client.get(path)
        assert response.status_code == 200, name
        reads = AccessEvent.objects.filter(actor_user_id=officer.pk, route=path, outcome=Outcome.ALLOWED)
        assert set(reads.values_list("purpose", flat=True)) == {"emergency"}, name
    # The plan page lists the plan's own action, read under the grant as well.
    assert f"/actions/{records['plan_action'].pk}/" in client.get(pages["plan"]).content.decode()


def test_a_record_read_only_under_the_grant_goes_to_its_agencys_ig_lead_from_any_page(client_for, partnership, records):
    """Not only the person page: opening a record, or a list in the API, under the grant puts the
    read in the review queue of the agency that recorded it (mental health here), alerting once."""
    officer = partnership.police_officer
    client = client_for(officer)
    _grant(officer, records["person"])
    assert not EmergencyReview.objects.exists()

    assert client.get(f"/actions/{records['action'].pk}/").status_code == 200
    review = EmergencyReview.objects.get()
    assert review.agency_id == partnership.mental_health.pk and review.uses == 1
    assert client.get(f"/referrals/{records['referral'].pk}/").status_code == 200
    assert client.get(f"/api/v1/plans/people/{records['person'].pk}").status_code == 200  # a list read
    review.refresh_from_db()
    assert review.uses == 3 and EmergencyReview.objects.count() == 1


def test_without_a_grant_the_reads_keep_their_own_purpose(client_for, partnership, records):
    """Housing reads the action it owns and the referral it received for direct care, as before."""
    client = client_for(partnership.housing_officer)
    for path in (f"/actions/{records['action'].pk}/", f"/referrals/{records['referral'].pk}/"):
        assert client.get(path).status_code == 200, path
        reads = AccessEvent.objects.filter(actor_user_id=partnership.housing_officer.pk, route=path)
        assert set(reads.values_list("purpose", flat=True)) == {"direct_care"}, path

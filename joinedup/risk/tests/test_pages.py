import datetime

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.tests.flows import code_for
from joinedup.audit.models import AccessEvent
from joinedup.core import clock
from joinedup.core.tests.helpers import actor
from joinedup.risk import prefill, presenters, services
from joinedup.risk.models import Assessment, Flag
from joinedup.risk.tests.answers import answers_for
from joinedup.sharing import services as sharing_services
from joinedup.sharing.models import EmergencyReason

pytestmark = pytest.mark.django_db


def _form(tool, *, yes: int, **extra):
    today = clock.today()
    data = {
        "version": "0",
        "assessed_on_day": str(today.day),
        "assessed_on_month": str(today.month),
        "assessed_on_year": str(today.year),
    }
    return data | {k: str(v) for k, v in answers_for(tool.spec, yes=yes).items()} | extra


def test_the_form_asks_every_question_and_records_a_result_with_its_offer(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    url = f"/people/{setting.person.pk}/risk/assess/domestic_abuse"
    page = client.get(url).content.decode()
    assert page.count('type="radio"') >= 24 * 3 and "Has the other person threatened to kill" in page
    done = client.post(url, _form(setting.da, yes=15))
    assessment = Assessment.objects.get()
    assert done["Location"] == f"/risk/assessments/{assessment.pk}/"
    result = client.get(done["Location"]).content.decode()
    assert "High" in result and "Refer to the Northshire Risk Conference" in result


def test_a_lower_judgement_is_refused_beside_the_field_and_the_answers_are_kept(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    url = f"/people/{setting.person.pk}/risk/assess/domestic_abuse"
    page = client.post(url, _form(setting.da, yes=14, judgement_level="standard", judgement_reasons="Calmer"))
    text = page.content.decode()
    assert page.status_code == 200 and "never lower" in text and "There is a problem" in text
    assert text.count('value="yes" checked') == 14
    missing = client.post(url, _form(setting.da, yes=3) | {"injured": ""}).content.decode()
    assert "Choose an answer: Has the person been hurt" in missing
    assert not Assessment.objects.exists()


def test_a_colleagues_newer_assessment_is_not_overwritten_unseen(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    url = f"/people/{setting.person.pk}/risk/assess/domestic_abuse"
    services.assessment_complete(
        actor(partnership.substance_worker),
        person=setting.person,
        tool=setting.da,
        answers=answers_for(setting.da.spec),
    )
    page = client.post(url, _form(setting.da, yes=5)).content.decode()
    assert "changed by recovery.worker" in page and 'name="version" value="1"' in page
    assert client.post(url, _form(setting.da, yes=5, version="1")).status_code == 302


def test_person_page_shows_level_age_review_due_and_warnings_current_and_expired(client_for, partnership, setting):
    worker = actor(partnership.substance_worker)
    services.assessment_complete(
        worker,
        person=setting.person,
        tool=setting.da,
        answers=answers_for(setting.da.spec, yes=15),
        assessed_on=clock.today() - datetime.timedelta(days=3),
    )
    services.flag_add(
        worker,
        person=setting.person,
        kind="risk_to_staff",
        reason="Visit in pairs",
        starts_on=clock.today(),
        ends_on=clock.today() + datetime.timedelta(days=10),
    )
    services.flag_add(
        worker,
        person=setting.person,
        kind="domestic_abuse",
        reason="Partner known to police",
        starts_on=clock.today(),
        ends_on=clock.today() + datetime.timedelta(days=2),
    )
    client = client_for(partnership.substance_worker)
    page = client.get(f"/people/{setting.person.pk}/").content.decode()
    assert "Warnings" in page and "Visit in pairs" in page and "Partner known to police" in page
    assert "High" in page and "3 days ago" in page and "Review due" not in page
    later = clock.now() + datetime.timedelta(days=100)
    with time_machine.travel(later, tick=False):
        client = client_for(partnership.substance_worker)  # signed in again: sessions do not last 100 days
        page = client.get(f"/people/{setting.person.pk}/").content.decode()
        assert "Review due" in page and "3 months ago" in page
        assert "Expired" in page and "Warnings no longer in force" in page
        assert page.index("Warnings no longer in force") > page.index("Risk</h2>")


def test_others_see_only_what_the_policy_allows_and_forbidden_is_404(client_for, partnership, setting):
    assessment = services.assessment_complete(
        actor(partnership.substance_worker),
        person=setting.person,
        tool=setting.da,
        answers=answers_for(setting.da.spec, yes=15),
    )
    stranger = client_for(partnership.housing_officer)
    assert stranger.get(f"/risk/assessments/{assessment.pk}/").status_code == 404
    assert stranger.get(f"/people/{setting.person.pk}/risk/").status_code == 404
    assert AccessEvent.objects.filter(person_id=setting.person.pk, outcome="denied").count() == 2
    volunteer = client_for(partnership.volunteer)
    assert volunteer.get(f"/people/{setting.person.pk}/risk/assess/domestic_abuse").status_code == 404


def test_flags_are_added_and_ended_through_the_pages(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    today, until = clock.today(), clock.today() + datetime.timedelta(days=30)
    add = f"/people/{setting.person.pk}/risk/flags/add"
    form = {
        "kind": "safeguarding_concern",
        "reason": "Financial exploitation by a lodger",
        "starts_on_day": today.day,
        "starts_on_month": today.month,
        "starts_on_year": today.year,
        "ends_on_day": until.day,
        "ends_on_month": until.month,
        "ends_on_year": until.year,
    }
    assert "Say what staff need to know" in client.post(add, form | {"reason": ""}).content.decode()
    assert client.post(add, form).status_code == 302
    risk = client.get(f"/people/{setting.person.pk}/risk/").content.decode()
    assert "Financial exploitation by a lodger" in risk and "End this warning early" in risk
    flag = Flag.objects.get()
    end = f"/risk/flags/{flag.pk}/end"
    assert client.post(end, {"version": 1, "end_reason": "Lodger has left"}).status_code == 302
    assert "Ended" in client.get(f"/people/{setting.person.pk}/risk/").content.decode()
    assert client_for(partnership.housing_officer).get(end).status_code == 404


def test_ages_read_as_people_say_them():
    today = datetime.date(2026, 3, 10)
    ago = lambda days: presenters.ago(today - datetime.timedelta(days=days), today)  # noqa: E731
    assert [ago(0), ago(1), ago(12), ago(45), ago(362), ago(400), ago(800)] == [
        "today",
        "yesterday",
        "12 days ago",
        "1 month ago",
        "12 months ago",
        "1 year ago",
        "2 years ago",
    ]


def test_under_emergency_access_a_listed_assessment_and_flag_open(client_for, partnership, setting, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    worker, officer = partnership.substance_worker, partnership.police_officer
    assessment = services.assessment_complete(
        actor(worker), person=setting.person, tool=setting.mh, answers=answers_for(setting.mh.spec)
    )
    flag = services.flag_add(
        actor(worker),
        person=setting.person,
        kind="risk_to_staff",
        reason="Threatened staff with a knife",
        starts_on=clock.today(),
        ends_on=clock.today() + datetime.timedelta(days=30),
    )
    client = client_for(officer)
    assert client.get(f"/risk/assessments/{assessment.pk}/").status_code == 404  # no ground yet
    device, _ = TOTPDevice.objects.get_or_create(user=officer, confirmed=True, defaults={"name": "Phone"})
    sharing_services.emergency_grant_request(
        actor(officer),
        person=setting.person,
        reason=EmergencyReason.RISK_TO_LIFE,
        explanation="Threatening to jump from the bridge",
        mfa_code=code_for(device),
    )
    risk_page = client.get(f"/people/{setting.person.pk}/risk/").content.decode()
    assert f"/risk/assessments/{assessment.pk}/" in risk_page
    assert client.get(f"/risk/assessments/{assessment.pk}/").status_code == 200
    assert client.get(f"/api/v1/risk/flags/{flag.pk}").status_code == 200
    opened = AccessEvent.objects.filter(actor_user_id=officer.pk, route=f"/risk/assessments/{assessment.pk}/")
    assert opened.filter(outcome="allowed").get().purpose == "emergency"


def test_the_offer_is_made_only_to_the_assessing_agency(client_for, partnership, setting):
    assessment = services.assessment_complete(
        actor(partnership.substance_worker),
        person=setting.person,
        tool=setting.da,
        answers=answers_for(setting.da.spec, yes=15),
    )
    assert prefill.offers(actor(partnership.substance_worker), assessment)
    assert prefill.offers(actor(partnership.practitioner), assessment) == []


def test_a_blank_incident_count_on_the_form_is_recorded_as_not_known(client_for, partnership, setting):
    client = client_for(partnership.substance_worker)
    url = f"/people/{setting.person.pk}/risk/assess/domestic_abuse"
    assert "Leave it blank if no one knows" in client.get(url).content.decode()
    done = client.post(url, _form(setting.da, yes=3) | {"incidents_12_months": ""})
    assert done.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.answers["incidents_12_months"] == "not_known"
    assert "Not known" in client.get(done["Location"]).content.decode()

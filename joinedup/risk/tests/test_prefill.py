"""The forum referral an assessment offers: every relevant answer carried into it, and sent through
the referral wizard, so the forum's host can read the assessment under the referral ground."""

import pytest

from joinedup.core.tests.helpers import actor
from joinedup.referrals.drafts import draft_key
from joinedup.referrals.models import Referral
from joinedup.risk import prefill, selectors, services
from joinedup.risk.definitions import ItemKind
from joinedup.risk.tests.answers import answers_for

pytestmark = pytest.mark.django_db


def _complete(partnership, setting, **kwargs):
    answers = answers_for(setting.da.spec, yes=kwargs.pop("yes", 15), rest="not_known", incidents_12_months=4)
    return services.assessment_complete(
        actor(partnership.substance_worker), person=setting.person, tool=setting.da, answers=answers, **kwargs
    )


def test_high_offers_the_risk_conference_and_lower_offers_nothing(partnership, setting):
    worker = actor(partnership.substance_worker)
    high = _complete(partnership, setting)
    assert [o.pathway for o in prefill.offers(worker, high)] == [setting.pathway]
    low = services.assessment_complete(
        worker, person=setting.person, tool=setting.da, answers=answers_for(setting.da.spec, yes=3)
    )
    assert prefill.offers(worker, low) == []
    # an agency that may not refer through the pathway is offered nothing
    assert prefill.offers(actor(partnership.volunteer), high) == []


def test_the_draft_carries_every_yes_answer_the_score_level_escalation_and_judgement(partnership, setting):
    assessment = _complete(
        partnership, setting, yes=12, judgement_level="high", judgement_reasons="He has just been released"
    )
    # 12 yes with 4 incidents: escalation makes it high already, so judgement cannot raise further,
    # but the reasons the assessor gave are kept and go with the referral
    assert assessment.final_level == "high" and assessment.judgement_level == ""
    assert "judgement: He has just been released" in prefill.risk_summary_text(assessment)
    raised = services.assessment_complete(
        actor(partnership.substance_worker),
        person=setting.person,
        tool=setting.da,
        answers=answers_for(setting.da.spec, yes=11),
        judgement_level="high",
        judgement_reasons="He has just been released from prison and knows her new address",
    )
    for found in (assessment, raised):
        data = prefill.draft_data(actor(partnership.substance_worker), found, setting.pathway)
        text = f"{data['reason']}\n{data['risk_summary']}"
        yes_items = [i for i in found.tool.spec.items if found.answers[i.key] == "yes"]
        assert yes_items and all(i.summary in data["reason"] for i in yes_items)
        assert f"score {found.score}" in text and "High" in text
        assert data["attachments"] == [f"risk.assessment:{found.pk}"]
        assert data["sharing_basis"] == "agreement"
        assert data["agreement"] == str(setting.conference.agreement.pk)
        assert data["urgency"] == str(setting.pathway.urgencies.order_by("order")[0].pk)
    assert "Potential escalation: 3 or more incidents" in prefill.risk_summary_text(assessment)
    assert "Incidents in the last 12 months: 4" in prefill.reason_text(assessment)
    not_known = [i.summary for i in assessment.tool.spec.items if assessment.answers[i.key] == "not_known"]
    assert not_known and all(s in prefill.risk_summary_text(assessment) for s in not_known)
    assert "He has just been released from prison and knows her new address" in prefill.risk_summary_text(raised)
    assert "raised the level from Medium to High" in prefill.risk_summary_text(raised)
    assert all(i.kind != ItemKind.NUMBER or i.summary in prefill.reason_text(raised) for i in raised.tool.spec.items)


def test_accepting_the_offer_goes_through_the_wizard_and_the_host_reads_the_assessment(
    client_for, partnership, setting
):
    assessment = _complete(partnership, setting)
    client = client_for(partnership.substance_worker)
    page = client.get(f"/risk/assessments/{assessment.pk}/")
    assert "Refer to the Northshire Risk Conference" in page.content.decode()
    offered = client.post(f"/risk/assessments/{assessment.pk}/refer/{setting.pathway.pk}")
    details_url = f"/people/{setting.person.pk}/refer/details"
    assert offered.status_code == 302 and offered["Location"] == details_url
    details = client.get(details_url).content.decode()
    assert "Threats to kill" in details and "score 15" in details
    draft = client.session[draft_key(setting.person.pk)]
    posted = dict(draft["data"])
    checked = client.post(details_url, posted)
    assert checked.status_code == 302, checked.content.decode()[:3000]
    token = client.session[draft_key(setting.person.pk)]["token"]
    sent = client.post(f"/people/{setting.person.pk}/refer/check", {"token": token})
    assert sent.status_code == 302
    referral = Referral.objects.get(person=setting.person)
    assert referral.state == "sent" and referral.to_agency == partnership.police
    assert referral.attachments == [f"risk.assessment:{assessment.pk}"]
    assert "Threats to kill" in referral.reason
    # The forum's coordinator reads the attached assessment on the referral ground; before, nothing.
    coordinator = actor(setting.conference.coordinator)
    shown = selectors.assessment_get(coordinator, assessment.pk)
    assert "referral" in shown.grounds


def test_only_the_assessing_agency_may_turn_its_assessment_into_a_referral(client_for, partnership, setting):
    assessment = _complete(partnership, setting)
    other = client_for(partnership.housing_officer)
    assert other.post(f"/risk/assessments/{assessment.pk}/refer/{setting.pathway.pk}").status_code == 404


def test_an_unknown_incident_count_reads_as_not_known_not_as_none(partnership, setting):
    answers = answers_for(setting.da.spec, yes=14) | {"incidents_12_months": ""}
    assessment = services.assessment_complete(
        actor(partnership.substance_worker), person=setting.person, tool=setting.da, answers=answers
    )
    assert assessment.answers["incidents_12_months"] == "not_known"
    assert "Incidents in the last 12 months: " not in prefill.reason_text(assessment)
    summary = prefill.risk_summary_text(assessment)
    assert "Not known (1):\n- Incidents in the last 12 months" in summary

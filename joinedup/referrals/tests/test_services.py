import datetime

import pytest
import time_machine

from joinedup.audit.models import ChangeEvent
from joinedup.core import clock
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.people.tests.factories import ContactDetailFactory
from joinedup.referrals import services
from joinedup.referrals.demo import seed_forum_pathways
from joinedup.referrals.models import Referral, ReferralState, Signposting
from joinedup.referrals.tests.factories import PathwayFactory
from joinedup.sharing import policy
from joinedup.sharing.models import Forum, ForumCase, ForumMembership
from joinedup.sharing.models import ReferralState as LinkState

pytestmark = pytest.mark.django_db


def _draft(p, s, **overrides):
    values = {
        "person": s["person"],
        "pathway": s["pathway"],
        "urgency": s["pathway"].urgencies.get(name="Urgent"),
        "reason": "Found on the bridge, distressed",
        "risk_summary": "Said she wanted to end her life",
        "sharing_basis": "vital_interests",
        "sharing_note": "Immediate risk to life",
        "attachments": [f"people.contactdetail:{s['phone'].pk}"],
        "referred_by": p.police_officer,
    }
    return services.referral_draft(actor(p.police_officer), **(values | overrides))


def _send(p, s, **overrides):
    referral = _draft(p, s, **overrides)
    return services.referral_send(actor(p.police_officer), referral_id=referral.pk, expected_version=referral.version)


def test_the_receiver_sees_only_what_was_attached(partnership, setting):
    p, s = partnership, setting
    mh = actor(p.practitioner)
    assert not policy.visible_people(mh, Purpose.DIRECT_CARE).filter(pk=s["person"].pk).exists()
    referral = _send(p, s)
    visible = set(policy.readable_records(mh, type(s["phone"]), Purpose.DIRECT_CARE).values_list("pk", flat=True))
    assert visible == {s["phone"].pk}  # not the other police contact detail
    assert policy.readable_records(mh, Referral, Purpose.DIRECT_CARE).filter(pk=referral.pk).exists()
    assert referral.link.state == LinkState.OPEN


def test_full_lifecycle_with_warm_handover(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    mh = actor(p.practitioner)
    referral = services.referral_acknowledge(mh, referral_id=referral.pk, expected_version=referral.version)
    referral = services.referral_accept(mh, referral_id=referral.pk, expected_version=referral.version)
    assert referral.link.state == LinkState.ACCEPTED
    referral = services.referral_first_contact(
        mh,
        referral_id=referral.pk,
        handover_at=clock.now(),
        handover_form="phone",
        person_present=True,
        receiving_worker=p.practitioner,
        expected_version=referral.version,
    )
    assert (referral.state, referral.receiving_worker_name) == (ReferralState.FIRST_CONTACT, str(p.practitioner))
    referral = services.referral_close(
        mh, referral_id=referral.pk, note="Under the crisis team", expected_version=referral.version
    )
    assert referral.state == ReferralState.CLOSED and referral.link.state == LinkState.ENDED
    actions = list(
        ChangeEvent.objects.filter(object_id=str(referral.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "referral_draft",
        "referral_send",
        "referral_acknowledge",
        "referral_accept",
        "referral_first_contact",
        "referral_close",
    ]


def test_a_decline_must_name_an_onward_route(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    with pytest.raises(ValidationFailed) as raised:
        services.referral_decline(actor(p.practitioner), referral_id=referral.pk, reason="Not for us", onward=None)
    assert "onward route" in raised.value.errors["onward"][0]
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT


def test_decline_with_signposting_records_where_the_person_went(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    onward = services.OnwardSignposting(service_name="Safe Haven", reason="Open tonight, walk-in", person_told=True)
    referral = services.referral_decline(
        actor(p.practitioner), referral_id=referral.pk, reason="Not acute", onward=onward
    )
    assert referral.state == ReferralState.DECLINED and referral.link.state == LinkState.ENDED
    signposting = Signposting.objects.get(referral=referral)
    assert (signposting.service_name, signposting.recorded_by) == ("Safe Haven", p.mental_health)


def test_decline_onto_another_pathway_sends_a_new_referral_in_one_step(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    housing_pathway = PathwayFactory(name="Housing options", to_agency=p.housing)
    onward = services.OnwardReferral(
        pathway=housing_pathway, urgency=housing_pathway.urgencies.get(name="Routine"), reason="Homeless tonight"
    )
    referral = services.referral_decline(
        actor(p.practitioner), referral_id=referral.pk, reason="Housing first", onward=onward
    )
    new = referral.onward_referral
    assert (new.state, new.from_agency, new.to_agency, new.previous) == (
        ReferralState.SENT,
        p.mental_health,
        p.housing,
        referral,
    )


def test_withdraw_and_re_refer(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    police = actor(p.police_officer)
    with pytest.raises(ValidationFailed):
        services.referral_withdraw(police, referral_id=referral.pk, reason=" ")
    referral = services.referral_withdraw(police, referral_id=referral.pk, reason="She was admitted")
    assert referral.state == ReferralState.WITHDRAWN and referral.link.state == LinkState.ENDED
    again = services.referral_rerefer(police, referral_id=referral.pk, referred_by=p.police_officer)
    assert (again.state, again.previous, again.reason) == (ReferralState.DRAFT, referral, referral.reason)


def test_only_the_right_side_acts(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    with pytest.raises(NotFound):
        services.referral_accept(actor(p.housing_officer), referral_id=referral.pk)
    with pytest.raises(NotFound):
        services.referral_withdraw(actor(p.practitioner), referral_id=referral.pk, reason="x")


def test_a_stale_version_is_refused_with_who_changed_it(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    seen = referral.version
    services.referral_acknowledge(actor(p.practitioner), referral_id=referral.pk, expected_version=seen)
    with pytest.raises(StaleVersion) as raised:
        services.referral_accept(actor(p.practitioner), referral_id=referral.pk, expected_version=seen)
    assert "changed by mh.practitioner" in raised.value.message
    assert raised.value.current_version == seen + 1


def test_a_second_acceptance_is_refused(partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    mh = actor(p.practitioner)
    services.referral_accept(mh, referral_id=referral.pk)
    with pytest.raises(ValidationFailed, match="Already accepted"):
        services.referral_accept(mh, referral_id=referral.pk)


def test_validation_messages(partnership, setting):
    p, s = partnership, setting
    with pytest.raises(ValidationFailed) as raised:
        _draft(p, s, reason=" ", risk_summary="", sharing_basis="vital_interests", sharing_note="")
    assert set(raised.value.errors) == {"reason", "risk_summary", "sharing_note"}
    with pytest.raises(ValidationFailed) as raised:
        _draft(
            p,
            s,
            attachments=[f"people.contactdetail:{ContactDetailFactory(person=s['person'], recorded_by=p.housing).pk}"],
        )
    assert "attachments" in raised.value.errors


def test_response_clock_skips_weekends_and_bank_holidays(partnership, setting):
    p, s = partnership, setting
    # Thursday 24 December 2026, 3pm: routine (5 working days) is due Tuesday 5 January, 5pm.
    with time_machine.travel(datetime.datetime(2026, 12, 24, 15, 0, tzinfo=clock.LONDON), tick=False):
        referral = _send(p, s, urgency=s["pathway"].urgencies.get(name="Routine"))
    assert clock.local(referral.due_at) == datetime.datetime(2027, 1, 5, 17, 0, tzinfo=clock.LONDON)
    with time_machine.travel(datetime.datetime(2026, 12, 24, 15, 0, tzinfo=clock.LONDON), tick=False):
        urgent = _send(p, s)
    assert urgent.due_at - urgent.sent_at == datetime.timedelta(hours=4)  # urgent runs round the clock


def test_accepting_a_forum_referral_lists_the_person_for_the_forum(partnership, setting):
    p, s = partnership, setting
    forum = Forum.objects.create(name="Co-occurring Conditions Forum", kind="co_occurring", host=p.mental_health)
    ForumMembership.objects.create(forum=forum, agency=p.police, starts_at=clock.now())
    [pathway] = seed_forum_pathways([forum])
    assert (pathway.kind, pathway.to_agency, list(pathway.from_agencies.all())) == (
        "forum",
        p.mental_health,
        [p.police],
    )
    referral = _send(p, s, pathway=pathway, urgency=pathway.urgencies.get())
    assert not ForumCase.objects.filter(forum=forum).exists()  # listed only once the forum accepts
    services.referral_accept(actor(p.practitioner), referral_id=referral.pk)
    case = ForumCase.objects.get(forum=forum, person=s["person"])
    assert case.closed_at is None and case.recorded_by == p.mental_health
    # A second referral of someone already listed is accepted without listing them twice.
    again = _send(p, s, pathway=pathway, urgency=pathway.urgencies.get())
    services.referral_accept(actor(p.practitioner), referral_id=again.pk)
    assert ForumCase.objects.filter(forum=forum, person=s["person"]).count() == 1

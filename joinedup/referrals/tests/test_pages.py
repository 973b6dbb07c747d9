"""The referral pages: refer (pathway, details, check your answers, send once), the inbox with its
clocks, the referral page and its actions, every validation message, stale saves, and who sees what."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from joinedup.agencies.directory.models import Organization, Service
from joinedup.audit.models import ChangeEvent
from joinedup.core import clock
from joinedup.core.tests.helpers import actor
from joinedup.referrals import services
from joinedup.referrals.models import Referral, ReferralState, Signposting
from joinedup.referrals.tests.factories import PathwayFactory
from joinedup.referrals.tests.test_services import _send
from joinedup.sharing import services as sharing_services
from joinedup.sharing.models import Agreement, CaseNote
from joinedup.sharing.services import ProvisionSpec

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's words, without tags, with runs of white space as one space."""
    page = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _url(name: str, **kwargs) -> str:
    return reverse(f"referrals:{name}", kwargs=kwargs)


def _details(s, **overrides):
    data = {
        "urgency": str(s["pathway"].urgencies.get(name="Urgent").pk),
        "reason": "Found on the bridge, distressed",
        "what_matters": "Wants her dog looked after",
        "risk_summary": "Said she wanted to end her life",
        "sharing_basis": "vital_interests",
        "sharing_note": "Immediate risk to life",
        "attachments": [f"people.contactdetail:{s['phone'].pk}"],
    }
    return {k: v for k, v in (data | overrides).items() if v is not None}


def _refer(client, s, **overrides):
    """Through the three refer pages; returns the check page's response."""
    person_id = s["person"].pk
    response = client.post(_url("refer", person_id=person_id), {"pathway": str(s["pathway"].pk)})
    assert response.status_code == 302 and response["Location"] == _url("refer_details", person_id=person_id)
    response = client.post(_url("refer_details", person_id=person_id), _details(s, **overrides))
    assert response.status_code == 302, _text(response)
    assert response["Location"] == _url("refer_check", person_id=person_id)
    return client.get(response["Location"])


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def _version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


# ---------------------------------------------------------------------------------------------
# Refer


def test_refer_from_the_person_page_check_your_answers_and_send_once(client_for, partnership, setting):
    p, s = partnership, setting
    client = client_for(p.police_officer)
    person_page = client.get(reverse("people:detail", kwargs={"person_id": s["person"].pk}))
    assert "Refer Ria Stone" in _text(person_page)

    choose = client.get(_url("refer", person_id=s["person"].pk))
    assert choose.status_code == 200
    assert "Community Triage (Northshire Mental Health)" in _text(choose)
    assert "Adults in the area who may need this service." in _text(choose)  # eligibility guidance

    check = _refer(client, s)
    words = _text(check)
    assert "Check your answers before sending the referral" in words
    assert "Found on the bridge, distressed" in words
    assert "Contact detail: Mobile phone 07700 900444" in words
    assert "Urgent: a decision within 4 hours" in words
    token = _token(check)

    sent = client.post(_url("refer_check", person_id=s["person"].pk), {"token": token})
    referral = Referral.objects.get()
    assert sent["Location"] == _url("detail", referral_id=referral.pk)
    assert referral.state == ReferralState.SENT
    assert referral.attachments == [f"people.contactdetail:{s['phone'].pk}"]
    assert referral.what_matters == "Wants her dog looked after"
    page = client.get(sent["Location"])
    assert "Your referral has been sent to Northshire Mental Health" in _text(page)

    # A double click, or the back button and send again: still one referral.
    again = client.post(_url("refer_check", person_id=s["person"].pk), {"token": token})
    assert again["Location"] == _url("detail", referral_id=referral.pk)
    assert Referral.objects.count() == 1
    assert ChangeEvent.objects.filter(action="referral_send").count() == 1


def test_the_refer_pages_show_every_validation_message(client_for, partnership, setting):
    p, s = partnership, setting
    client = client_for(p.police_officer)
    person_id = s["person"].pk
    empty = _text(client.post(_url("refer", person_id=person_id), {}))
    assert "Choose the service you are referring to" in empty
    client.post(_url("refer", person_id=person_id), {"pathway": str(s["pathway"].pk)})
    details = _url("refer_details", person_id=person_id)

    words = _text(client.post(details, {}))
    for message in (
        "There is a problem",
        "Choose how urgent it is",
        "Say why you are referring, in plain words",
        "Summarise the risks, or write that none are known",
        "Say why it is lawful to share this referral",
    ):
        assert message in words
    assert "Choose the person's consent that is in force, or record their consent first" in _text(
        client.post(details, _details(s, sharing_basis="consent"))
    )
    assert "Choose a data sharing agreement in force between your agency and theirs" in _text(
        client.post(details, _details(s, sharing_basis="agreement"))
    )
    assert "Explain why sharing without consent is justified" in _text(
        client.post(details, _details(s, sharing_note=""))
    )
    # Another agency's record (or anything not offered) cannot be attached.
    other = PathwayFactory(name="Other")  # any row id that is not one of the police's records
    kept = client.post(details, _details(s, attachments=[f"referrals.pathway:{other.pk}"], reason="Typed words"))
    assert "Attach only your own agency's records about this person" in _text(kept)
    assert "Typed words" in _text(kept)  # what was typed is kept
    assert Referral.objects.count() == 0


def test_the_check_page_sends_nothing_without_the_details(client_for, partnership, setting):
    p, s = partnership, setting
    client = client_for(p.police_officer)
    assert client.get(_url("refer_check", person_id=s["person"].pk))["Location"] == _url(
        "refer", person_id=s["person"].pk
    )
    stale = client.post(_url("refer_check", person_id=s["person"].pk), {"token": "made-up"})
    assert stale.status_code == 302 and Referral.objects.count() == 0


def test_only_the_referrers_own_records_are_offered_to_attach(client_for, partnership, setting):
    p, s = partnership, setting
    sharing_services.case_note_add(
        actor(p.practitioner),
        person=s["person"],
        category="mental_health",
        title="Seen in clinic",
        body="x",
        occurred_on=datetime.date.today(),
    )
    client = client_for(p.police_officer)
    client.post(_url("refer", person_id=s["person"].pk), {"pathway": str(s["pathway"].pk)})
    words = _text(client.get(_url("refer_details", person_id=s["person"].pk)))
    assert "Contact detail: Mobile phone 07700 900444" in words
    assert "Contact detail: Mobile phone 07700 900555" in words
    assert "Identity: Ria Stone" in words
    assert "Seen in clinic" not in words  # mental health's record, not the police's
    assert "What you saw and what the person said" not in words  # the factory pathway asks for nothing


def test_refer_on_the_persons_consent_or_a_sharing_agreement(client_for, partnership, setting):
    p, s = partnership, setting
    consent = sharing_services.consent_record(
        actor(p.police_officer),
        person=s["person"],
        status="given",
        method="verbal",
        provisions=[
            ProvisionSpec(
                recipient_agencies=[p.mental_health.pk], categories=["coordination"], purposes=["direct_care"]
            )
        ],
    )
    agreement = Agreement.objects.create(
        title="Triage DSA",
        owner=p.police,
        lawful_basis="e_public_task",
        special_category_condition="h_health_social_care",
        starts_on=datetime.date.today() - datetime.timedelta(days=1),
        review_on=datetime.date.today() + datetime.timedelta(days=300),
        created_by=p.police_officer,
        signed_off_at=timezone.now(),
    )
    agreement.parties.set([p.police, p.mental_health])
    client = client_for(p.police_officer)
    client.post(_url("refer", person_id=s["person"].pk), {"pathway": str(s["pathway"].pk)})
    words = _text(client.get(_url("refer_details", person_id=s["person"].pk)))
    assert "Given verbally by the person" in words and "Triage DSA" in words
    check = _text(_refer(client, s, sharing_basis="consent", consent=str(consent.pk), sharing_note=""))
    assert "The person consented to this referral" in check
    check = _text(_refer(client, s, sharing_basis="agreement", agreement=str(agreement.pk), sharing_note=""))
    assert "A data sharing agreement Triage DSA" in check


# ---------------------------------------------------------------------------------------------
# The receiver: inbox, clocks, acknowledge, accept, handover, close


def test_inbox_shows_due_clocks_that_skip_weekends_and_bank_holidays_and_flags_overdue(
    client_for, partnership, setting
):
    p, s = partnership, setting
    # Thursday 24 December 2026, 3pm: routine (5 working days) is due Tuesday 5 January, 5pm.
    with time_machine.travel(datetime.datetime(2026, 12, 24, 15, 0, tzinfo=clock.LONDON), tick=False):
        _send(p, s, urgency=s["pathway"].urgencies.get(name="Routine"))
        words = _text(client_for(p.practitioner).get(_url("inbox")))
    assert "Ria Stone" in words and "Northshire Police" in words
    assert "Due 5 January at 17:00" in words
    assert "Overdue" not in words
    with time_machine.travel(datetime.datetime(2027, 1, 6, 18, 0, tzinfo=clock.LONDON), tick=False):
        words = _text(client_for(p.practitioner).get(_url("inbox")))
        home = _text(client_for(p.practitioner).get("/"))
    assert "Overdue by 1 day" in words and "Overdue" in words
    assert "Your team's referral inbox" in home and "1 overdue" in home


def test_inbox_tabs_and_teams(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    assert "Ria Stone" in _text(client.get(_url("inbox")))
    assert "Ria Stone" not in _text(client.get(_url("inbox") + "?tab=accepted"))
    services.referral_accept(actor(p.practitioner), referral_id=referral.pk)
    assert "Ria Stone" in _text(client.get(_url("inbox") + "?tab=accepted"))
    assert "Ria Stone" not in _text(client.get(_url("inbox") + "?tab=waiting&team=all"))
    # The referrer's inbox holds nothing of it; their "sent" page does.
    police = client_for(p.police_officer)
    assert "Ria Stone" not in _text(police.get(_url("inbox")))
    sent = _text(police.get(_url("sent")))
    assert "Ria Stone" in sent and "Accepted" in sent


def _soon_at(hour: int) -> datetime.datetime:
    """A moment a few days ahead (after every fixture's start), at `hour` o'clock in England."""
    day = clock.today() + datetime.timedelta(days=3)
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=clock.LONDON)


def test_accept_then_record_the_warm_handover_then_close(client_for, partnership, setting):
    soon = _soon_at(9)
    with time_machine.travel(soon, tick=False):
        _accept_then_handover_then_close(client_for, partnership, setting, soon)


def _accept_then_handover_then_close(client_for, partnership, setting, soon):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    page = client.get(_url("detail", referral_id=referral.pk))
    assert "Referral from Northshire Police" in _text(page)
    version = _version(page)
    client.post(_url("acknowledge", referral_id=referral.pk), {"version": version})
    page = client.get(_url("detail", referral_id=referral.pk))
    assert "Acknowledged" in _text(page)
    accepted = client.post(_url("accept", referral_id=referral.pk), {"version": _version(page)})
    assert accepted.status_code == 302
    page = client.get(_url("detail", referral_id=referral.pk))
    assert "You have accepted the referral" in _text(page)
    assert "Record the warm handover" in _text(page)

    handover = client.get(_url("handover", referral_id=referral.pk))
    done = client.post(
        _url("handover", referral_id=referral.pk),
        {
            "version": _version(handover),
            "receiving_worker": str(p.practitioner.pk),
            "handover_on_day": str(soon.day),
            "handover_on_month": str(soon.month),
            "handover_on_year": str(soon.year),
            "handover_time": "9:00am",
            "handover_form": "phone",
            "person_present": "yes",
            "note": "Crisis team visit tonight",
        },
    )
    assert done.status_code == 302, _text(done)
    referral.refresh_from_db()
    assert referral.state == ReferralState.FIRST_CONTACT and referral.person_present is True
    assert referral.receiving_worker == p.practitioner

    # The referrer sees who made first contact, how, and whether the person was there.
    police_page = _text(client_for(p.police_officer).get(_url("detail", referral_id=referral.pk)))
    assert "First contact made" in police_page
    assert str(p.practitioner) in police_page and "Phone call" in police_page

    client = client_for(p.practitioner)
    closing = client.get(_url("close", referral_id=referral.pk))
    closed = client.post(
        _url("close", referral_id=referral.pk), {"version": _version(closing), "note": "Under the team"}
    )
    assert closed.status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.CLOSED and referral.close_note == "Under the team"


def test_the_handover_form_shows_every_validation_message(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    referral = services.referral_accept(actor(p.practitioner), referral_id=referral.pk)
    client = client_for(p.practitioner)
    url = _url("handover", referral_id=referral.pk)
    words = _text(client.post(url, {"version": str(referral.version), "receiving_worker": ""}))
    for message in (
        "Name the worker who made first contact",
        "Enter the date of the handover conversation",
        "Enter the time of the handover conversation",
        "Say how the handover conversation happened",
        "Say whether the person was there",
    ):
        assert message in words
    tomorrow = clock.today() + datetime.timedelta(days=1)
    page = client.post(
        url,
        {
            "version": str(referral.version),
            "receiving_worker_name": "Sam from the crisis team",
            "handover_on_day": str(tomorrow.day),
            "handover_on_month": str(tomorrow.month),
            "handover_on_year": str(tomorrow.year),
            "handover_time": "25:99",
            "handover_form": "phone",
            "person_present": "no",
        },
    )
    words = _text(page)
    assert "Date of the handover conversation must be today or in the past" in words
    assert "Enter a real time, like 14:30" in words
    assert 'value="Sam from the crisis team"' in page.content.decode()  # kept
    soon = _soon_at(9)
    with time_machine.travel(soon, tick=False):
        client = client_for(p.practitioner)
        words = _text(
            client.post(
                url,
                {
                    "version": str(referral.version),
                    "receiving_worker_name": "Sam",
                    "handover_on_day": str(soon.day),
                    "handover_on_month": str(soon.month),
                    "handover_on_year": str(soon.year),
                    "handover_time": "11:00",
                    "handover_form": "phone",
                    "person_present": "no",
                },
            )
        )
    assert "The handover must have happened already" in words


# ---------------------------------------------------------------------------------------------
# Decline: always with an onward route, in one step


def _decline_data(version, **overrides):
    data = {"version": str(version), "decline_reason": "Not a crisis: needs housing help", "onward_reason": ""}
    return {k: v for k, v in (data | overrides).items() if v is not None}


def test_a_decline_without_an_onward_route_is_refused_with_a_clear_message(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    url = _url("decline", referral_id=referral.pk)
    words = _text(client.post(url, _decline_data(referral.version)))
    assert "There is a problem" in words
    assert "Choose an onward route: refer to another service, or record where you signposted the person" in words
    assert "Say why this onward route suits the person" in words
    assert "Not a crisis: needs housing help" in words  # kept
    words = _text(client.post(url, {"version": str(referral.version)}))
    assert "Say why your service is not the right one" in words
    for route, message in (
        ("pathway", "Choose the pathway to refer the person on through"),
        ("directory", "Choose a service from the directory, or search for one"),
        ("other", "Name the service you signposted the person to"),
    ):
        page = client.post(url, _decline_data(referral.version, route=route, onward_reason="Suits her"))
        assert message in _text(page)
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT and not Signposting.objects.exists()


def test_decline_onto_another_pathway_sends_a_new_referral_in_one_step(client_for, partnership, setting):
    p, s = partnership, setting
    housing = PathwayFactory(name="Housing referral", to_agency=p.housing)
    referral = _send(p, s)
    client = client_for(p.practitioner)
    form = client.get(_url("decline", referral_id=referral.pk))
    assert "Housing referral (Northshire Housing). Urgent: a decision within 4 hours" in _text(form)
    done = client.post(
        _url("decline", referral_id=referral.pk),
        _decline_data(
            _version(form),
            route="pathway",
            onward_urgency=str(housing.urgencies.get(name="Routine").pk),
            onward_reason="She is sleeping in her car",
        ),
    )
    referral.refresh_from_db()
    onward = referral.onward_referral
    assert referral.state == ReferralState.DECLINED
    assert onward.state == ReferralState.SENT and onward.to_agency == p.housing and onward.previous == referral
    assert done["Location"] == _url("detail", referral_id=onward.pk)
    page = _text(client.get(done["Location"]))
    assert "You declined the referral and referred the person on" in page
    # The referrer reads what happened on their own referral.
    police = _text(client_for(p.police_officer).get(_url("detail", referral_id=referral.pk)))
    assert "Declined by Northshire Mental Health" in police
    assert "Not a crisis: needs housing help" in police and "referred the person on" in police


@pytest.fixture
def peer_service(partnership):
    org = Organization.objects.create(name="Northshire Peer Support", description="Peers", agency=partnership.voluntary)
    return Service.objects.create(
        organization=org,
        name="Peer navigators",
        description="Peer support from people with lived experience of crisis",
        referral_agency=partnership.voluntary,
    )


def test_decline_with_signposting_to_a_directory_service(client_for, partnership, setting, peer_service):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    url = _url("decline", referral_id=referral.pk)
    version = _version(client.get(url))
    # Searching the directory keeps every answer and shows no errors yet.
    found = client.post(url, _decline_data(version, need="peer support", search="1", onward_reason="Typed first"))
    words = _text(found)
    assert "Peer navigators (Northshire Peer Support)" in words
    assert "There is a problem" not in words and "Typed first" in words
    nothing = _text(client.post(url, _decline_data(version, need="trampolines", search="1")))
    assert "No service in the directory matches" in nothing
    done = client.post(
        url,
        _decline_data(
            version,
            route="directory",
            need="peer support",
            service=str(peer_service.pk),
            onward_reason="Peers who have been there",
            person_told="on",
        ),
    )
    assert done["Location"] == _url("inbox")
    signposting = Signposting.objects.get()
    assert signposting.service_id_hsds == str(peer_service.pk) and signposting.service_name == "Peer navigators"
    assert signposting.person_told and signposting.referral == referral
    assert "signposted the person to Peer navigators" in _text(client.get(done["Location"]))


def test_decline_with_a_signposting_typed_in(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    done = client.post(
        _url("decline", referral_id=referral.pk),
        _decline_data(referral.version, route="other", signpost_name="Citizens Advice", onward_reason="Debt help"),
    )
    assert done.status_code == 302
    assert Signposting.objects.get().service_name == "Citizens Advice"


# ---------------------------------------------------------------------------------------------
# No lost updates: a stale save says who changed it and when, and keeps what was typed


def test_a_stale_decline_keeps_the_text_and_says_who_changed_it(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    form = client.get(_url("decline", referral_id=referral.pk))
    old = _version(form)
    services.referral_acknowledge(actor(p.practitioner), referral_id=referral.pk)  # someone else, meanwhile
    page = client.post(
        _url("decline", referral_id=referral.pk),
        _decline_data(old, route="other", signpost_name="Citizens Advice", onward_reason="My careful words"),
    )
    words = _text(page)
    assert "This referral was changed by mh.practitioner at" in words
    assert "My careful words" in words and 'value="Citizens Advice"' in page.content.decode()
    assert _version(page) == str(int(old) + 1)  # saving again now is a deliberate choice
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACKNOWLEDGED


def test_two_workers_accepting_from_the_same_page_end_with_one_acceptance(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    version = _version(client.get(_url("detail", referral_id=referral.pk)))
    assert client.post(_url("accept", referral_id=referral.pk), {"version": version}).status_code == 302
    second = client.post(_url("accept", referral_id=referral.pk), {"version": version})
    assert second.status_code == 200
    assert "This referral was changed by mh.practitioner at" in _text(second)
    assert ChangeEvent.objects.filter(object_id=str(referral.pk), action="referral_accept").count() == 1


def test_a_stale_withdrawal_keeps_the_reason(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.police_officer)
    old = _version(client.get(_url("withdraw", referral_id=referral.pk)))
    services.referral_acknowledge(actor(p.practitioner), referral_id=referral.pk)
    words = _text(
        client.post(_url("withdraw", referral_id=referral.pk), {"version": old, "withdrawal_reason": "She is safe now"})
    )
    assert "changed by mh.practitioner" in words and "She is safe now" in words


# ---------------------------------------------------------------------------------------------
# Withdraw and refer again


def test_withdraw_then_refer_again(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.police_officer)
    url = _url("withdraw", referral_id=referral.pk)
    form = client.get(url)
    assert "Say why you are withdrawing the referral" in _text(client.post(url, {"version": _version(form)}))
    done = client.post(url, {"version": _version(form), "withdrawal_reason": "Found a bed at her sister's"})
    assert done.status_code == 302
    page = _text(client.get(_url("detail", referral_id=referral.pk)))
    assert "Withdrawn" in page and "Refer again" in page
    # The service no longer sees it.
    assert client_for(p.practitioner).get(_url("detail", referral_id=referral.pk)).status_code == 404

    client = client_for(p.police_officer)
    details = client.get(_url("again", referral_id=referral.pk), follow=True)
    words = _text(details)
    assert "This is a new referral, filled in from the last one" in words
    assert "Found on the bridge, distressed" in words
    response = client.post(
        _url("refer_details", person_id=s["person"].pk),
        _details(s),
    )
    check = client.get(response["Location"])
    assert "Referring again after" in _text(check)
    client.post(_url("refer_check", person_id=s["person"].pk), {"token": _token(check)})
    new = Referral.objects.exclude(pk=referral.pk).get()
    assert new.previous == referral and new.state == ReferralState.SENT


def test_actions_a_state_does_not_allow_go_back_to_the_referral_with_a_reason(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    response = client.get(_url("close", referral_id=referral.pk), follow=True)
    assert "This referral is sent, so you cannot do that now" in _text(response)
    assert client_for(p.police_officer).get(_url("again", referral_id=referral.pk)).status_code == 302


# ---------------------------------------------------------------------------------------------
# Who sees what


def test_the_receiver_sees_only_the_attached_records(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    client = client_for(p.practitioner)
    words = _text(client.get(_url("detail", referral_id=referral.pk)))
    assert "Contact detail: Mobile phone 07700 900444" in words
    assert "07700 900555" not in words
    person = _text(client.get(reverse("people:detail", kwargs={"person_id": s["person"].pk})))
    assert "07700 900444" in person and "07700 900555" not in person
    assert "Community Triage" in person  # the referral itself, in the person's "Referrals" section


def test_the_referrer_sees_the_status_but_not_the_receivers_records(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    mh = actor(p.practitioner)
    referral = services.referral_accept(mh, referral_id=referral.pk)
    sharing_services.case_note_add(
        mh,
        person=s["person"],
        category="mental_health",
        title="Assessment by the crisis team",
        body="Private clinical detail",
        occurred_on=datetime.date.today(),
    )
    assert CaseNote.objects.exists()
    police = client_for(p.police_officer)
    sent = _text(police.get(_url("sent")))
    assert "Ria Stone" in sent and "Accepted" in sent
    page = _text(police.get(_url("detail", referral_id=referral.pk)))
    assert "Accepted by Northshire Mental Health" in page
    person = _text(police.get(reverse("people:detail", kwargs={"person_id": s["person"].pk})))
    assert "Assessment by the crisis team" not in person and "Private clinical detail" not in person


def test_a_referral_is_not_found_for_anyone_else(client_for, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    housing = client_for(p.housing_officer)
    assert housing.get(_url("detail", referral_id=referral.pk)).status_code == 404
    assert housing.post(_url("accept", referral_id=referral.pk), {"version": "2"}).status_code == 404
    assert "Ria Stone" not in _text(housing.get(_url("inbox")))
    # The right agency, the wrong side: the referrer cannot accept or decline its own referral.
    police = client_for(p.police_officer)
    assert police.get(_url("decline", referral_id=referral.pk)).status_code == 404
    assert police.post(_url("accept", referral_id=referral.pk), {"version": "2"}).status_code == 404
    # Roles that do not act on referrals: no actions, and no inbox.
    assert client_for(p.analyst).get(_url("inbox")).status_code == 404
    assert client_for(p.mh_ig_lead).post(_url("accept", referral_id=referral.pk), {"version": "2"}).status_code == 404
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT


def test_a_draft_made_elsewhere_is_sent_from_its_page(client_for, partnership, setting):
    p, s = partnership, setting
    from joinedup.referrals.tests.test_services import _draft

    draft = _draft(p, s)
    client = client_for(p.police_officer)
    page = client.get(_url("detail", referral_id=draft.pk))
    assert "Send the referral" in _text(page)
    client.post(_url("send", referral_id=draft.pk), {"version": _version(page)})
    draft.refresh_from_db()
    assert draft.state == ReferralState.SENT

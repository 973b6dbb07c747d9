import datetime
import re

import pytest
import time_machine

from joinedup.audit.models import AccessEvent
from joinedup.core import clock
from joinedup.core.tests.helpers import actor
from joinedup.crisis import services
from joinedup.crisis.models import ContactReferral, CrisisContact
from joinedup.crisis.tests.conftest import log_contact
from joinedup.people.models import Person

pytestmark = pytest.mark.django_db


def _ago(minutes: int) -> datetime.datetime:
    return clock.now() - datetime.timedelta(minutes=minutes)


def _log_post(**overrides: str) -> dict[str, str]:
    now = clock.local(clock.now()) - datetime.timedelta(minutes=3)
    data = {
        "channel": "police",
        "received_date_day": str(now.day),
        "received_date_month": str(now.month),
        "received_date_year": str(now.year),
        "received_time": f"{now:%H:%M}",
        "presenting_need": "Man on the bridge, police with him",
        "caller_description": "Man, 50s, on the river bridge",
        "caller_name": "PC 1234 Patel",
    }
    return data | overrides


def test_the_board_lists_open_contacts_oldest_first_and_refreshes_itself(client_for, hub):
    log_contact(hub.worker, received_at=_ago(3), caller_description="Second caller")
    log_contact(hub.worker, received_at=_ago(30), caller_description="First caller")
    log_contact(hub.other_worker, caller_description="Another hub's caller")
    response = client_for(hub.worker).get("/crisis/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("First caller") < body.index("Second caller")
    assert "Another hub's caller" not in body
    assert "Waiting 30 minutes" in body and "nhsuk-tag--red" in body  # waited past the 15-minute mark
    assert "Not triaged yet" in body and "Not identified" in body
    # Refreshes itself every 30 seconds with htmx, served from our own static files under the CSP.
    assert 'hx-get="/crisis/board/rows"' in body and 'hx-trigger="every 30s"' in body
    script = re.search(r'<script src="([^"]+htmx[^"]+)" defer nonce="([^"]+)">', body)
    assert script and script[1].startswith("/static/django_htmx/htmx-2.min")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" + script[2] + "'" in csp
    assert '"includeIndicatorStyles": false' in body  # htmx adds no inline style the CSP would refuse


def test_the_board_fragment_does_not_keep_the_session_alive(client_for, hub, settings):
    log_contact(hub.worker, caller_description="Fragment caller")
    client = client_for(hub.worker)
    session = client.session
    session["jdu_last_seen"] = 1.0e9 + 0.5  # long ago; a fragment poll must not refresh it
    session.save()
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(days=365 * 100)
    response = client.get("/crisis/board/rows", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fragment caller" in body and "<html" not in body
    assert client.session["jdu_last_seen"] == 1.0e9 + 0.5


def test_only_crisis_workers_have_the_board(client_for, hub, partnership):
    for user in (hub.manager, partnership.practitioner, partnership.analyst):
        client = client_for(user)
        assert client.get("/crisis/").status_code == 404
        assert client.get("/crisis/contacts/new").status_code == 404
        assert "Crisis board" not in client.get("/").content.decode()


def test_the_home_page_of_a_crisis_worker_is_the_board(client_for, hub):
    log_contact(hub.worker, caller_description="Caller on the home page")
    body = client_for(hub.worker).get("/").content.decode()
    assert "Open crisis contacts" in body and "Caller on the home page" in body
    assert 'href="/crisis/"' in body  # the navigation item


def test_logging_an_unidentified_caller(client_for, hub):
    client = client_for(hub.worker)
    form = client.get("/crisis/contacts/new").content.decode()
    assert f'value="{clock.local(clock.now()):%H}' in form  # the time is filled in with now
    response = client.post("/crisis/contacts/new", _log_post())
    contact = CrisisContact.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/crisis/contacts/{contact.pk}/"
    assert (contact.channel, contact.caller_name, contact.person_id) == ("police", "PC 1234 Patel", None)
    page = client.get(response["Location"]).content.decode()
    assert "Man, 50s, on the river bridge" in page and "Say who the contact was about" in page


def test_logging_says_what_is_wrong_next_to_the_field(client_for, hub):
    # Mid-afternoon, so "two hours from now" is later today and "three minutes ago" is still today.
    with time_machine.travel(datetime.datetime(2026, 11, 24, 15, 0, tzinfo=clock.LONDON), tick=False):
        client = client_for(hub.worker)
        response = client.post(
            "/crisis/contacts/new",
            _log_post(received_time="17:00", caller_description="", presenting_need=""),
        )
        body = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in body
        assert "Say what the person needs help with" in body or "This field is required" in body
        assert not CrisisContact.objects.exists()
        body = client.post("/crisis/contacts/new", _log_post(received_time="17:00")).content.decode()
        assert "The time the contact came in must be now or in the past" in body
        assert 'href="#id_received_time"' in body
        response = client.post("/crisis/contacts/new", _log_post(caller_description=""))
        assert "Describe the caller so the next worker can recognise them" in response.content.decode()
        response = client.post("/crisis/contacts/new", _log_post(received_time="25:99"))
        assert "Enter a real time, like 14:05" in response.content.decode()
        assert not CrisisContact.objects.exists()


def test_logging_for_someone_known(client_for, hub):
    client = client_for(hub.worker)
    found = client.get("/crisis/contacts/find-person", {"q": "hale"}).content.decode()
    assert f"/crisis/contacts/new?person={hub.known.pk}" in found
    assert "Quinn Ashby" not in client.get("/crisis/contacts/find-person", {"q": "ashby"}).content.decode()
    response = client.post(f"/crisis/contacts/new?person={hub.known.pk}", _log_post(caller_description=""))
    assert response.status_code == 302
    assert CrisisContact.objects.get().person == hub.known
    assert client.get(f"/crisis/contacts/new?person={hub.stranger.pk}").status_code == 404


def test_triage_and_a_stale_save_keeps_the_workers_text(client_for, hub):
    contact = log_contact(hub.worker)
    client = client_for(hub.worker)
    assert "Triage the contact" in client.get(f"/crisis/contacts/{contact.pk}/triage").content.decode()
    services.contact_update(actor(hub.colleague), contact_id=contact.pk, expected_version=1, notes="Colleague rang")
    data = {
        "version": "1",
        "presenting_need": contact.presenting_need,
        "triage_outcome": "dbi_referral",
        "notes": "My careful notes",
        "caller_description": contact.caller_description,
    }
    response = client.post(f"/crisis/contacts/{contact.pk}/triage", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "changed by crisis.colleague" in body and "My careful notes" in body
    assert 'name="version" value="2"' in body  # a second, deliberate save goes through
    response = client.post(f"/crisis/contacts/{contact.pk}/triage", data | {"version": "2"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.triage_outcome, contact.notes) == ("dbi_referral", "My careful notes")


def test_recording_the_first_response(client_for, hub):
    contact = log_contact(hub.worker)
    client = client_for(hub.colleague)
    assert "Record the first response now" in client.get(f"/crisis/contacts/{contact.pk}/").content.decode()
    response = client.post(f"/crisis/contacts/{contact.pk}/respond", {"version": "1"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.first_response_at is not None and contact.handled_by == hub.colleague
    assert "Responded in" in client.get(f"/crisis/contacts/{contact.pk}/").content.decode()
    assert (
        client_for(hub.other_worker).post(f"/crisis/contacts/{contact.pk}/respond", {"version": "2"}).status_code == 404
    )


def test_closing_without_an_outcome_is_refused_then_closes(client_for, hub):
    contact = log_contact(hub.worker)
    client = client_for(hub.worker)
    response = client.post(f"/crisis/contacts/{contact.pk}/close", {"version": "1", "note": "Done"})
    body = response.content.decode()
    assert "Choose the triage outcome before you close the contact" in body and 'href="#id_triage_outcome"' in body
    response = client.post(
        f"/crisis/contacts/{contact.pk}/close", {"version": "1", "triage_outcome": "self_management", "note": "Done"}
    )
    assert response.status_code == 302 and response["Location"] == "/crisis/"
    assert "Woman, 30s" not in client.get("/crisis/").content.decode()


def test_linking_from_the_page_to_someone_known_or_someone_new(client_for, hub):
    first, second = log_contact(hub.worker), log_contact(hub.worker)
    client = client_for(hub.worker)
    page = client.get(f"/crisis/contacts/{first.pk}/link", {"q": "rowan"}).content.decode()
    assert "Link to Rowan Hale" in page
    response = client.post(
        f"/crisis/contacts/{first.pk}/link", {"action": "existing", "version": "1", "person_id": str(hub.known.pk)}
    )
    assert response.status_code == 302
    assert CrisisContact.objects.get(pk=first.pk).person == hub.known
    response = client.post(
        f"/crisis/contacts/{second.pk}/link",
        {"action": "new", "version": "1", "given_name": "", "family_name": "", "gender": "not_known"},
    )
    assert "Enter the person&#39;s name" in response.content.decode()
    response = client.post(
        f"/crisis/contacts/{second.pk}/link",
        {"action": "new", "version": "1", "given_name": "Ada", "family_name": "Finch", "gender": "female"},
    )
    assert response.status_code == 302
    assert CrisisContact.objects.get(pk=second.pk).person == Person.objects.get(family_name="Finch")


def test_referring_onwards_checks_the_answers_first(client_for, hub):
    contact = log_contact(hub.worker, person_id=hub.known.pk)
    client = client_for(hub.worker)
    urgency = hub.dbi_pathway.urgencies.get(name="Urgent")
    form = client.get(f"/crisis/contacts/{contact.pk}/refer").content.decode()
    assert "Distress Brief Intervention (Harbour DBI): urgent" in form
    data = {
        "version": "1",
        "route": f"{hub.dbi_pathway.pk}:{urgency.pk}",
        "reason": "Agreed to DBI support",
        "risk_summary": "None known",
        "sharing_basis": "vital_interests",
        "sharing_note": "Distress tonight",
        "attach_contact": "on",
    }
    check = client.post(f"/crisis/contacts/{contact.pk}/refer", data).content.decode()
    assert "Check the referral before you send it" in check and "Agreed to DBI support" in check
    assert not ContactReferral.objects.exists()
    response = client.post(f"/crisis/contacts/{contact.pk}/refer", data | {"confirm": "1"})
    assert response.status_code == 302
    link = ContactReferral.objects.get()
    assert link.referral.to_agency == hub.dbi and link.referral.state == "sent"
    page = client.get(f"/crisis/contacts/{contact.pk}/").content.decode()
    assert "Distress Brief Intervention to Harbour DBI" in page


def test_referring_needs_the_person_first(client_for, hub):
    contact = log_contact(hub.worker)
    response = client_for(hub.worker).get(f"/crisis/contacts/{contact.pk}/refer")
    assert response.status_code == 302 and response["Location"] == f"/crisis/contacts/{contact.pk}/"


def test_another_agency_gets_a_plain_404_that_names_nobody(client_for, hub, partnership):
    contact = log_contact(hub.worker, caller_description="Woman, 30s, calling from a phone box")
    for user in (hub.other_worker, partnership.practitioner):
        response = client_for(user).get(f"/crisis/contacts/{contact.pk}/")
        assert response.status_code == 404
        assert "phone box" not in response.content.decode()
    assert AccessEvent.objects.filter(outcome="denied", reason=f"crisis.crisiscontact:{contact.pk}").count() == 2

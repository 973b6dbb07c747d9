"""Emergency (break-glass) access end to end: finding a person one cannot see, asking with a fresh
MFA code, the banner, alerts to each agency's IG lead, the review queue and decision, and expiry."""

import datetime
import html
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core import clock, workdays
from joinedup.core.errors import NotFound
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.people.tests.factories import AddressFactory, ContactDetailFactory, InvolvementFactory, PersonFactory
from joinedup.sharing import policy, services
from joinedup.sharing.models import EmergencyGrant, EmergencyReason, EmergencyReview, ReviewOutcome

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as text a person reads (names like O'Neil come back unescaped)."""
    return html.unescape(response.content.decode())


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def field_error(body: str, field_id: str) -> str:
    """The error message shown beside one field (NHS.UK error message, id "<field id>-error")."""
    hidden = r'(?:<span class="nhsuk-u-visually-hidden">[^<]*</span>)?'
    match = re.search(rf'id="{field_id}-error"[^>]*>\s*{hidden}(.*?)</span>', body, re.S)
    return match.group(1).strip() if match else ""


def code_for(user) -> str:
    """The code the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def code_for_new_device(user) -> str:
    """Give the user an authenticator (as `sign_in` does) and return its current code."""
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Test app"})
    return code_for(user)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def people(partnership):
    """Jo Marsh, known to mental health (with a sealed refuge address) and housing; not to the police."""
    p = partnership
    person = PersonFactory(given_name="Jo", family_name="Marsh", recorded_by=p.mental_health)
    InvolvementFactory(person=person, agency=p.mental_health)
    InvolvementFactory(person=person, agency=p.housing)
    ContactDetailFactory(person=person, recorded_by=p.mental_health, value="07700 900111")
    ContactDetailFactory(person=person, recorded_by=p.housing, value="07700 900222")
    AddressFactory(person=person, recorded_by=p.mental_health, kind="refuge", sealed=True, line1="Hidden House")
    housing_ig = UserFactory(username="housing.ig", agency=p.housing, roles=[RoleCode.IG_LEAD])
    police_ig = UserFactory(username="police.ig", agency=p.police, roles=[RoleCode.IG_LEAD])
    return {"person": person, "housing_ig": housing_ig, "police_ig": police_ig}


def _ask(client, person, **data):
    """Ask for emergency access the way someone who cannot see the person must: by NHS number first."""
    client.post("/emergency-access/find", {"nhs_number": person.nhs_number})
    form = {"reason": EmergencyReason.RISK_TO_LIFE, "explanation": "Found collapsed, says she took tablets", "hours": 4}
    return client.post(f"/people/{person.pk}/emergency-access", form | data)


def test_the_request_page_never_confirms_an_unseen_person_exists(client_for, partnership, people):
    police = client_for(partnership.police_officer)
    assert police.get(f"/people/{people['person'].pk}/emergency-access").status_code == 404
    police.post("/emergency-access/find", {"nhs_number": people["person"].nhs_number})
    assert police.get(f"/people/{people['person'].pk}/emergency-access").status_code == 200


def test_the_whole_journey(client_for, partnership, people):
    p, person = partnership, people["person"]
    police = client_for(p.police_officer)
    assert police.get(f"/people/{person.pk}/").status_code == 404

    # A person the officer cannot see is found by exact NHS number (and that look-up is recorded).
    response = police.post("/emergency-access/find", {"nhs_number": person.nhs_number})
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/emergency-access"
    looked_up = AccessEvent.objects.filter(actor_user_id=p.police_officer.pk, person_id=person.pk).last()
    assert looked_up.outcome == Outcome.DENIED and "NHS number" in looked_up.reason
    page = text_of(police.get(response["Location"]))
    number = person.nhs_number
    assert f"NHS number {number[:3]} {number[3:6]} {number[6:]}" in page
    assert "Jo Marsh" not in page  # nothing of the person is shown before the grant

    # A wrong code is refused beside the field, and nothing is granted.
    with time_machine.travel(clock.now(), tick=False) as traveller:
        response = _ask(police, person, mfa_code="000000" if code_for(p.police_officer) != "000000" else "111111")
        body = text_of(response)
        assert response.status_code == 200
        assert "That security code is not right" in field_error(body, "id_mfa_code")
        assert not EmergencyGrant.objects.exists()

        # Right after a wrong code django-otp waits a moment; the message says so.
        response = _ask(police, person, mfa_code=code_for(p.police_officer))
        assert "Too many wrong codes" in text_of(response)

        traveller.shift(datetime.timedelta(seconds=31))
        response = _ask(police, person, mfa_code=code_for(p.police_officer))
        assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
        grant = EmergencyGrant.objects.get()
        assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=4)

        # The banner shows; everything but the sealed refuge address is visible.
        body = text_of(police.get(f"/people/{person.pk}/"))
        until = clock.local(grant.expires_at)
        hour = until.hour % 12 or 12
        minutes = f":{until.minute:02d}" if until.minute else ""
        suffix = "am" if until.hour < 12 else "pm"
        assert f"You are using emergency access to Jo Marsh until {hour}{minutes}{suffix}" in body
        assert "Everything you open is recorded" in body
        assert "End emergency access now" in body
        assert "07700 900111" in body and "07700 900222" in body
        assert "Hidden House" not in body
        assert "Get emergency access" not in body  # already under a grant

        # Each agency whose records were read is alerted through its IG lead, and has a review due.
        reviews = EmergencyReview.objects.filter(grant=grant)
        assert {r.agency_id for r in reviews} == {p.mental_health.pk, p.housing.pk}
        due = workdays.add_working_days(clock.local(grant.granted_at).date(), 2)
        assert {r.due_on for r in reviews} == {due}
        recipients = sorted(address for message in mail.outbox for address in message.to)
        assert recipients == sorted([p.mh_ig_lead.email, people["housing_ig"].email])
        assert all("Found collapsed" in message.body for message in mail.outbox)
        assert people["police_ig"].email not in recipients  # the police's own records were not read

        # A second look counts as another use, without a second alert.
        police.get(f"/people/{person.pk}/")
        assert len(mail.outbox) == 2
        assert EmergencyReview.objects.get(grant=grant, agency=p.mental_health).uses == 2


def test_review_queue_and_decision(client_for, partnership, people):
    p, person = partnership, people["person"]
    grant = services.emergency_grant_request(
        actor(p.police_officer),
        person=person,
        reason=EmergencyReason.MISSING_PERSON,
        explanation="Reported missing by her sister, at risk",
        mfa_code=code_for_new_device(p.police_officer),
    )
    client_for(p.police_officer).get(f"/people/{person.pk}/")
    review = EmergencyReview.objects.get(grant=grant, agency=p.mental_health)

    ig = client_for(p.mh_ig_lead)
    queue = text_of(ig.get("/governance/emergency-reviews/"))
    assert p.police_officer.get_full_name() in queue
    assert "The person is missing and at risk" in queue
    assert "Jo Marsh" in queue
    assert "Due " in queue and "Overdue" not in queue

    page = text_of(ig.get(f"/governance/emergency-reviews/{review.pk}/"))
    assert "Reported missing by her sister" in page
    assert "Contact detail" in page and "07700 900111" in page  # which of our records were read

    response = ig.post(f"/governance/emergency-reviews/{review.pk}/", {"outcome": ReviewOutcome.JUSTIFIED})
    assert response.status_code == 200
    assert "Write down how you reached the decision" in text_of(response)

    response = ig.post(
        f"/governance/emergency-reviews/{review.pk}/",
        {"outcome": ReviewOutcome.JUSTIFIED, "note": "Spoke to the officer: she was found safe that night"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.outcome, review.reviewed_by_id) == (ReviewOutcome.JUSTIFIED, p.mh_ig_lead.pk)
    assert "Decided recently" in text_of(ig.get("/governance/emergency-reviews/"))

    # Another agency's IG lead cannot open this agency's review; a practitioner cannot open the queue.
    assert client_for(people["police_ig"]).get(f"/governance/emergency-reviews/{review.pk}/").status_code == 404
    assert client_for(p.practitioner).get("/governance/emergency-reviews/").status_code == 404


def test_overdue_reviews_are_flagged(client_for, partnership, people):
    p, person = partnership, people["person"]
    services.emergency_grant_request(
        actor(p.police_officer),
        person=person,
        reason=EmergencyReason.RISK_TO_LIFE,
        explanation="Threatening to jump from the bridge",
        mfa_code=code_for_new_device(p.police_officer),
    )
    client_for(p.police_officer).get(f"/people/{person.pk}/")
    review = EmergencyReview.objects.get(agency=p.mental_health)
    later = datetime.datetime.combine(review.due_on, datetime.time(12), tzinfo=clock.LONDON) + datetime.timedelta(
        days=1
    )
    with time_machine.travel(later, tick=False):
        ig = client_for(p.mh_ig_lead)
        assert "Overdue" in text_of(ig.get("/governance/emergency-reviews/"))
        home = text_of(ig.get("/"))
        assert "Emergency access reviews" in home and "1 overdue" in home and "Overdue" in home


def test_the_grant_expires(client_for, partnership, people):
    p, person = partnership, people["person"]
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        police = client_for(p.police_officer)
        assert _ask(police, person, hours=2, mfa_code=code_for(p.police_officer)).status_code == 302
        assert police.get(f"/people/{person.pk}/").status_code == 200
        traveller.shift(datetime.timedelta(hours=2, minutes=1))
        police = client_for(p.police_officer)  # the idle session has long since timed out
        assert police.get(f"/people/{person.pk}/").status_code == 404


def test_ending_early(client_for, partnership, people):
    p, person = partnership, people["person"]
    police = client_for(p.police_officer)
    assert _ask(police, person, mfa_code=code_for(p.police_officer)).status_code == 302
    response = police.post(f"/people/{person.pk}/emergency-access/end")
    assert response.status_code == 302 and response["Location"] == "/"
    assert EmergencyGrant.objects.get().ended_at is not None
    assert police.get(f"/people/{person.pk}/").status_code == 404
    assert police.post(f"/people/{person.pk}/emergency-access/end").status_code == 404


def test_hours_are_limited_and_the_reason_is_required(client_for, partnership, people):
    police = client_for(partnership.police_officer)
    body = text_of(_ask(police, people["person"], hours=25, mfa_code="123456"))
    assert "Emergency access lasts at most 24 hours" in field_error(body, "id_hours")
    body = text_of(police.post(f"/people/{people['person'].pk}/emergency-access", {"hours": 4}))
    assert "Choose why you need emergency access" in field_error(body, "id_reason")
    assert "Enter the security code from your authenticator app" in field_error(body, "id_mfa_code")
    assert "There is a problem" in body
    assert not EmergencyGrant.objects.exists()


def test_volunteer_cannot_ask_for_emergency_access(client_for, partnership, people):
    person = people["person"]
    InvolvementFactory(person=person, agency=partnership.voluntary)
    volunteer = client_for(partnership.volunteer)
    page = text_of(volunteer.get(f"/people/{person.pk}/"))
    assert "Jo Marsh" in page and "Get emergency access" not in page
    assert volunteer.get(f"/people/{person.pk}/emergency-access").status_code == 404
    assert _ask(volunteer, person, mfa_code=code_for(partnership.volunteer)).status_code == 404
    assert volunteer.get("/emergency-access/find").status_code == 404
    assert not EmergencyGrant.objects.exists()


def test_practitioner_sees_the_link_on_a_person_they_can_see(client_for, partnership, people):
    body = text_of(client_for(partnership.housing_officer).get(f"/people/{people['person'].pk}/"))
    assert "Get emergency access" in body
    assert f"/people/{people['person'].pk}/emergency-access" in body


def test_unknown_people_and_numbers(client_for, partnership, people):
    police = client_for(partnership.police_officer)
    assert police.get(f"/people/{uuid.uuid4()}/emergency-access").status_code == 404
    body = text_of(police.post("/emergency-access/find", {"nhs_number": "999 999 9999"}))
    assert "NHS number" in body and ("not a valid" in body or "No one with that NHS number" in body)
    body = text_of(police.post("/emergency-access/find", {"nhs_number": "12"}))
    assert "An NHS number must be 10 digits long" in body


def test_grant_reads_use_the_emergency_purpose(partnership, people):
    officer = actor(partnership.police_officer)
    services.emergency_grant_request(
        officer,
        person=people["person"],
        reason=EmergencyReason.CRISIS_RESPONSE,
        explanation="In crisis on the street, will not give details",
        mfa_code=code_for_new_device(partnership.police_officer),
    )
    access = policy.access_person(officer, people["person"].pk, Purpose.EMERGENCY)
    assert access.emergency is not None
    with pytest.raises(NotFound):  # under any other purpose she is not there
        policy.access_person(officer, people["person"].pk, Purpose.DIRECT_CARE)


def test_alerts_go_through_the_database_task_worker(partnership, people, settings, monkeypatch):
    """How to run the real task queue in a test.

    With the configured backend (django-tasks-db) an alert waits in the database until a worker runs
    it; `manage.py db_worker --batch --no-startup-delay` drains the queue and exits. Two things make
    that work inside a test's rolled-back transaction: the worker's `close_old_connections()` would
    close (and so poison) the open test transaction, so it is stubbed out; and `transaction=True`
    tests are no way round it, since flushing the append-only audit tables between tests is refused.
    Most tests simply use Django's ImmediateBackend (see `tasks_run_at_once`).
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    officer = actor(partnership.police_officer)
    services.emergency_grant_request(
        officer,
        person=people["person"],
        reason=EmergencyReason.SERIOUS_HARM,
        explanation="Threatening a neighbour with a knife",
        mfa_code=code_for_new_device(partnership.police_officer),
    )
    policy.access_person(officer, people["person"].pk, Purpose.EMERGENCY)
    assert mail.outbox == []  # queued in the database, not sent
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    expected = sorted([partnership.mh_ig_lead.email, people["housing_ig"].email])
    assert sorted(a for m in mail.outbox for a in m.to) == expected

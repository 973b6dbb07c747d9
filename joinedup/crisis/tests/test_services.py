import datetime

import pytest
import time_machine

from joinedup.audit.models import ChangeEvent
from joinedup.core import clock
from joinedup.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.crisis import services
from joinedup.crisis.models import ContactReferral, ContactStatus, CrisisContact, TriageOutcome
from joinedup.crisis.tests.conftest import log_contact
from joinedup.people.models import Involvement
from joinedup.referrals import selectors as referral_selectors
from joinedup.referrals.models import Referral, ReferralState
from joinedup.sharing import policy

pytestmark = pytest.mark.django_db


def _moment() -> datetime.datetime:
    """A fixed moment to travel to: now, to the second (role grants start a day before the tests)."""
    return clock.now().replace(microsecond=0)


def _events(contact: CrisisContact) -> list[str]:
    rows = ChangeEvent.objects.filter(object_type="crisis.crisiscontact", object_id=str(contact.pk)).order_by("id")
    return list(rows.values_list("action", flat=True))


def test_an_unidentified_caller_is_logged_without_a_person(hub):
    contact = log_contact(hub.worker)
    assert contact.person_id is None
    assert contact.recorded_by_id == hub.crisis.pk
    assert contact.category == "mental_health"
    assert contact.status == ContactStatus.OPEN and contact.version == 1
    assert contact.handled_by_id == hub.worker.pk
    event = ChangeEvent.objects.get(object_id=str(contact.pk))
    assert (event.action, event.person_id, event.recorded_by_id) == ("crisis_contact_log", None, hub.crisis.pk)


def test_a_known_person_can_be_logged_at_once(hub):
    contact = log_contact(hub.worker, person_id=hub.known.pk, caller_description="")
    assert contact.person_id == hub.known.pk and contact.linked_at is not None


def test_linking_later_keeps_the_contact_and_its_history(hub):
    contact = log_contact(hub.worker, notes="Called twice before giving a name")
    contact = services.contact_update(
        actor(hub.worker), contact_id=contact.pk, expected_version=1, triage_outcome=TriageOutcome.SELF_MANAGEMENT
    )
    linked = services.contact_link_person(
        actor(hub.colleague), contact_id=contact.pk, expected_version=contact.version, person_id=hub.known.pk
    )
    assert linked.pk == contact.pk and linked.person_id == hub.known.pk
    assert linked.caller_description == "Woman, 30s, calling from a phone box"
    assert linked.notes == "Called twice before giving a name"
    assert linked.triage_outcome == TriageOutcome.SELF_MANAGEMENT
    assert _events(contact) == ["crisis_contact_log", "crisis_contact_update", "crisis_contact_link"]
    link_event = ChangeEvent.objects.get(object_id=str(contact.pk), action="crisis_contact_link")
    assert link_event.person_id == hub.known.pk
    assert link_event.before["person_id"] is None and link_event.after["person_id"] == str(hub.known.pk)
    assert CrisisContact.objects.count() == 1


def test_linking_can_create_the_person(hub):
    contact = log_contact(hub.worker)
    new = services.NewPerson(given_name="Ada", family_name="Finch", date_of_birth=datetime.date(1994, 5, 1))
    linked = services.contact_link_person(actor(hub.worker), contact_id=contact.pk, expected_version=1, new_person=new)
    person = linked.person
    assert (person.given_name, person.family_name, person.recorded_by_id) == ("Ada", "Finch", hub.crisis.pk)
    assert Involvement.objects.filter(person=person, agency=hub.crisis).exists()  # the hub is working with her


def test_a_person_the_worker_cannot_see_cannot_be_linked_or_logged(hub):
    contact = log_contact(hub.worker)
    with pytest.raises(ValidationFailed) as caught:
        services.contact_link_person(
            actor(hub.worker), contact_id=contact.pk, expected_version=1, person_id=hub.stranger.pk
        )
    assert "person_id" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        log_contact(hub.worker, person_id=hub.stranger.pk)
    assert "person_id" in caught.value.errors
    assert CrisisContact.objects.get().person_id is None


def test_a_linked_contact_is_not_relinked(hub):
    contact = log_contact(hub.worker, person_id=hub.known.pk)
    with pytest.raises(ValidationFailed, match="already linked"):
        services.contact_link_person(
            actor(hub.worker), contact_id=contact.pk, expected_version=1, person_id=hub.known.pk
        )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"caller_description": ""}, "caller_description", "Describe the caller"),
        ({"presenting_need": "  "}, "presenting_need", "needs help with"),
        ({"channel": "pigeon"}, "channel", "Choose how the contact came in"),
        ({"received_at": None}, "received_at", "Enter the date and time"),
    ],
)
def test_logging_says_what_is_missing(hub, fields, field, message):
    with pytest.raises(ValidationFailed) as caught:
        log_contact(hub.worker, **fields)
    assert message in caught.value.errors[field][0]
    assert not CrisisContact.objects.exists()


def test_a_received_time_in_the_future_is_refused(hub):
    with pytest.raises(ValidationFailed) as caught:
        log_contact(hub.worker, received_at=clock.now() + datetime.timedelta(minutes=30))
    assert caught.value.errors == {"received_at": ["The time the contact came in must be now or in the past"]}
    log_contact(hub.worker, received_at=clock.now() + datetime.timedelta(seconds=20))  # a phone system's clock


@pytest.mark.parametrize("outcome", [o for o in TriageOutcome if o != TriageOutcome.OTHER])
def test_every_triage_outcome_can_be_recorded_and_closed(hub, outcome):
    contact = log_contact(hub.worker)
    contact = services.contact_update(
        actor(hub.worker), contact_id=contact.pk, expected_version=1, triage_outcome=outcome
    )
    assert contact.triage_outcome == outcome
    closed = services.contact_close(actor(hub.worker), contact_id=contact.pk, expected_version=contact.version)
    assert closed.status == ContactStatus.CLOSED and closed.closed_by_id == hub.worker.pk


def test_other_needs_a_word_about_the_outcome(hub):
    contact = log_contact(hub.worker)
    with pytest.raises(ValidationFailed) as caught:
        services.contact_update(actor(hub.worker), contact_id=contact.pk, expected_version=1, triage_outcome="other")
    assert caught.value.errors == {"outcome_detail": ["Say what the outcome was"]}
    done = services.contact_update(
        actor(hub.worker),
        contact_id=contact.pk,
        expected_version=1,
        triage_outcome="other",
        outcome_detail="Sat with the GP out of hours service",
    )
    assert done.outcome_detail == "Sat with the GP out of hours service"
    with pytest.raises(ValidationFailed) as caught:
        services.contact_update(actor(hub.worker), contact_id=contact.pk, expected_version=2, triage_outcome="vanish")
    assert "triage_outcome" in caught.value.errors


def test_response_time_is_from_receipt_to_first_response(hub):
    evening = _moment()
    with time_machine.travel(evening, tick=False):
        contact = log_contact(hub.worker, received_at=evening - datetime.timedelta(minutes=2))
        assert contact.response_minutes is None
        assert contact.waiting(clock.now()) == datetime.timedelta(minutes=2)
    with time_machine.travel(evening + datetime.timedelta(minutes=10), tick=False):
        contact = services.contact_respond(actor(hub.colleague), contact_id=contact.pk, expected_version=1)
    assert contact.response_minutes == 12
    assert contact.handled_by_id == hub.colleague.pk
    with pytest.raises(ValidationFailed, match="already recorded"):
        services.contact_respond(actor(hub.worker), contact_id=contact.pk, expected_version=2)


def test_a_response_cannot_come_before_the_contact(hub):
    contact = log_contact(hub.worker)
    with pytest.raises(ValidationFailed) as caught:
        services.contact_respond(
            actor(hub.worker),
            contact_id=contact.pk,
            expected_version=1,
            responded_at=contact.received_at - datetime.timedelta(minutes=1),
        )
    assert "responded_at" in caught.value.errors


def test_deciding_an_outcome_counts_as_the_first_response(hub):
    evening = _moment()
    with time_machine.travel(evening, tick=False):
        contact = log_contact(hub.worker, received_at=evening - datetime.timedelta(minutes=7))
        contact = services.contact_update(
            actor(hub.worker), contact_id=contact.pk, expected_version=1, triage_outcome="crisis_team"
        )
    assert contact.response_minutes == 7


def test_closing_needs_a_triage_outcome(hub):
    contact = log_contact(hub.worker)
    with pytest.raises(ValidationFailed) as caught:
        services.contact_close(actor(hub.worker), contact_id=contact.pk, expected_version=1)
    assert caught.value.errors == {"triage_outcome": ["Choose the triage outcome before you close the contact"]}
    closed = services.contact_close(
        actor(hub.worker), contact_id=contact.pk, expected_version=1, triage_outcome="ed_conveyance", note="Ambulance"
    )
    assert (closed.status, closed.triage_outcome, closed.close_note) == ("closed", "ed_conveyance", "Ambulance")
    assert closed.first_response_at is not None
    with pytest.raises(ValidationFailed, match="closed"):
        services.contact_update(actor(hub.worker), contact_id=contact.pk, expected_version=2, notes="late")


def test_a_closed_contact_can_still_be_linked(hub):
    contact = log_contact(hub.worker)
    services.contact_close(
        actor(hub.worker), contact_id=contact.pk, expected_version=1, triage_outcome="self_management"
    )
    linked = services.contact_link_person(
        actor(hub.worker), contact_id=contact.pk, expected_version=2, person_id=hub.known.pk
    )
    assert linked.person_id == hub.known.pk and linked.status == "closed"


def test_a_stale_update_is_refused_with_who_changed_it(hub):
    contact = log_contact(hub.worker)
    services.contact_update(actor(hub.colleague), contact_id=contact.pk, expected_version=1, notes="Rang back")
    with pytest.raises(StaleVersion) as caught:
        services.contact_update(actor(hub.worker), contact_id=contact.pk, expected_version=1, notes="Mine")
    assert "crisis.colleague" in caught.value.message and caught.value.current_version == 2
    assert CrisisContact.objects.get().notes == "Rang back"


def test_only_the_hubs_crisis_workers_change_its_contacts(hub, partnership):
    contact = log_contact(hub.worker)
    with pytest.raises(NotFound):
        services.contact_update(actor(hub.other_worker), contact_id=contact.pk, expected_version=1, notes="x")
    with pytest.raises(PermissionDenied):
        services.contact_update(actor(hub.manager), contact_id=contact.pk, expected_version=1, notes="x")
    with pytest.raises(PermissionDenied):
        log_contact(partnership.practitioner)


def _refer(hub, contact, **overrides):
    values = {
        "pathway_id": hub.dbi_pathway.pk,
        "urgency_id": hub.dbi_pathway.urgencies.get(name="Urgent").pk,
        "reason": "Distressed after losing her job; agreed to DBI support",
        "risk_summary": "No current plans to end her life",
        "sharing_basis": "vital_interests",
        "sharing_note": "Agreed on the phone; consent to be recorded by the DBI service",
    }
    return services.contact_refer(
        actor(hub.worker), contact_id=contact.pk, expected_version=contact.version, **(values | overrides)
    )


def test_an_onward_referral_is_the_hubs_sent_referral(hub):
    contact = log_contact(hub.worker, person_id=hub.known.pk)
    referral = _refer(hub, contact)
    assert (referral.state, referral.from_agency_id, referral.to_agency_id) == ("sent", hub.crisis.pk, hub.dbi.pk)
    assert referral.attachments == [f"crisis.crisiscontact:{contact.pk}"]
    assert ContactReferral.objects.get(contact=contact).referral == referral
    sent = referral_selectors.sent(actor(hub.worker))
    assert [s.record.pk for s in sent] == [referral.pk]
    contact.refresh_from_db()
    assert contact.version == 2
    assert _events(contact)[-1] == "crisis_contact_refer"
    # The DBI service sees the referral and, attached to it, the contact: nothing else of the hub's.
    dbi = actor(hub.dbi_worker)
    assert policy.readable_records(dbi, Referral, Purpose.DIRECT_CARE).filter(pk=referral.pk).exists()
    assert list(policy.readable_records(dbi, CrisisContact, Purpose.DIRECT_CARE)) == [contact]


def test_referring_needs_a_person_and_a_pathway(hub):
    contact = log_contact(hub.worker)
    with pytest.raises(ValidationFailed) as caught:
        _refer(hub, contact)
    assert "person_id" in caught.value.errors
    contact = log_contact(hub.worker, person_id=hub.known.pk)
    with pytest.raises(ValidationFailed) as caught:
        _refer(hub, contact, urgency_id=None)
    assert "urgency_id" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        _refer(hub, contact, risk_summary="")
    assert "risk_summary" in caught.value.errors
    assert not Referral.objects.exists() and not ContactReferral.objects.exists()
    assert CrisisContact.objects.get(pk=contact.pk).version == 1


def test_a_referral_without_the_contact_attached(hub):
    contact = log_contact(hub.worker, person_id=hub.known.pk)
    referral = _refer(hub, contact, attach_contact=False)
    assert referral.attachments == [] and referral.state == ReferralState.SENT
    assert not policy.readable_records(actor(hub.dbi_worker), CrisisContact, Purpose.DIRECT_CARE).exists()

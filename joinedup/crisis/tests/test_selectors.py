"""Who sees crisis contacts: the hub's own board, and other agencies only once linked and only per policy."""

import datetime

import pytest

from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core import clock
from joinedup.core.errors import NotFound
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Category, Purpose
from joinedup.crisis import selectors, services
from joinedup.crisis.models import CrisisContact
from joinedup.crisis.tests.conftest import log_contact
from joinedup.people.selectors import person_get
from joinedup.sharing import policy
from joinedup.sharing import services as sharing
from joinedup.sharing.services import ProvisionSpec

pytestmark = pytest.mark.django_db


def _ago(minutes: int) -> datetime.datetime:
    return clock.now() - datetime.timedelta(minutes=minutes)


def test_the_board_is_the_agencys_open_contacts_oldest_first(hub):
    newest = log_contact(hub.worker, received_at=_ago(2), caller_description="Newest caller")
    oldest = log_contact(hub.colleague, received_at=_ago(40), caller_description="Oldest caller")
    middle = log_contact(hub.worker, received_at=_ago(15), person_id=hub.known.pk, caller_description="")
    closed = log_contact(hub.worker, received_at=_ago(60), caller_description="Closed caller")
    services.contact_close(
        actor(hub.worker), contact_id=closed.pk, expected_version=1, triage_outcome="self_management"
    )
    log_contact(hub.other_worker, received_at=_ago(90), caller_description="Another hub's caller")

    board = selectors.board(actor(hub.worker))
    assert [r.contact.record.pk for r in board.rows] == [oldest.pk, middle.pk, newest.pk]
    assert (board.total_open, board.waiting_total, board.closed_this_shift) == (3, 3, 1)
    assert board.oldest_waiting_at == oldest.received_at
    named = next(r for r in board.rows if r.contact.record.pk == middle.pk)
    assert named.person is not None and named.person.record.full_name == "Rowan Hale"
    assert {g for r in board.rows for g in r.contact.grounds} == {"own_agency"}


def test_the_board_is_audited_with_and_without_a_person(hub):
    log_contact(hub.worker)
    named = log_contact(hub.worker, person_id=hub.known.pk)
    mark = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    selectors.board(actor(hub.worker), route="/crisis/")
    events = AccessEvent.objects.filter(id__gt=mark)
    assert {e.person_id for e in events} == {None, hub.known.pk}
    by_person = {e.person_id: e for e in events}
    refs = {r["ref"] for r in by_person[hub.known.pk].records}
    assert refs == {f"crisis.crisiscontact:{named.pk}", f"people.person:{hub.known.pk}"}  # one event per person
    assert [r["grounds"] for r in by_person[None].records] == [["own_agency"]]


def test_nobody_but_a_crisis_worker_has_a_board(hub, partnership):
    log_contact(hub.worker)
    assert selectors.board(actor(hub.manager)).rows == []
    assert selectors.board(actor(partnership.practitioner)).rows == []


def test_an_unlinked_contact_is_its_agencys_alone(hub, partnership):
    contact = log_contact(hub.worker)
    assert selectors.contact_get(actor(hub.manager), contact_id=contact.pk).record == contact  # own agency
    for user in (hub.other_worker, hub.dbi_worker, partnership.practitioner, partnership.analyst):
        with pytest.raises(NotFound):
            selectors.contact_get(actor(user), contact_id=contact.pk, route="/x")
    denied = AccessEvent.objects.filter(outcome=Outcome.DENIED, reason=f"crisis.crisiscontact:{contact.pk}")
    assert denied.count() == 4 and {e.person_id for e in denied} == {None}
    # The SQL scopes agree: no other agency's list or search ever holds it.
    for user in (hub.other_worker, hub.dbi_worker, partnership.practitioner):
        assert not policy.readable_records(actor(user), CrisisContact, Purpose.DIRECT_CARE).exists()


def test_a_missing_contact_looks_like_a_forbidden_one(hub):
    import uuid

    with pytest.raises(NotFound, match="No such contact"):
        selectors.contact_get(actor(hub.worker), contact_id=uuid.uuid4())


def test_once_linked_other_agencies_see_it_only_per_policy(hub, partnership):
    contact = log_contact(hub.worker)
    services.contact_link_person(actor(hub.worker), contact_id=contact.pk, expected_version=1, person_id=hub.known.pk)
    housing = actor(partnership.housing_officer)
    with pytest.raises(NotFound):
        selectors.contact_get(housing, contact_id=contact.pk)
    # The person consents to housing reading mental health information from the hub.
    sharing.consent_record(
        actor(hub.worker),
        person=hub.known,
        status="given",
        method="verbal",
        provisions=[
            ProvisionSpec(
                recipient_agencies=[partnership.housing.pk],
                categories=[Category.IDENTITY, Category.MENTAL_HEALTH],
                purposes=[Purpose.DIRECT_CARE],
            )
        ],
    )
    view = selectors.contact_get(housing, contact_id=contact.pk, route="/x")
    assert view.record == contact and view.contact.grounds == {"consent"}
    assert view.person is not None and view.person.record == hub.known
    event = AccessEvent.objects.filter(outcome=Outcome.ALLOWED, person_id=hub.known.pk).latest("id")
    assert {r["ref"] for r in event.records} == {f"crisis.crisiscontact:{contact.pk}", f"people.person:{hub.known.pk}"}
    # Police have no ground at all.
    with pytest.raises(NotFound):
        selectors.contact_get(actor(partnership.police_officer), contact_id=contact.pk)


def test_a_linked_contact_is_on_the_persons_record(hub):
    contact = log_contact(hub.worker, person_id=hub.known.pk)
    access = person_get(actor(hub.worker), person_id=hub.known.pk)
    assert [s.record for s in access.section("crisis_contacts")] == [contact]


def test_the_contact_lists_its_onward_referrals(hub):
    contact = log_contact(hub.worker, person_id=hub.known.pk)
    referral = services.contact_refer(
        actor(hub.worker),
        contact_id=contact.pk,
        expected_version=1,
        pathway_id=hub.dbi_pathway.pk,
        urgency_id=hub.dbi_pathway.urgencies.first().pk,
        reason="DBI",
        risk_summary="None known",
        sharing_basis="vital_interests",
        sharing_note="Distress",
    )
    view = selectors.contact_get(actor(hub.worker), contact_id=contact.pk)
    assert [s.record.pk for s in view.referrals] == [referral.pk]
    assert view.referrals[0].record.to_agency == hub.dbi
    # The DBI service reads the contact through the referral it was attached to.
    dbi_view = selectors.contact_get(actor(hub.dbi_worker), contact_id=contact.pk)
    assert dbi_view.contact.grounds == {"referral"}

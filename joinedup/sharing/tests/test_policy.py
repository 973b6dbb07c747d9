"""The access policy's first two grounds: own agency and involvement, within role ceilings."""

import datetime

import pytest

from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core.errors import NotFound
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.people.tests.factories import (
    AddressFactory,
    AliasFactory,
    ContactDetailFactory,
    InvolvementFactory,
    PersonFactory,
)
from joinedup.sharing import policy
from joinedup.sharing.policy import Ground

pytestmark = pytest.mark.django_db

DIRECT = Purpose.DIRECT_CARE


@pytest.fixture
def known(partnership):
    """A person recorded by mental health, who also works with housing and a peer support service."""
    p = partnership
    person = PersonFactory(recorded_by=p.mental_health)
    return {
        "person": person,
        "mh_involvement": InvolvementFactory(person=person, agency=p.mental_health),
        "housing_involvement": InvolvementFactory(person=person, agency=p.housing),
        "peer_involvement": InvolvementFactory(person=person, agency=p.voluntary),
        "mh_phone": ContactDetailFactory(person=person, recorded_by=p.mental_health),
        "refuge": AddressFactory(person=person, recorded_by=p.mental_health, kind="refuge", sealed=True),
        "housing_address": AddressFactory(person=person, recorded_by=p.housing),
    }


def test_own_agency_sees_its_records_including_sealed(partnership, known):
    access = policy.access_person(actor(partnership.practitioner), known["person"].pk, DIRECT)
    assert access.identity is not None
    assert access.identity.grounds == {Ground.OWN_AGENCY, Ground.INVOLVEMENT}
    addresses = {s.record.pk for s in access.section("addresses")}
    assert addresses == {known["refuge"].pk}  # its own sealed refuge address, not housing's
    assert [s.record.pk for s in access.section("contact_details")] == [known["mh_phone"].pk]


def test_involved_agency_sees_identity_and_coordination_only(partnership, known):
    access = policy.access_person(actor(partnership.housing_officer), known["person"].pk, DIRECT)
    assert access.identity is not None
    assert access.identity.grounds == {Ground.INVOLVEMENT}
    seen = {s.record.pk for s in access.section("involvements")}
    # Housing sees its own involvement and the peer support one (coordination), but not that
    # a mental health service is involved: that involvement is itself mental health information.
    assert seen == {known["housing_involvement"].pk, known["peer_involvement"].pk}
    assert [s.record.pk for s in access.section("addresses")] == [known["housing_address"].pk]
    assert access.section("contact_details") == []


def test_sealed_record_is_never_opened_by_involvement(partnership, known):
    access = policy.access_person(actor(partnership.housing_officer), known["person"].pk, DIRECT)
    assert known["refuge"].pk not in {s.record.pk for s in access.section("addresses")}
    decision = policy.can_view(actor(partnership.housing_officer), known["refuge"], DIRECT)
    assert not decision.allowed


def test_uninvolved_agency_gets_not_found_and_a_denied_event(partnership, known):
    officer = actor(partnership.police_officer)
    with pytest.raises(NotFound):
        policy.access_person(officer, known["person"].pk, DIRECT, route="/people/x/")
    event = AccessEvent.objects.get(actor_user_id=officer.user_id)
    assert (event.outcome, event.person_id, event.records) == (Outcome.DENIED, known["person"].pk, [])


def test_missing_and_forbidden_are_the_same(partnership, known):
    import uuid

    officer = actor(partnership.police_officer)
    for person_id in (known["person"].pk, uuid.uuid4()):
        with pytest.raises(NotFound) as raised:
            policy.access_person(officer, person_id, DIRECT)
        assert str(raised.value) == "No such person"


@pytest.mark.parametrize("persona", ["analyst", "system_admin"])
def test_roles_without_person_level_categories_see_nobody(partnership, known, persona):
    user = getattr(partnership, persona)
    with pytest.raises(NotFound):
        policy.access_person(actor(user), known["person"].pk, DIRECT)
    assert not policy.visible_people(actor(user), DIRECT).exists()


def test_volunteer_ceiling_limits_categories(partnership, known):
    volunteer = actor(partnership.volunteer)
    access = policy.access_person(volunteer, known["person"].pk, DIRECT)
    assert access.identity is not None
    categories = {str(s.record.category) for s in access.shown()}
    assert categories <= {"identity", "contact", "coordination", "housing"}


def test_analytics_purpose_never_returns_person_level_records(partnership, known):
    with pytest.raises(NotFound):
        policy.access_person(actor(partnership.practitioner), known["person"].pk, Purpose.ANALYTICS)


def test_ending_an_involvement_takes_effect_on_the_next_request(partnership, known):
    housing = actor(partnership.housing_officer)
    assert policy.visible_people(housing, DIRECT).filter(pk=known["person"].pk).exists()
    involvement = known["housing_involvement"]
    involvement.ends_on = datetime.date.today() - datetime.timedelta(days=1)
    involvement.save()
    # Housing still sees what it recorded itself (its address and old involvement) ...
    access = policy.access_person(housing, known["person"].pk, DIRECT)
    assert access.identity is None
    assert {s.record.pk for s in access.section("addresses")} == {known["housing_address"].pk}
    # ... but no longer the person's identity or who else is involved.
    assert not policy.readable_people(housing, DIRECT).filter(pk=known["person"].pk).exists()


def test_future_involvement_is_not_yet_a_ground(partnership):
    person = PersonFactory(recorded_by=partnership.mental_health)
    InvolvementFactory(
        person=person, agency=partnership.housing, starts_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    housing = actor(partnership.housing_officer)
    # Housing recorded the planned involvement, so that one record is its own to read; but it does
    # not open the person's identity until it starts.
    assert not policy.readable_people(housing, DIRECT).filter(pk=person.pk).exists()
    access = policy.access_person(housing, person.pk, DIRECT)
    assert access.identity is None
    assert [s.grounds for s in access.section("involvements")] == [{Ground.OWN_AGENCY}]


def test_sql_and_python_agree_for_every_record(partnership, known):
    """visible_people / readable_records (SQL) and can_view (Python) make the same decisions."""
    AliasFactory(person=known["person"], recorded_by=partnership.housing, sealed=True)
    models = [type(known[k]) for k in known if k != "person"]
    for user in (
        partnership.practitioner,
        partnership.housing_officer,
        partnership.police_officer,
        partnership.volunteer,
    ):
        who = actor(user)
        for model in {*models}:
            in_sql = set(policy.readable_records(who, model, DIRECT).values_list("pk", flat=True))
            in_python = {r.pk for r in model.objects.all() if policy.can_view(who, r, DIRECT).allowed}
            assert in_sql == in_python, (user.username, model.__name__)
        person_visible = policy.readable_people(who, DIRECT).filter(pk=known["person"].pk).exists()
        assert person_visible == policy.can_view(who, known["person"], DIRECT).allowed


def test_every_page_view_writes_one_event_listing_what_was_shown(partnership, known):
    housing = actor(partnership.housing_officer)
    access = policy.access_person(housing, known["person"].pk, DIRECT, route="/people/x/")
    event = AccessEvent.objects.get(actor_user_id=housing.user_id)
    assert event.outcome == Outcome.ALLOWED
    assert event.purpose == "direct_care"
    assert event.route == "/people/x/"
    assert sorted(r["ref"] for r in event.records) == sorted(
        f"{s.record._meta.label_lower}:{s.record.pk}" for s in access.shown()
    )
    assert all(r["agency"] and r["category"] and r["grounds"] for r in event.records)
    assert set(event.grounds) == {"involvement", "own_agency"}
    assert set(event.categories) == {str(s.record.category) for s in access.shown()}

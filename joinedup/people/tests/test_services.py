import datetime

import pytest

from joinedup.audit.models import ChangeEvent
from joinedup.core.errors import ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.people import services
from joinedup.people.models import Involvement, Person
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory, next_nhs_number

pytestmark = pytest.mark.django_db


def test_person_create_records_identity_involvement_and_change_events(partnership):
    who = actor(partnership.practitioner)
    number = next_nhs_number()
    person = services.person_create(
        who,
        given_name=" Alex ",
        family_name="Morgan",
        nhs_number=f"{number[:3]} {number[3:6]} {number[6:]}",
        date_of_birth=datetime.date(1990, 5, 17),
        key_worker=partnership.practitioner,
    )
    assert (person.given_name, person.nhs_number, person.recorded_by) == ("Alex", number, partnership.mental_health)
    involvement = Involvement.objects.get(person=person)
    assert involvement.agency == partnership.mental_health
    assert involvement.category == "mental_health"  # what a mental health involvement reveals
    assert involvement.key_worker_email == partnership.practitioner.email
    actions = set(ChangeEvent.objects.filter(person_id=person.pk).values_list("action", flat=True))
    assert actions == {"person_create", "involvement_start"}


def test_invalid_nhs_number_saves_nothing(partnership):
    with pytest.raises(ValidationFailed) as raised:
        services.person_create(actor(partnership.practitioner), given_name="A", family_name="B", nhs_number="123")
    assert raised.value.field == "nhs_number"
    assert not Person.objects.exists()
    assert not ChangeEvent.objects.exists()


def test_future_birth_date_is_refused(partnership):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="today or in the past"):
        services.person_create(actor(partnership.practitioner), given_name="A", family_name="B", date_of_birth=tomorrow)


def test_duplicate_nhs_number_is_refused_clearly(partnership):
    existing = PersonFactory()
    with pytest.raises(ValidationFailed, match="already recorded"):
        services.person_create(
            actor(partnership.housing_officer), given_name="A", family_name="B", nhs_number=existing.nhs_number
        )


def test_interpreter_needs_a_language(partnership):
    with pytest.raises(ValidationFailed) as raised:
        services.person_create(
            actor(partnership.practitioner), given_name="A", family_name="B", interpreter_required=True
        )
    assert raised.value.field == "interpreter_language"


def test_a_person_needs_some_name(partnership):
    with pytest.raises(ValidationFailed, match="Enter the person's name"):
        services.person_create(actor(partnership.practitioner), given_name=" ", family_name="")


def test_only_staff_of_an_agency_can_record(partnership):
    partnership.system_admin.agency = None
    with pytest.raises(ValidationFailed, match="partner agency"):
        services.person_create(actor(partnership.system_admin), given_name="A", family_name="B")


def test_involvement_end_is_for_the_owning_agency_only(partnership):
    involvement = InvolvementFactory(agency=partnership.mental_health)
    with pytest.raises(ValidationFailed, match="not your agency's"):
        services.involvement_end(
            actor(partnership.housing_officer), involvement_id=involvement.pk, ends_on=datetime.date.today()
        )
    ended = services.involvement_end(
        actor(partnership.practitioner), involvement_id=involvement.pk, ends_on=datetime.date.today()
    )
    assert ended.ends_on == datetime.date.today()
    with pytest.raises(ValidationFailed, match="already ended"):
        services.involvement_end(
            actor(partnership.practitioner), involvement_id=involvement.pk, ends_on=datetime.date.today()
        )
    event = ChangeEvent.objects.get(action="involvement_end")
    assert event.before["ends_on"] is None
    assert event.after["ends_on"] == datetime.date.today().isoformat()


def test_involvement_cannot_end_before_it_started(partnership):
    involvement = InvolvementFactory(agency=partnership.mental_health, starts_on=datetime.date.today())
    with pytest.raises(ValidationFailed, match="on or after the start"):
        services.involvement_end(
            actor(partnership.practitioner),
            involvement_id=involvement.pk,
            ends_on=datetime.date.today() - datetime.timedelta(days=1),
        )


def test_address_needs_a_line_and_a_town_or_postcode(partnership):
    person = PersonFactory(recorded_by=partnership.mental_health)
    with pytest.raises(ValidationFailed, match="first line"):
        services.address_add(actor(partnership.practitioner), person=person, kind="home", line1="1 High St")
    address = services.address_add(
        actor(partnership.practitioner),
        person=person,
        kind="refuge",
        line1="Somewhere",
        postcode="ns1 1aa",
        sealed=True,
    )
    assert (address.postcode, address.sealed, address.category) == ("NS1 1AA", True, "contact")
    no_home = services.address_add(actor(partnership.practitioner), person=person, kind="no_fixed_abode")
    assert no_home.one_line == ""


def test_key_worker_must_be_from_the_agency(partnership):
    person = PersonFactory(recorded_by=partnership.mental_health)
    with pytest.raises(ValidationFailed) as raised:
        services.involvement_start(
            actor(partnership.practitioner),
            person=person,
            starts_on=datetime.date.today(),
            key_worker=partnership.housing_officer,
        )
    assert raised.value.field == "key_worker"


def test_change_events_leave_out_secrets(partnership):
    from joinedup.audit.services import snapshot

    assert "password" not in snapshot(partnership.practitioner)

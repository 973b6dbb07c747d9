"""Case notes: the author chooses the category (which decides who else may read it) and may seal it."""

import datetime

import pytest

from joinedup.core.errors import ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory
from joinedup.sharing.models import CaseNote
from joinedup.sharing.services import ProvisionSpec, case_note_add, consent_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(partnership):
    person = PersonFactory(given_name="Jo", family_name="Marsh", recorded_by=partnership.mental_health)
    InvolvementFactory(person=person, agency=partnership.mental_health)
    InvolvementFactory(person=person, agency=partnership.housing)
    return person


def note(category: str, **changes) -> dict:
    today = datetime.date.today()
    data = {
        "category": category,
        "title": f"A {category} note",
        "body": "What happened.\n\nWhat we agreed.",
        "occurred_on_day": str(today.day),
        "occurred_on_month": str(today.month),
        "occurred_on_year": str(today.year),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def page(client, person) -> str:
    return client.get(f"/people/{person.pk}/").content.decode()


def test_the_note_page_offers_categories_in_plain_english(client_for, partnership, person):
    body = client_for(partnership.practitioner).get(f"/people/{person.pk}/notes/new").content.decode()
    for label in ("Mental health", "Substance use", "Care coordination", "Criminal justice", "Safeguarding"):
        assert label in body
    assert 'value="identity"' not in body
    assert "Seal this note: only my agency will see it" in body


def test_adding_a_note_shows_it_with_author_date_category_and_why(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    response = client.post(f"/people/{person.pk}/notes/new", note("mental_health", title="Medication review"))
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    saved = CaseNote.objects.get()
    assert (saved.category, saved.recorded_by, saved.author, saved.sealed) == (
        "mental_health",
        partnership.mental_health,
        partnership.practitioner,
        False,
    )
    body = page(client, person)
    today = datetime.date.today()
    assert "The case note has been added" in body
    assert "Case notes" in body and "Medication review" in body and "What we agreed." in body
    assert f"{today.day} {today:%B %Y}, by {partnership.practitioner} at Northshire Mental Health" in body
    assert "Mental health</strong>" in body.replace("\n", "").replace("  ", "")
    assert "You can see this because your agency recorded it" in body


def test_the_category_decides_who_else_reads_it(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    client.post(f"/people/{person.pk}/notes/new", note("coordination", title="Agreed a joint visit"))
    client.post(f"/people/{person.pk}/notes/new", note("mental_health", title="Medication review"))
    housing = page(client_for(partnership.housing_officer), person)
    assert "Agreed a joint visit" in housing
    assert "You can see this because your agency is working with this person" in housing
    assert "Medication review" not in housing


def test_a_sealed_note_is_seen_only_by_its_agency_even_with_consent(client_for, partnership, person):
    p = partnership
    client = client_for(p.practitioner)
    response = client.post(
        f"/people/{person.pk}/notes/new", note("coordination", title="Refuge arrangements", sealed="on")
    )
    assert response.status_code == 302
    assert CaseNote.objects.get().sealed
    consent_record(
        actor(p.practitioner),
        person=person,
        status="given",
        method="verbal",
        provisions=[
            ProvisionSpec(recipient_agencies=[p.housing.pk], categories=["coordination"], purposes=["direct_care"])
        ],
    )
    own = page(client, person)
    assert "Refuge arrangements" in own and "Sealed: only your agency can see this" in own
    assert "Refuge arrangements" not in page(client_for(p.housing_officer), person)


def test_bad_notes_get_clear_messages_and_keep_what_was_typed(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    data = note(
        None,
        title="Visit",
        body="Kept text",
        occurred_on_day=str(tomorrow.day),
        occurred_on_month=str(tomorrow.month),
        occurred_on_year=str(tomorrow.year),
    )
    body = client.post(f"/people/{person.pk}/notes/new", data).content.decode()
    assert "There is a problem" in body
    assert "Choose what the note is about" in body
    assert "Date must be today or in the past" in body
    assert 'value="Visit"' in body and "Kept text" in body
    body = client.post(f"/people/{person.pk}/notes/new", note("housing", title="", body="")).content.decode()
    assert "Enter a short title" in body and "Enter the note" in body
    body = client.post(f"/people/{person.pk}/notes/new", note("housing", title="x" * 201)).content.decode()
    assert "The title must be 200 characters or fewer" in body
    assert not CaseNote.objects.exists()


def test_only_people_who_record_and_can_see_the_person_may_add_notes(client_for, partnership, person):
    InvolvementFactory(person=person, agency=partnership.voluntary)
    assert client_for(partnership.volunteer).get(f"/people/{person.pk}/notes/new").status_code == 404
    police = client_for(partnership.police_officer)
    assert police.get(f"/people/{person.pk}/notes/new").status_code == 404
    assert police.post(f"/people/{person.pk}/notes/new", note("risk")).status_code == 404
    assert not CaseNote.objects.exists()


def test_the_service_refuses_what_the_page_would(partnership, person):
    with pytest.raises(ValidationFailed) as raised:
        case_note_add(
            actor(partnership.practitioner),
            person=person,
            category="gossip",
            title="  ",
            body="",
            occurred_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert set(raised.value.errors) == {"category", "title", "body", "occurred_on"}

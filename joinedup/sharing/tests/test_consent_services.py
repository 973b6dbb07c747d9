"""The consent services' own checks (the pages call them too) and their change events."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.audit.models import ChangeEvent
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.people.tests.factories import PersonFactory
from joinedup.sharing.models import ConsentStatus
from joinedup.sharing.services import ProvisionSpec, consent_record, consent_review, consent_withdraw
from joinedup.sharing.services.consent import consent_validate, evidence_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _permit(p):
    return ProvisionSpec(recipient_agencies=[p.housing.pk], categories=["mental_health"], purposes=["direct_care"])


@pytest.mark.parametrize(
    ("name", "content", "content_type", "problem"),
    [
        ("a.pdf", b"%PDF-1.7 ...", "application/pdf", None),
        ("a.JPG", b"\xff\xd8\xff\xe0....", "image/jpeg", None),
        ("a.png", b"\x89PNG\r\n\x1a\n....", "image/png", None),
        ("a.png", b"%PDF-1.7 ...", "image/png", "The file must be a PDF, JPG or PNG"),
        ("a.exe", b"%PDF-1.7 ...", "application/pdf", "The file must be a PDF, JPG or PNG"),
        ("a.pdf", b"%PDF-1.7 ...", "application/octet-stream", "The file must be a PDF, JPG or PNG"),
        ("a.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "application/pdf", "The file must be smaller than 5MB"),
    ],
)
def test_evidence_must_really_be_a_small_pdf_jpg_or_png(name, content, content_type, problem):
    assert evidence_problem(SimpleUploadedFile(name, content, content_type=content_type)) == problem


def test_validation_names_each_field(partnership):
    with pytest.raises(ValidationFailed) as raised:
        consent_validate(
            actor(partnership.practitioner),
            status="maybe",
            method="telepathy",
            provisions=[],
            capacity="unknown",
            ends_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
            review_on=datetime.date(2020, 1, 1),
        )
    assert set(raised.value.errors) == {"status", "method", "capacity", "ends_at", "review_on"}


def test_a_consent_with_evidence_writes_a_change_event_naming_the_file(partnership):
    p = partnership
    person = PersonFactory(recorded_by=p.mental_health)
    upload = SimpleUploadedFile("form.pdf", b"%PDF-1.7 signed", content_type="application/pdf")
    consent = consent_record(
        actor(p.practitioner), person=person, status="given", method="written", provisions=[_permit(p)], evidence=upload
    )
    event = ChangeEvent.objects.get(action="consent_record")
    assert event.after["evidence"] == consent.evidence.name and consent.evidence.name.endswith(".pdf")
    consent_review(
        actor(p.practitioner),
        consent_id=consent.pk,
        next_review_on=datetime.date.today().replace(year=datetime.date.today().year + 1),
    )
    consent_withdraw(actor(p.practitioner), consent_id=consent.pk, reason="Changed her mind")
    withdrawn = ChangeEvent.objects.get(action="consent_withdraw")
    assert withdrawn.before["evidence"] == withdrawn.after["evidence"] == consent.evidence.name
    assert withdrawn.after["status"] == ConsentStatus.WITHDRAWN


def test_only_the_recording_agency_may_withdraw_or_review(partnership):
    p = partnership
    person = PersonFactory(recorded_by=p.mental_health)
    consent = consent_record(
        actor(p.practitioner), person=person, status="given", method="verbal", provisions=[_permit(p)]
    )
    with pytest.raises(NotFound):
        consent_withdraw(actor(p.housing_officer), consent_id=consent.pk, reason="x")
    with pytest.raises(NotFound):
        consent_review(actor(p.housing_officer), consent_id=consent.pk, next_review_on=datetime.date(2099, 1, 1))


def test_a_person_without_a_representative_keeps_no_representative_details(partnership):
    p = partnership
    consent = consent_record(
        actor(p.practitioner),
        person=PersonFactory(recorded_by=p.mental_health),
        status="refused",
        method="verbal",
        provisions=[],
        representative_name="Left over from an earlier answer",
    )
    assert consent.representative_name == "" and consent.status == ConsentStatus.REFUSED

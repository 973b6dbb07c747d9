"""Recording consent through the pages: question page, check your answers, confirmation; then
what it opens on the person page, and withdrawing and reviewing it."""

import datetime
import re
import uuid

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from joinedup.core import clock
from joinedup.people.tests.factories import InvolvementFactory, PersonFactory
from joinedup.sharing.models import CaseNote, Consent, ConsentStatus, Forum, ProvisionKind
from joinedup.sharing.views import consent as consent_views

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def person(partnership):
    """Jo Marsh: known to mental health (who keep a mental health note) and to housing."""
    p = partnership
    person = PersonFactory(given_name="Jo", family_name="Marsh", recorded_by=p.mental_health)
    InvolvementFactory(person=person, agency=p.mental_health)
    InvolvementFactory(person=person, agency=p.housing)
    CaseNote.objects.create(
        person=person,
        recorded_by=p.mental_health,
        category="mental_health",
        author=p.practitioner,
        title="Medication review",
        body="Sleeping better since the change.",
        occurred_on=datetime.date.today(),
    )
    return person


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def answers(p, **changes) -> dict:
    """A complete, valid question page: Housing can see mental health information for the person's care."""
    today = datetime.date.today()
    data = {
        "status": "given",
        "recipient_agencies": [str(p.housing.pk)],
        "categories": ["mental_health"],
        "purposes": ["direct_care"],
        **_date("starts_on", today),
        **_date("review_on", today + datetime.timedelta(days=365)),
        "given_by": "person",
        "capacity": "has_capacity",
        "method": "verbal",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def urls(person, consent_id=None) -> dict[str, str]:
    base = f"/people/{person.pk}/consents"
    return {
        "new": f"{base}/new",
        "check": f"{base}/check",
        "detail": f"{base}/{consent_id}/",
        "withdraw": f"{base}/{consent_id}/withdraw",
        "review": f"{base}/{consent_id}/review",
        "evidence": f"{base}/{consent_id}/evidence",
    }


def token_of(body: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', body)
    assert match, "the check page carries a one-time token"
    return match.group(1)


def record(client, person, data) -> Consent:
    """Answer, check and confirm; the consent recorded."""
    assert client.post(urls(person)["new"], data).status_code == 302
    token = token_of(client.get(urls(person)["check"]).content.decode())
    response = client.post(urls(person)["check"], {"token": token})
    assert response.status_code == 302
    return Consent.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


# ---------------------------------------------------------------------------------------------
# The journey


def test_the_full_journey_opens_the_note_to_housing_until_withdrawal(client_for, partnership, person):
    p = partnership
    housing_page = f"/people/{person.pk}/"
    assert "Medication review" not in client_for(p.housing_officer).get(housing_page).content.decode()

    client = client_for(p.practitioner)
    assert client.get(urls(person)["new"]).status_code == 200
    response = client.post(urls(person)["new"], answers(p))
    assert response.status_code == 302 and response["Location"] == urls(person)["check"]
    assert not Consent.objects.exists()  # answers wait in the session until confirmed

    check = client.get(urls(person)["check"]).content.decode()
    assert "Check your answers before recording consent" in check
    assert "Northshire Housing can see your mental health information for your care." in check
    response = client.post(urls(person)["check"], {"token": token_of(check)})
    consent = Consent.objects.get()
    assert response["Location"] == urls(person, consent.pk)["detail"]
    assert (consent.status, consent.recorded_by, consent.recorded_by_user) == (
        ConsentStatus.GIVEN,
        p.mental_health,
        p.practitioner,
    )
    provision = consent.provisions.get()
    assert provision.kind == ProvisionKind.PERMIT and provision.any_source
    assert list(provision.recipient_agencies.all()) == [p.housing]
    assert {(s.category, s.purpose) for s in provision.scopes.all()} == {("mental_health", "direct_care")}
    assert consent.review_on == datetime.date.today() + datetime.timedelta(days=365)
    assert "Consent to share has been recorded" in client.get(response["Location"]).content.decode()

    housing = client_for(p.housing_officer)
    body = housing.get(housing_page).content.decode()
    assert "Medication review" in body
    given_on = f"{datetime.date.today().day} {datetime.date.today():%B %Y}"
    assert f"You can see this because the person gave consent on {given_on}." in body

    client = client_for(p.practitioner)
    response = client.post(
        urls(person, consent.pk)["withdraw"], {"reason": "Said on the phone she has changed her mind"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.WITHDRAWN and consent.withdrawn_by == p.practitioner

    # The very next request no longer shows it.
    assert "Medication review" not in client_for(p.housing_officer).get(housing_page).content.decode()


def test_check_your_answers_says_who_what_why_and_until(client_for, partnership, person):
    p = partnership
    client = client_for(p.practitioner)
    end = datetime.date(datetime.date.today().year + 1, 6, 1)
    data = answers(
        p,
        categories=["mental_health", "housing"],
        purposes=["direct_care", "forum"],
        source_agencies=[str(p.mental_health.pk)],
        deny_agencies=[str(p.police.pk)],
        deny_categories=["substance_use"],
        given_by="representative",
        representative_name="Sam Marsh",
        representative_relationship="daughter, lasting power of attorney",
        capacity="lacks_capacity",
        **_date("ends_on", end),
    )
    client.post(urls(person)["new"], data)
    body = client.get(urls(person)["check"]).content.decode()
    assert (
        "Northshire Housing can see your mental health and housing information from Northshire Mental Health "
        f"for your care and multi-agency forum meetings, until 1 June {end.year}."
    ) in body
    assert "Northshire Police must not see your substance use information." in body
    assert "Sam Marsh (daughter, lasting power of attorney), acting for them" in body
    assert f"1 June {end.year}" in body
    assert "No, they lack capacity to make this decision" in body
    # Each answer links back to its question, and the answers come back filled in.
    assert f'href="{urls(person)["new"]}#id_ends_on_day"' in body
    again = client.get(urls(person)["new"]).content.decode()
    assert 'value="Sam Marsh"' in again and f'value="{p.police.pk}" checked' in again


def test_recording_defaults_to_starting_today_with_a_review_in_a_year(client_for, partnership, person):
    page = client_for(partnership.practitioner).get(urls(person)["new"]).content.decode()
    today = datetime.date.today()
    review = today.replace(year=today.year + 1) if (today.month, today.day) != (2, 29) else today
    assert f'name="starts_on_year" type="text" value="{today.year}"' in page or f'value="{today.year}"' in page
    assert f'value="{review.year}"' in page
    assert 'value="direct_care" checked' in page
    assert "Multi-agency forum meetings" in page and "Reviews when things went wrong" in page


def test_forums_can_be_chosen_when_there_are_any(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    assert "Which multi-agency forums can see it?" not in client.get(urls(person)["new"]).content.decode()
    forum = Forum.objects.create(name="Northshire MARAC", kind="risk_conference", host=partnership.police)
    assert "Which multi-agency forums can see it?" in client.get(urls(person)["new"]).content.decode()
    client.post(urls(person)["new"], answers(partnership, recipient_agencies=[], recipient_forums=[str(forum.pk)]))
    body = client.get(urls(person)["check"]).content.decode()
    assert "Members of Northshire MARAC can see your mental health information for your care." in body


# ---------------------------------------------------------------------------------------------
# Double submits


def test_a_double_submit_records_one_consent(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    client.post(urls(person)["new"], answers(partnership))
    token = token_of(client.get(urls(person)["check"]).content.decode())
    first = client.post(urls(person)["check"], {"token": token})
    second = client.post(urls(person)["check"], {"token": token})
    assert Consent.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert "This consent has already been recorded" in client.get(second["Location"]).content.decode()


def test_a_racing_submit_with_a_stale_session_records_one_consent(client_for, partnership, person):
    """The second click's request read the session before the first one recorded the consent."""
    client = client_for(partnership.practitioner)
    client.post(urls(person)["new"], answers(partnership))
    token = token_of(client.get(urls(person)["check"]).content.decode())
    stale = SessionStore(session_key=client.session.session_key)
    assert stale.get(f"sharing:consent-draft:{person.pk}")  # loaded now, with the draft in it
    first = client.post(urls(person)["check"], {"token": token})

    request = RequestFactory().post(urls(person)["check"], {"token": token})
    request.user = partnership.practitioner
    request.session = stale
    request._messages = FallbackStorage(request)
    second = consent_views.consent_check(request, person_id=person.pk)

    assert Consent.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert f"sharing:consent-draft:{person.pk}" not in stale.keys()  # noqa: SIM118


def test_an_old_check_page_cannot_confirm_changed_answers(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    client.post(urls(person)["new"], answers(partnership))
    old_token = token_of(client.get(urls(person)["check"]).content.decode())
    client.post(urls(person)["new"], answers(partnership, categories=["housing"]))
    response = client.post(urls(person)["check"], {"token": old_token})
    assert response["Location"] == urls(person)["check"]
    assert not Consent.objects.exists()


def test_the_check_page_without_answers_goes_back_to_the_questions(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    assert client.get(urls(person)["check"])["Location"] == urls(person)["new"]
    assert client.post(urls(person)["check"], {"token": "nonsense"})["Location"] == urls(person)["new"]
    assert not Consent.objects.exists()


# ---------------------------------------------------------------------------------------------
# Bad input: a clear message beside the field, and nothing typed is lost


def _errors(client, person, data, files=None) -> str:
    response = client.post(urls(person)["new"], {**data, **(files or {})})
    assert response.status_code == 200, "an error re-shows the page"
    body = response.content.decode()
    assert "There is a problem" in body
    assert not Consent.objects.exists()
    return body


def test_an_empty_question_page_says_what_is_missing(client_for, partnership, person):
    body = _errors(client_for(partnership.practitioner), person, {"purposes": []})
    for message in (
        "Say whether the person agreed or refused",
        "Say whether the person has capacity to make this decision",
        "Say how the person gave or refused consent",
        "Enter the start date",
        "Enter the review date",
    ):
        assert message in body


def test_consent_given_must_say_who_what_and_what_for(client_for, partnership, person):
    data = answers(partnership, recipient_agencies=None, categories=None, purposes=None)
    body = _errors(client_for(partnership.practitioner), person, data)
    assert "Choose who can see the information" in body
    assert "Choose what information they can see" in body
    assert "Choose what the information can be used for" in body
    assert 'href="#id_recipient_agencies"' in body


def test_a_past_end_date_is_refused_and_the_answers_are_kept(client_for, partnership, person):
    p = partnership
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    data = answers(p, notes="Agreed at the home visit", **_date("ends_on", yesterday))
    body = _errors(client_for(p.practitioner), person, data)
    assert "The end date must be in the future" in body
    assert 'href="#id_ends_on_day"' in body
    assert f'value="{p.housing.pk}" checked' in body
    assert 'value="mental_health" checked' in body
    assert "Agreed at the home visit" in body
    assert f'value="{yesterday.year}"' in body


def test_an_end_before_the_start_is_refused(client_for, partnership, person):
    today = datetime.date.today()
    data = answers(
        partnership,
        **_date("starts_on", today + datetime.timedelta(days=20)),
        **_date("ends_on", today + datetime.timedelta(days=10)),
    )
    assert "The end date must be after the start date" in _errors(client_for(partnership.practitioner), person, data)


def test_a_review_date_in_the_past_and_an_impossible_date_are_refused(client_for, partnership, person):
    data = answers(partnership, **_date("review_on", datetime.date.today() - datetime.timedelta(days=3)))
    assert "Review date must be today or in the future" in _errors(client_for(partnership.practitioner), person, data)
    data = answers(partnership, review_on_day="31", review_on_month="2", review_on_year="2031")
    assert "Review date must be a real date" in _errors(client_for(partnership.practitioner), person, data)


def test_a_representative_must_be_named_and_capacity_respected(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    body = _errors(client, person, answers(partnership, given_by="representative"))
    assert "Enter the name of the person acting for them" in body
    assert "Enter their relationship to the person" in body
    body = _errors(client, person, answers(partnership, capacity="lacks_capacity"))
    assert "A person who lacks capacity for this decision cannot give consent themselves" in body
    assert 'href="#id_given_by"' in body


def test_a_deny_rule_needs_both_an_agency_and_information(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    body = _errors(client, person, answers(partnership, deny_agencies=[str(partnership.police.pk)]))
    assert "Choose what information that agency must not see" in body
    body = _errors(client, person, answers(partnership, deny_categories=["substance_use"]))
    assert "Choose the agency that must not see it" in body


def test_an_oversize_upload_is_refused_and_the_answers_kept(client_for, partnership, person):
    big = SimpleUploadedFile("form.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    body = _errors(client_for(partnership.practitioner), person, answers(partnership), {"evidence": big})
    assert "The file must be smaller than 5MB" in body
    assert 'href="#id_evidence"' in body
    assert f'value="{partnership.housing.pk}" checked' in body and 'value="verbal" checked' in body


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.txt", b"just text", "text/plain"),
        ("form.pdf", b"MZ not really a pdf", "application/pdf"),  # the name and type are only claims
        ("photo.gif", b"GIF89a....", "image/gif"),
    ],
)
def test_a_wrong_file_type_is_refused(client_for, partnership, person, name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    body = _errors(client_for(partnership.practitioner), person, answers(partnership), {"evidence": upload})
    assert "The file must be a PDF, JPG or PNG" in body
    assert 'value="has_capacity" checked' in body


def test_an_empty_upload_is_refused(client_for, partnership, person):
    upload = SimpleUploadedFile("form.pdf", b"", content_type="application/pdf")
    body = _errors(client_for(partnership.practitioner), person, answers(partnership), {"evidence": upload})
    assert "The selected file is empty" in body


# ---------------------------------------------------------------------------------------------
# Evidence


def test_evidence_is_kept_through_other_errors_and_stored_on_confirmation(
    client_for, partnership, person, media, django_capture_on_commit_callbacks
):
    p = partnership
    client = client_for(p.practitioner)
    upload = SimpleUploadedFile("signed form.pdf", PDF, content_type="application/pdf")
    body = _errors(client, person, answers(p, method=None), {"evidence": upload})
    assert "Attached: <strong>signed form.pdf</strong>" in body  # the good file survived the other error

    assert client.post(urls(person)["new"], answers(p)).status_code == 302  # no file chosen this time
    check = client.get(urls(person)["check"]).content.decode()
    assert "signed form.pdf" in check
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls(person)["check"], {"token": token_of(check)})
    consent = Consent.objects.get()
    assert consent.evidence.name.startswith("consent-evidence/")
    assert (media / consent.evidence.name).read_bytes() == PDF
    assert not list((media / "consent-evidence" / "pending").iterdir())  # the pending copy is gone

    download = client.get(urls(person, consent.pk)["evidence"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for(p.housing_officer).get(urls(person, consent.pk)["evidence"]).status_code == 404


def test_an_attached_file_can_be_removed(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    upload = SimpleUploadedFile("form.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    _errors(client, person, answers(partnership, method=None), {"evidence": upload})
    client.post(urls(person)["new"], answers(partnership, remove_evidence="on"))
    assert "None attached" in client.get(urls(person)["check"]).content.decode()


# ---------------------------------------------------------------------------------------------
# Refusals and deny rules


def test_a_refusal_is_recorded_and_opens_nothing(client_for, partnership, person):
    p = partnership
    client = client_for(p.practitioner)
    client.post(urls(person)["new"], answers(p, status="refused", method="written"))
    check = client.get(urls(person)["check"]).content.decode()
    assert "You said no to Northshire Housing seeing your mental health information for your care." in check
    client.post(urls(person)["check"], {"token": token_of(check)})
    consent = Consent.objects.get()
    assert consent.status == ConsentStatus.REFUSED
    person_page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Refused" in person_page and "You said no to Northshire Housing" in person_page
    assert "Medication review" not in client_for(p.housing_officer).get(f"/people/{person.pk}/").content.decode()


def test_a_refusal_of_all_sharing_needs_no_details(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    data = answers(partnership, status="refused", recipient_agencies=None, categories=None)
    consent = record(client, person, data)
    assert consent.status == ConsentStatus.REFUSED and not consent.provisions.exists()
    body = client.get(urls(person, consent.pk)["detail"]).content.decode()
    assert "You said no to sharing your information with other agencies." in body


def test_a_deny_rule_overrides_the_permit(client_for, partnership, person):
    p = partnership
    CaseNote.objects.create(
        person=person,
        recorded_by=p.mental_health,
        category="substance_use",
        author=p.practitioner,
        title="Drinking more at weekends",
        body="Talked about cutting down.",
        occurred_on=datetime.date.today(),
    )
    data = answers(
        p,
        recipient_agencies=[str(p.housing.pk), str(p.police.pk)],
        categories=["mental_health", "substance_use"],
        deny_agencies=[str(p.police.pk)],
        deny_categories=["substance_use"],
    )
    consent = record(client_for(p.practitioner), person, data)
    assert {pr.kind for pr in consent.provisions.all()} == {ProvisionKind.PERMIT, ProvisionKind.DENY}

    police = client_for(p.police_officer).get(f"/people/{person.pk}/").content.decode()
    assert "Medication review" in police and "Drinking more at weekends" not in police
    housing = client_for(p.housing_officer).get(f"/people/{person.pk}/").content.decode()
    assert "Medication review" in housing and "Drinking more at weekends" in housing
    assert "Northshire Police must not see your substance use information." in housing


# ---------------------------------------------------------------------------------------------
# The person page, review and withdrawal, and who may do what


def test_the_person_page_summarises_consent_with_links_for_the_recording_agency(client_for, partnership, person):
    p = partnership
    consent = record(client_for(p.practitioner), person, answers(p))
    own = client_for(p.practitioner).get(f"/people/{person.pk}/").content.decode()
    assert "Consent to share" in own
    assert "Northshire Housing can see your mental health information for your care." in own
    assert "Review by" in own and "Given verbally by the person" in own
    assert urls(person, consent.pk)["withdraw"] in own and urls(person, consent.pk)["review"] in own
    assert urls(person)["new"] in own

    other = client_for(p.housing_officer).get(f"/people/{person.pk}/").content.decode()
    assert "Northshire Housing can see your mental health information" in other
    assert "You can see this because your agency is working with this person" in other
    assert urls(person, consent.pk)["withdraw"] not in other


def test_withdrawing_needs_a_reason_and_happens_once(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    consent = record(client, person, answers(partnership))
    body = client.post(urls(person, consent.pk)["withdraw"], {"reason": "  "}).content.decode()
    assert "Say how the person withdrew consent, in their words if you can" in body
    assert client.post(urls(person, consent.pk)["withdraw"], {"reason": "Phoned"}).status_code == 302
    again = client.post(urls(person, consent.pk)["withdraw"], {"reason": "Phoned again"}).content.decode()
    assert "Only consent that has been given can be withdrawn" in again
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "Phoned"
    detail = client.get(urls(person, consent.pk)["detail"]).content.decode()
    assert "Withdrawn" in detail and "Phoned" in detail and urls(person, consent.pk)["review"] not in detail


def test_reviewing_checks_the_answers_and_sets_the_next_review(client_for, partnership, person):
    client = client_for(partnership.practitioner)
    consent = record(client, person, answers(partnership))
    today = datetime.date.today()
    assert client.get(urls(person, consent.pk)["review"]).status_code == 200
    body = client.post(urls(person, consent.pk)["review"], _date("next_review_on", today)).content.decode()
    assert "Confirm that you have checked with the person" in body
    assert "The next review date must be in the future" in body
    later = today + datetime.timedelta(days=180)
    response = client.post(urls(person, consent.pk)["review"], {"still_valid": "on", **_date("next_review_on", later)})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.review_on == later and consent.reviewed_at is not None


def test_hidden_and_foreign_consents_are_not_found(client_for, partnership, person):
    p = partnership
    consent = record(client_for(p.practitioner), person, answers(p))
    consent_urls = urls(person, consent.pk)
    # Housing sees the consent (it works with Jo) but did not record it: it cannot change it.
    housing = client_for(p.housing_officer)
    assert housing.get(consent_urls["detail"]).status_code == 200
    assert housing.get(consent_urls["withdraw"]).status_code == 404
    assert housing.post(consent_urls["withdraw"], {"reason": "x"}).status_code == 404
    assert housing.get(consent_urls["review"]).status_code == 404
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN
    # The police have no ground to see Jo at all.
    police = client_for(p.police_officer)
    for url in (consent_urls["detail"], consent_urls["withdraw"], urls(person)["new"]):
        assert police.get(url).status_code == 404
    # Someone else's consent under Jo's address, or no consent at all.
    other = PersonFactory(recorded_by=p.mental_health)
    InvolvementFactory(person=other, agency=p.mental_health)
    client = client_for(p.practitioner)
    assert client.get(urls(other, consent.pk)["detail"]).status_code == 404
    assert client.get(urls(person, uuid.uuid4())["detail"]).status_code == 404
    assert client.get(urls(person, uuid.uuid4())["withdraw"]).status_code == 404


def test_roles_that_do_not_record_cannot_open_the_question_page(client_for, partnership, person):
    InvolvementFactory(person=person, agency=partnership.voluntary)
    assert client_for(partnership.volunteer).get(urls(person)["new"]).status_code == 404
    assert client_for(partnership.mh_ig_lead).get(urls(person)["new"]).status_code == 404


def test_an_end_date_is_the_last_day_consent_applies(client_for, partnership, person):
    end = datetime.date.today() + datetime.timedelta(days=40)
    consent = record(client_for(partnership.practitioner), person, answers(partnership, **_date("ends_on", end)))
    assert clock.local(consent.ends_at).date() == end + datetime.timedelta(days=1)
    assert clock.local(consent.ends_at).time() == datetime.time(0, 0)
    body = client_for(partnership.practitioner).get(urls(person, consent.pk)["detail"]).content.decode()
    assert f"until {end.day} {end:%B %Y}." in body

"""Subject access exports: every record the IG lead's agency holds about a person (sealed included),
with the other agencies and people shown them, as JSON and a readable PDF, built by a background task
with visible progress; IG leads only, and every download audited."""

import datetime
import html
import json
import shutil
import subprocess
import uuid

import pytest
from django.core.management import call_command

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.audit.models import AccessEvent, Outcome
from joinedup.core import clock
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.people.tests.factories import AddressFactory, ContactDetailFactory, InvolvementFactory, PersonFactory
from joinedup.sharing import policy, services
from joinedup.sharing.models import ExportStatus, SubjectAccessExport
from joinedup.sharing.services.subject_access import subject_access_due_on

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def text_of(response) -> str:
    """The page as text a person reads (names like O'Neil come back unescaped)."""
    return html.unescape(response.content.decode())


@pytest.fixture
def jo(partnership):
    """Jo Marsh: mental health holds her identity, a phone, a sealed refuge address and its involvement;
    housing holds a phone of its own and was sent mental health's phone with a referral."""
    p = partnership
    person = PersonFactory(given_name="Jo", family_name="Marsh", recorded_by=p.mental_health)
    InvolvementFactory(person=person, agency=p.mental_health, role="Care coordinator")
    InvolvementFactory(person=person, agency=p.housing)
    phone = ContactDetailFactory(person=person, recorded_by=p.mental_health, value="07700 900111")
    AddressFactory(person=person, recorded_by=p.mental_health, kind="refuge", sealed=True, line1="Hidden House")
    ContactDetailFactory(person=person, recorded_by=p.housing, value="07700 900222")
    services.referral_link_open(
        actor(p.practitioner), person=person, from_agency=p.mental_health, to_agency=p.housing, attachments=[phone]
    )
    policy.access_person(actor(p.practitioner), person.pk, Purpose.DIRECT_CARE)
    policy.access_person(actor(p.housing_officer), person.pk, Purpose.DIRECT_CARE)
    services.consent_record(
        actor(p.practitioner),
        person=person,
        status="given",
        method="verbal",
        provisions=[
            services.ProvisionSpec(
                recipient_agencies=[p.housing.pk], categories=["mental_health"], purposes=["direct_care"]
            )
        ],
    )
    return person


def _start(client, person, received: datetime.date | None = None, reference: str = "SAR-MH-1"):
    day = received or clock.today()
    data = {"received_on_day": day.day, "received_on_month": day.month, "received_on_year": day.year}
    return client.post(f"/people/{person.pk}/subject-access", data | {"reference": reference})


def test_export_json_holds_every_record_of_the_agency_and_its_recipients(client_for, partnership, jo, settings):
    settings.TASKS = IMMEDIATE
    p = partnership
    client = client_for(p.mh_ig_lead)
    response = _start(client, jo)
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get()
    assert (export.status, export.progress) == (ExportStatus.READY, 100)
    assert export.due_on == subject_access_due_on(clock.today())

    page = text_of(client.get(response["Location"]))
    assert "Ready to download" in page and "SAR-MH-1" in page
    assert f"/people/{jo.pk}/subject-access/{export.pk}.json" in page

    download = client.get(f"/people/{jo.pk}/subject-access/{export.pk}.json")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    document = json.loads(download.content)
    assert document["controller"]["agency"] == "Northshire Mental Health"
    assert document["person"]["name"] == "Jo Marsh"
    sections = {s["section"]: s["items"] for s in document["records"]}
    assert set(sections) == {"identity", "contact_details", "addresses", "involvements", "consents"}
    consent = sections["consents"][0]["readable"]
    assert {"label": "Can see", "value": "Northshire Housing: mental health for direct care"} in consent
    assert sections["identity"][0]["values"]["nhs_number"] == jo.nhs_number
    assert [i["values"]["value"] for i in sections["contact_details"]] == ["07700 900111"]  # not housing's
    refuge = sections["addresses"][0]
    assert refuge["sealed"] is True and refuge["values"]["line1"] == "Hidden House"
    assert {"label": "Role", "value": "Care coordinator"} in sections["involvements"][0]["readable"]
    # Recipients: the housing officer saw our records (her identity, and our phone by referral);
    # our own practitioner is not a recipient.
    [recipient] = document["recipients"]
    assert recipient["agency"] == "Northshire Housing"
    assert recipient["name"] == p.housing_officer.get_full_name()
    assert recipient["categories"] == ["contact", "identity"]
    assert "referral" in recipient["grounds"]

    # The export was read through the policy, and the download is audited as a governance read.
    reads = AccessEvent.objects.filter(actor_user_id=p.mh_ig_lead.pk, purpose=Purpose.GOVERNANCE)
    assert reads.filter(reason="Subject access export").exists()
    downloaded = reads.get(reason="Subject access export downloaded as JSON")
    assert {r["ref"].split(":")[0] for r in downloaded.records} == {
        "people.person",
        "people.contactdetail",
        "people.address",
        "people.involvement",
        "sharing.consent",
    }


def test_export_pdf_is_readable(client_for, partnership, jo, settings):
    settings.TASKS = IMMEDIATE
    client = client_for(partnership.mh_ig_lead)
    _start(client, jo)
    export = SubjectAccessExport.objects.get()
    response = client.get(f"/people/{jo.pk}/subject-access/{export.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(reason="Subject access export downloaded as PDF").count() == 1
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: checked only that a PDF was made")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    assert "Information Northshire Mental Health holds about Jo Marsh" in text
    assert "Hidden House" in text and "07700 900111" in text
    assert "07700 900222" not in text
    assert "Who else was shown the records" in text
    assert "Northshire Housing" in text and partnership.housing_officer.last_name in text


def test_progress_is_visible_while_the_worker_runs(client_for, partnership, jo, monkeypatch):
    """With the configured database backend the export waits for `db_worker` (see test_emergency for
    why close_old_connections is stubbed inside a test transaction)."""
    client = client_for(partnership.mh_ig_lead)
    _start(client, jo)
    export = SubjectAccessExport.objects.get()
    assert export.status == ExportStatus.QUEUED and export.task_id
    page = text_of(client.get(f"/people/{jo.pk}/subject-access"))
    assert "Waiting to start" in page and "Waiting for the background worker" in page and "Check progress" in page
    assert client.get(f"/people/{jo.pk}/subject-access/{export.pk}.json").status_code == 404  # not ready

    SubjectAccessExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, progress=40, step="Finding who the records were shown to"
    )
    page = text_of(client.get(f"/people/{jo.pk}/subject-access"))
    assert "Being prepared" in page and "40% done: Finding who the records were shown to" in page
    SubjectAccessExport.objects.filter(pk=export.pk).update(status=ExportStatus.QUEUED, progress=0, step="")

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert "Ready to download" in text_of(client.get(f"/people/{jo.pk}/subject-access"))


def test_a_failed_export_says_so(client_for, partnership, jo, settings, monkeypatch):
    settings.TASKS = IMMEDIATE

    def broken(document):
        raise OSError("no fonts")

    monkeypatch.setattr("joinedup.sharing.tasks.render_subject_access_pdf", broken)
    client = client_for(partnership.mh_ig_lead)
    _start(client, jo)
    export = SubjectAccessExport.objects.get()
    assert export.status == ExportStatus.FAILED and "no fonts" in export.error
    assert "Could not be prepared" in text_of(client.get(f"/people/{jo.pk}/subject-access"))
    assert client.get(f"/people/{jo.pk}/subject-access/{export.pk}.pdf").status_code == 404


def test_the_received_date_is_checked(client_for, partnership, jo):
    client = client_for(partnership.mh_ig_lead)
    body = text_of(_start(client, jo, received=clock.today() + datetime.timedelta(days=2)))
    assert "must be today or in the past" in body
    body = text_of(client.post(f"/people/{jo.pk}/subject-access", {"reference": ""}))
    assert "Enter the date your agency received the request" in body
    assert not SubjectAccessExport.objects.exists()


def test_deadline_is_one_calendar_month():
    assert subject_access_due_on(datetime.date(2026, 3, 3)) == datetime.date(2026, 4, 3)
    assert subject_access_due_on(datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 28)


def test_only_ig_leads_of_the_agency(client_for, partnership, jo, settings):
    settings.TASKS = IMMEDIATE
    p = partnership
    _start(client_for(p.mh_ig_lead), jo)
    export = SubjectAccessExport.objects.get()
    urls = [
        f"/people/{jo.pk}/subject-access",
        f"/people/{jo.pk}/subject-access/{export.pk}.json",
        f"/people/{jo.pk}/subject-access/{export.pk}.pdf",
    ]
    practitioner = client_for(p.practitioner)
    assert [practitioner.get(u).status_code for u in urls] == [404, 404, 404]
    assert _start(practitioner, jo).status_code == 404
    # Housing's IG lead can see Jo (housing works with her) but not mental health's export.
    housing_ig = client_for(UserFactory(username="housing.ig", agency=p.housing, roles=[RoleCode.IG_LEAD]))
    assert housing_ig.get(urls[0]).status_code == 200
    assert "SAR-MH-1" not in text_of(housing_ig.get(urls[0]))
    assert housing_ig.get(urls[1]).status_code == 404
    # The police's IG lead cannot see Jo at all: not found, and a denied event.
    police_ig = UserFactory(username="police.ig", agency=p.police, roles=[RoleCode.IG_LEAD])
    assert client_for(police_ig).get(urls[0]).status_code == 404
    assert AccessEvent.objects.filter(actor_user_id=police_ig.pk, outcome=Outcome.DENIED).exists()
    assert client_for(p.mh_ig_lead).get(f"/people/{uuid.uuid4()}/subject-access").status_code == 404


def test_open_requests_show_on_the_ig_home_page(client_for, partnership, jo, settings):
    settings.TASKS = IMMEDIATE
    client = client_for(partnership.mh_ig_lead)
    _start(client, jo, received=clock.today() - datetime.timedelta(days=3), reference="SAR-77")
    home = text_of(client.get("/"))
    assert "Subject access requests" in home and "SAR-77" in home
    assert f"Due {subject_access_due_on(clock.today() - datetime.timedelta(days=3)).day}" in home

import importlib

import pytest
from django.core.management import call_command
from django.urls import clear_url_caches

from joinedup.accounts.models import RoleGrant, User
from joinedup.accounts.roles import RoleCode
from joinedup.agencies.models import Agency, ContactPoint, Team
from joinedup.core import clock
from joinedup.demo import services
from joinedup.demo.partnership import AGENCIES
from joinedup.forums.models import AgendaItem, CaseDiscussion, Meeting, MeetingSeries
from joinedup.people.models import Address, Alias, ContactDetail, Involvement, LeadAgency, LocalIdentifier, Person
from joinedup.people.nhs_numbers import normalise
from joinedup.plans.models import Plan
from joinedup.referrals.models import Pathway, Referral
from joinedup.risk.models import Assessment, Flag
from joinedup.sharing.models import (
    Agreement,
    CaseNote,
    Consent,
    ConsentProvision,
    Forum,
    ForumCase,
    ForumMembership,
    ReferralAttachment,
    ReferralLink,
    SealedShare,
)
from joinedup.sharing.models.agreements import agreements_in_force
from joinedup.sharing.models.consent import consents_in_force
from joinedup.sharing.models.forums import forum_cases_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    """Turn demo mode on and re-read the URL routes (they are fixed when the module loads)."""
    from joinedup.config import urls

    settings.DEMO_MODE = True
    clear_url_caches()
    importlib.reload(urls)
    yield
    settings.DEMO_MODE = False
    clear_url_caches()
    importlib.reload(urls)


def test_generates_the_partnership_with_every_role():
    made = services.generate(people=40, seed=7)
    assert made == {"agencies": len(AGENCIES), "users": User.objects.count(), "people": 40}
    assert set(RoleGrant.objects.values_list("role__code", flat=True)) == {r.value for r in RoleCode}
    assert Person.objects.count() == 40
    assert Involvement.objects.values("person").distinct().count() == 40


def test_synthetic_nhs_numbers_only():
    services.generate(people=60, seed=7)
    numbers = list(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
    assert numbers and all(n.startswith("999") and normalise(n) == n for n in numbers)


def _people() -> list[tuple[str, str, str | None, object]]:
    return list(
        Person.objects.order_by("given_name", "family_name", "nhs_number").values_list(
            "given_name", "family_name", "nhs_number", "date_of_birth"
        )
    )


def _wipe() -> None:
    """Remove the generated partnership (not the audit trail, which cannot be removed)."""
    for model in (
        Plan,
        Assessment,
        Flag,
        Referral,
        AgendaItem,
        CaseDiscussion,
        ReferralLink,
        SealedShare,
        ForumCase,
        Consent,
        CaseNote,
        LeadAgency,
        Involvement,
        Address,
        Alias,
        ContactDetail,
        LocalIdentifier,
        Person,
        Meeting,
        MeetingSeries,
        ForumMembership,
        Pathway,
        Forum,
        Agreement,
        RoleGrant,
        User,
        ContactPoint,
        Team,
        Agency,
    ):
        model.objects.all().delete()


def _partnership() -> tuple[object, ...]:
    """What a seed decides: the people (ids included), and what is held and shared about them."""
    return (
        _people(),
        sorted(Person.objects.values_list("pk", flat=True)),
        sorted(Consent.objects.values_list("pk", "person_id", "status", "method")),
        sorted(CaseNote.objects.values_list("pk", "category", "title")),
        # (Not by id: the forum story at the end goes through the services, which make fresh ids.)
        sorted(ReferralLink.objects.values_list("person_id", "from_agency__name", "to_agency__name", "state")),
        sorted(ForumCase.objects.values_list("person_id", "forum__name", "outcome")),
    )


def test_same_seed_same_people():
    services.generate(people=25, seed=11)
    first = _partnership()
    _wipe()
    services.generate(people=25, seed=11)
    assert _partnership() == first
    _wipe()
    services.generate(people=25, seed=12)
    assert _people() != first[0]


def test_partnership_shares_as_a_real_one_does():
    """Consents (in force, withdrawn, expired, refused; some denying), signed-off agreements with a
    forum under one, forum members and cases, referrals with attachments, and case notes."""
    services.generate(people=600, seed=5)
    now = clock.now()
    people = Person.objects.count()
    in_force = Consent.objects.filter(consents_in_force(at=now)).values("person_id").distinct().count()
    assert 0.2 * people < in_force < 0.4 * people
    statuses = set(Consent.objects.values_list("status", flat=True))
    assert statuses == {"given", "withdrawn", "refused"}
    assert Consent.objects.filter(status="given", ends_at__lt=now).exists()  # expired
    assert ConsentProvision.objects.filter(kind="deny").exists()
    permits = ConsentProvision.objects.filter(kind="permit", consent__status="given")
    assert all(1 <= p.recipient_agencies.count() <= 3 for p in permits[:100])
    assert all(p.scopes.filter(purpose="direct_care").exists() for p in permits[:100])

    signed = Agreement.objects.filter(agreements_in_force(on=clock.today()))
    assert 3 <= signed.count() <= 4
    assert Agreement.objects.filter(signed_off_at=None).exists()  # a draft is no ground
    under_agreements = Forum.objects.filter(agreement__in=signed)
    assert {f.kind for f in under_agreements} == {"co_occurring", "risk_conference"}
    for forum in under_agreements:
        assert ForumMembership.objects.filter(forum=forum, ends_at=None).count() >= 3
    current = ForumCase.objects.filter(forum_cases_open(at=now)).values("person_id").distinct().count()
    assert 0.005 * people < current < 0.05 * people

    live = ReferralLink.objects.filter(state__in=("open", "accepted"))
    assert live.exists() and ReferralAttachment.objects.filter(link__in=live).exists()
    for attachment in ReferralAttachment.objects.select_related("link")[:200]:
        record = _record(attachment.record_type, attachment.record_id)
        assert record.recorded_by_id == attachment.link.from_agency_id  # only the referrer's own records
        assert (record.pk if isinstance(record, Person) else record.person_id) == attachment.link.person_id

    assert CaseNote.objects.values("category").distinct().count() >= 6
    assert Address.objects.filter(sealed=True).exists()


def _record(record_type: str, record_id: object) -> object:
    from django.apps import apps

    return apps.get_model(record_type)._default_manager.get(pk=record_id)


def test_case_holders_grow_with_the_partnership():
    """Caseloads stay near forty people however large the partnership (a million needs thousands)."""
    spec = next(s for s in AGENCIES if s.slug == "cmht")
    assert services._staff_count(spec, RoleCode.PRACTITIONER, 100) == services.PRACTITIONERS_PER_AGENCY
    assert services._staff_count(spec, RoleCode.PRACTITIONER, 1_000_000) == 8000
    assert services._staff_count(spec, RoleCode.MANAGER, 1_000_000) == 1


def test_command_is_idempotent(capsys):
    call_command("demo", people=5)
    call_command("demo", people=5)
    out = capsys.readouterr().out
    assert "already loaded" in out
    assert Person.objects.count() == 5


def test_logins_are_printed(capsys):
    services.generate(people=0)
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert services.DEMO_PASSWORD in out and "cmht.practitioner" in out


def test_persona_switcher_signs_in_without_mfa(client, demo_mode):
    services.generate(people=5)
    page = client.get("/demo/personas")
    assert page.status_code == 200 and "housing.practitioner" in page.content.decode()
    response = client.post("/demo/personas", {"username": "housing.practitioner"})
    assert response.status_code == 302
    assert "Northshire Council Housing Options" in client.get("/").content.decode()


def test_persona_switcher_rejects_unknown_users(client, demo_mode):
    services.generate(people=0)
    assert client.post("/demo/personas", {"username": "nobody"}).status_code == 404


def test_some_people_have_an_agreed_lead_agency_among_those_working_with_them():
    services.generate(people=200, seed=3)
    leads = list(LeadAgency.objects.all())
    assert 0.1 * 200 < len(leads) < 0.6 * 200
    for lead in leads[:50]:
        assert lead.recorded_by_id == lead.agency_id and lead.category == "coordination"
        involved = Involvement.objects.filter(person_id=lead.person_id, agency_id=lead.agency_id, ends_on=None)
        assert involved.filter(starts_on__lte=lead.starts_on).exists()


def test_the_demo_pathways_include_community_triage_joint_working_housing_and_each_forum():
    services.generate(people=25, seed=4)
    names = set(Pathway.objects.values_list("name", flat=True))
    assert {"Community Triage", "Crisis team referral", "Housing referral"} <= names
    assert {n for n in names if n.startswith("Joint working")}
    forums = set(Forum.objects.values_list("pk", flat=True))
    assert set(Pathway.objects.filter(kind="forum").values_list("forum_id", flat=True)) == forums


def test_demo_forums_have_a_calendar_and_named_representatives():
    services.generate(people=25, seed=3)
    for forum in Forum.objects.all():
        assert forum.coordinator_id is not None
        assert Meeting.objects.filter(forum=forum, series__isnull=False).count() >= 2
    current = ForumMembership.objects.filter(ends_at__isnull=True)
    assert current.exists() and not current.filter(contact_email="").exists()


def test_the_substance_use_worker_has_a_caseload_with_a_risk_story():
    services.generate(people=60, seed=2026)
    worker = User.objects.get(username="recovery.practitioner")
    mine = Involvement.objects.filter(key_worker=worker, ends_on=None)
    assert mine.count() >= 2
    old = Assessment.objects.get(assessor=worker)
    assert old.review_due() and old.person_id in {i.person_id for i in mine}
    states = sorted(f.state().value for f in Flag.objects.filter(recorded_by=worker.agency))
    assert states == ["current", "expired"]

"""Every person-scoped page and API route, for every kind of user, against one expected table.

The table is the specification: who gets the page (200, or 302 where the page redirects onwards)
and who is told it does not exist (404). Forbidden must look exactly like missing.
"""

import datetime
import re

import pytest
from django.utils import timezone

from joinedup.accounts.models import Role, RoleGrant
from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.actions import services as action_services
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Category, Purpose
from joinedup.crisis import services as crisis
from joinedup.forums.models import Meeting
from joinedup.forums.services import agenda
from joinedup.people.tests.factories import ContactDetailFactory, InvolvementFactory, PersonFactory
from joinedup.plans import services as plan_services
from joinedup.referrals import services as referral_services
from joinedup.referrals.tests.factories import PathwayFactory
from joinedup.risk import catalogue
from joinedup.risk import services as risk_services
from joinedup.risk.tests.answers import answers_for
from joinedup.sharing import services
from joinedup.sharing.models import (
    Agreement,
    AgreementScope,
    AgreementSignoff,
    Forum,
    ForumMembership,
    SubjectAccessExport,
)
from joinedup.sharing.services import ProvisionSpec
from joinedup.web.tests.test_url_walk import ROUTES as walk_routes_list

pytestmark = pytest.mark.django_db

PERSONAS = ["own", "own_ig_lead", "consented", "agreement_only", "volunteer", "analyst", "system_admin", "outsider"]

OK, HIDDEN = "ok", 404

# route -> the personas that get the page; everyone else gets a 404.
SEEN_BY = {
    "people/{p}/": {"own", "own_ig_lead", "consented", "agreement_only", "volunteer"},
    "api/v1/people/{p}": {"own", "own_ig_lead", "consented", "agreement_only", "volunteer"},
    "people/{p}/addresses/new": {"own", "consented", "agreement_only"},
    "people/{p}/contact-details/new": {"own", "consented", "agreement_only"},
    "people/{p}/notes/new": {"own", "consented", "agreement_only"},
    "people/{p}/consents/new": {"own", "consented", "agreement_only"},
    "people/{p}/consents/check": {"own", "consented", "agreement_only"},
    "people/{p}/consents/{consent}/": {"own", "own_ig_lead", "volunteer"},
    "people/{p}/consents/{consent}/review": {"own"},
    "people/{p}/consents/{consent}/withdraw": {"own"},
    "people/{p}/consents/{consent}/evidence": set(),  # no evidence was uploaded
    "people/{p}/involvements/{involvement}/end": {"own"},  # visible to others, but only its agency ends it
    "people/{p}/lead-agency": {"own"},  # an agency working with the person records who leads
    "people/{p}/disclosures": {"own_ig_lead"},
    "people/{p}/subject-access": {"own_ig_lead"},
    "people/{p}/subject-access/{export}.json": {"own_ig_lead"},
    "people/{p}/subject-access/{export}.pdf": {"own_ig_lead"},
    "people/{p}/emergency-access": {"own", "consented", "agreement_only"},
    "people/{p}/emergency-access/end": set(),  # POSTed: no one holds a grant to end
    # Crisis contacts ("own" is also a crisis worker): an unlinked one is its agency's alone; once
    # linked it is the person's mental health record, read per policy; only the hub's workers change it.
    "crisis/": {"own"},
    "crisis/board/rows": {"own"},
    "crisis/contacts/new": {"own"},
    "crisis/contacts/find-person": {"own"},
    "crisis/contacts/{contact}/": {"own", "own_ig_lead"},
    "crisis/contacts/{contact}/triage": {"own"},
    "crisis/contacts/{contact}/link": {"own"},
    "crisis/contacts/{contact}/close": {"own"},
    "crisis/contacts/{linked_contact}/": {"own", "own_ig_lead", "consented", "agreement_only"},
    "crisis/contacts/{linked_contact}/refer": {"own"},
    "api/v1/crisis/contacts": {"own"},
    "api/v1/crisis/contacts/{contact}": {"own", "own_ig_lead"},
    "api/v1/crisis/contacts/{linked_contact}": {"own", "own_ig_lead", "consented", "agreement_only"},
    # Referrals: refer whom you may see and act for; a referral is its referrer's record, the receiver's
    # while open (the referral ground), and coordination that an involved agency sees.
    "people/{p}/refer": {"own", "consented", "agreement_only"},
    "people/{p}/refer/details": {"own", "consented", "agreement_only"},  # back to the first question
    "people/{p}/refer/check": {"own", "consented", "agreement_only"},
    "referrals/{referral}/": {"own", "own_ig_lead", "agreement_only", "volunteer"},
    "api/v1/referrals/{referral}": {"own", "own_ig_lead", "agreement_only", "volunteer"},
    "referrals/{referral}/decline": {"agreement_only"},  # the receiver decides
    "referrals/{referral}/handover": {"agreement_only"},  # (back to the referral: not accepted yet)
    "referrals/{referral}/close": {"agreement_only"},
    "referrals/{referral}/withdraw": {"own"},  # the referrer withdraws
    "referrals/{referral}/again": {"own"},  # (back to the referral: still open)
    # Actions: the setter's record (coordination), which an involved agency also sees; GET shows the forms.
    "actions/{action}/": {"own", "own_ig_lead", "volunteer"},
    "api/v1/actions/{action}": {"own", "own_ig_lead", "volunteer"},
    # Forums: only the organiser (here mental health's practitioner chairs) runs a case or edits the agenda.
    "forums/meetings/{meeting}/cases/{agenda_item}": {"own"},
    "forums/meetings/{meeting}/agenda/{agenda_item}/remove": {"own"},  # (back to the agenda)
    # Plans: a care plan is coordination, read like an action; only staff who record about people, of
    # an agency working with the person (or its author or lead), write or change one.
    "plans/people/{p}/new": {"own", "consented", "agreement_only"},
    "api/v1/plans/people/{p}": {"own", "own_ig_lead", "consented", "agreement_only", "volunteer"},
    "plans/{plan}/": {"own", "own_ig_lead", "volunteer"},
    "plans/{plan}/edit": {"own"},
    "plans/{plan}/goals/new": {"own"},
    "plans/{plan}/goals/{goal}/": {"own"},
    "plans/{plan}/actions/new": {"own"},
    "plans/{plan}/history": {"own", "own_ig_lead", "volunteer"},
    "plans/{plan}/history/1": {"own", "own_ig_lead", "volunteer"},
    "plans/{plan}/my-plan.pdf": {"own", "own_ig_lead", "volunteer"},
    "api/v1/plans/{plan}": {"own", "own_ig_lead", "volunteer"},
    # Risk: the page and the API lists show whoever may see the person only what they may read; an
    # assessment (safeguarding) and a flag (risk) are their agency's; recording needs a caseworker.
    "people/{p}/risk/": {"own", "own_ig_lead", "consented", "agreement_only", "volunteer"},
    "people/{p}/risk/assess/{tool}": {"own", "consented", "agreement_only"},
    "people/{p}/risk/flags/add": {"own", "consented", "agreement_only"},
    "risk/assessments/{assessment}/": {"own", "own_ig_lead"},
    "risk/flags/{flag}/end": {"own"},  # only the agency that raised it ends it
    "api/v1/risk/people/{p}/assessments": {"own", "own_ig_lead", "consented", "agreement_only", "volunteer"},
    "api/v1/risk/people/{p}/flags": {"own", "own_ig_lead", "consented", "agreement_only", "volunteer"},
    "api/v1/risk/assessments/{assessment}": {"own", "own_ig_lead"},
    "api/v1/risk/flags/{flag}": {"own", "own_ig_lead"},
}


@pytest.fixture
def world(partnership, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    p = partnership
    person = PersonFactory(given_name="Matrix", family_name="Person", recorded_by=p.mental_health)
    involvement = InvolvementFactory(person=person, agency=p.mental_health, key_worker=p.practitioner)
    InvolvementFactory(person=person, agency=p.voluntary)
    ContactDetailFactory(person=person, recorded_by=p.mental_health)
    mh = actor(p.practitioner)
    services.case_note_add(
        mh, person=person, category=Category.MENTAL_HEALTH, title="Seen", body="x", occurred_on=datetime.date.today()
    )
    # Housing: consent only.
    consent = services.consent_record(
        mh,
        person=person,
        status="given",
        method="verbal",
        provisions=[
            ProvisionSpec(
                recipient_agencies=[p.housing.pk],
                categories=[Category.IDENTITY, Category.MENTAL_HEALTH, Category.CONTACT],
                purposes=[Purpose.DIRECT_CARE],
            )
        ],
    )
    # Police: a signed-off agreement with mental health, and an open referral between them.
    agreement = Agreement.objects.create(
        title="Crisis DSA",
        owner=p.mental_health,
        lawful_basis="e_public_task",
        special_category_condition="h_health_social_care",
        starts_on=datetime.date.today() - datetime.timedelta(days=1),
        review_on=datetime.date.today() + datetime.timedelta(days=300),
        created_by=p.mh_ig_lead,
        signed_off_at=timezone.now(),
    )
    agreement.parties.set([p.mental_health, p.police])
    for category in (Category.IDENTITY, Category.MENTAL_HEALTH):
        AgreementScope.objects.create(agreement=agreement, category=category, purpose=Purpose.DIRECT_CARE)
    for agency, user in ((p.mental_health, p.mh_ig_lead), (p.police, p.mh_ig_lead)):
        AgreementSignoff.objects.create(agreement=agreement, agency=agency, signed_by=user, signed_at=timezone.now())
    services.referral_link_open(mh, person=person, from_agency=p.mental_health, to_agency=p.police)
    pathway = PathwayFactory(name="Police liaison", to_agency=p.police)
    referral = referral_services.referral_draft(
        mh,
        person=person,
        pathway=pathway,
        urgency=pathway.urgencies.get(name="Routine"),
        reason="Matrix reason",
        risk_summary="None known",
        sharing_basis="agreement",
        agreement=agreement,
        referred_by=p.practitioner,
    )
    referral_services.referral_send(mh, referral_id=referral.pk)
    action = action_services.action_create(
        mh,
        person=person,
        description="Matrix action",
        owner_agency=p.mental_health,
        due_on=datetime.date.today() + datetime.timedelta(days=7),
        source="plan",
    )
    risk_tool = catalogue.tool_get("domestic_abuse")
    assert risk_tool is not None
    assessment = risk_services.assessment_complete(
        mh, person=person, tool=risk_tool, answers=answers_for(risk_tool.spec, yes=3)
    )
    flag = risk_services.flag_add(
        mh,
        person=person,
        kind="risk_to_staff",
        reason="Matrix warning",
        starts_on=datetime.date.today(),
        ends_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    export = SubjectAccessExport.objects.create(
        person=person,
        agency=p.mental_health,
        requested_by=p.mh_ig_lead,
        received_on=datetime.date.today(),
        due_on=datetime.date.today() + datetime.timedelta(days=30),
        status="ready",
        content_json={},
        content_pdf=b"%PDF-1.7 test",
    )
    users = {
        "own": p.practitioner,
        "own_ig_lead": p.mh_ig_lead,
        "consented": p.housing_officer,
        "agreement_only": p.police_officer,
        "volunteer": p.volunteer,
        "analyst": p.analyst,
        "system_admin": p.system_admin,
        "outsider": UserFactory(username="outsider", agency=p.substance_use, roles=[RoleCode.PRACTITIONER]),
    }
    RoleGrant.objects.create(
        user=p.practitioner, role=Role.objects.get(code=RoleCode.CRISIS_WORKER), starts_at=timezone.now()
    )
    crisis_worker = actor(p.practitioner)
    received = {"channel": "phone", "received_at": timezone.now(), "presenting_need": "Distressed"}
    contact = crisis.contact_log(crisis_worker, caller_description="Caller from a phone box", **received)
    linked_contact = crisis.contact_log(crisis_worker, person_id=person.pk, **received)
    forum = Forum.objects.create(name="Matrix forum", kind="other", host=p.mental_health, chair=p.practitioner)
    ForumMembership.objects.create(forum=forum, agency=p.mental_health, starts_at=timezone.now())
    services.forum_case_open(mh, forum=forum, person=person)
    starts = timezone.now() + datetime.timedelta(days=7)
    meeting = Meeting.objects.create(forum=forum, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    agenda_item = agenda.agenda_add(mh, meeting=meeting, person=person, kind="new", risk_level=3)
    plan, _ = plan_services.plan_create(mh, person=person, kind="care_support", title="Matrix plan")
    goal = plan_services.goal_add(mh, plan_id=plan.pk, description="Matrix goal")
    ids = {
        "plan": plan.pk,
        "goal": goal.pk,
        "meeting": meeting.pk,
        "agenda_item": agenda_item.pk,
        "p": person.pk,
        "consent": consent.pk,
        "involvement": involvement.pk,
        "export": export.pk,
        "contact": contact.pk,
        "linked_contact": linked_contact.pk,
        "referral": referral.pk,
        "action": action.pk,
        "tool": "domestic_abuse",
        "assessment": assessment.pk,
        "flag": flag.pk,
    }
    return users, ids


# Routes that take only POST: the matrix posts an empty form to them instead.
POSTED = {"people/{p}/emergency-access/end", "forums/meetings/{meeting}/agenda/{agenda_item}/remove"}

CASES = [(route, persona) for route in SEEN_BY for persona in PERSONAS]


def _shape(route: str) -> str:
    """A route with every parameter as {}: the URLconf's <uuid:person_id> and the table's {p} alike."""
    return re.sub(r"<[^>]+>|\{[^}]*\}", "{}", route)


def test_the_matrix_covers_every_person_route():
    person_routes = {_shape(route) for route, _ in walk_routes_list if "<uuid:person_id>" in route}
    assert person_routes - {_shape(route) for route in SEEN_BY} == set()


@pytest.mark.parametrize(("route", "persona"), CASES, ids=[f"{r}|{u}" for r, u in CASES])
def test_access_matrix(client_for, world, route, persona):
    users, ids = world
    client = client_for(users[persona])
    path = "/" + route.format(**ids)
    response = client.post(path) if route in POSTED else client.get(path)
    expected = OK if persona in SEEN_BY[route] else HIDDEN
    got = OK if response.status_code in (200, 302) else response.status_code
    assert got == expected, f"{route} as {persona}: {response.status_code}"
    if expected == HIDDEN and "Matrix" in response.content.decode():
        pytest.fail(f"{route} as {persona} is a 404 that shows the person's name")


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_and_counts_match_the_matrix(client_for, world, persona):
    users, _ = world
    client = client_for(users[persona])
    data = client.get("/api/v1/people", {"q": "matrix"})
    if persona in {"analyst", "system_admin"}:
        assert data.status_code in (200, 404)
        assert data.status_code == 404 or data.json()["count"] == 0
        return
    # Search matches only people whose identity the user may read.
    expected = 1 if persona in SEEN_BY["people/{p}/"] else 0
    assert data.json()["count"] == expected

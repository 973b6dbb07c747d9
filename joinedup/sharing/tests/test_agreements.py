"""Data sharing agreements: drafting with clear validation, sign-off by every party's IG lead, the
register with its expiry warnings, and that an agreement opens sharing only once fully signed."""

import datetime
import html
import re
import uuid

import pytest

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.core import clock
from joinedup.core.errors import NotFound
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Category, Purpose
from joinedup.people.tests.factories import ContactDetailFactory, PersonFactory
from joinedup.sharing import policy, services
from joinedup.sharing.models import Agreement, Forum, ForumKind
from joinedup.sharing.models.agreements import LawfulBasis, SpecialCategoryCondition
from joinedup.sharing.policy import Ground

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as text a person reads (names like O'Neil come back unescaped)."""
    return html.unescape(response.content.decode())


def field_error(body: str, field_id: str) -> str:
    """The error message shown beside one field (NHS.UK error message, id "<field id>-error")."""
    hidden = r'(?:<span class="nhsuk-u-visually-hidden">[^<]*</span>)?'
    match = re.search(rf'id="{field_id}-error"[^>]*>\s*{hidden}(.*?)</span>', body, re.S)
    return match.group(1).strip() if match else ""


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


@pytest.fixture
def ig(partnership):
    """An IG lead at each agency the tests need, beside mental health's own."""
    p = partnership
    return {
        "mh": p.mh_ig_lead,
        "housing": UserFactory(username="housing.ig", agency=p.housing, roles=[RoleCode.IG_LEAD]),
        "police": UserFactory(username="police.ig", agency=p.police, roles=[RoleCode.IG_LEAD]),
    }


def _form(partnership, **overrides):
    today = clock.today()
    data = {
        "title": "Northshire crisis pathway sharing",
        "parties": [str(partnership.mental_health.pk), str(partnership.housing.pk)],
        "categories": [Category.IDENTITY, Category.CONTACT, Category.MENTAL_HEALTH],
        "purposes": [Purpose.DIRECT_CARE, Purpose.FORUM],
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "special_category_condition": SpecialCategoryCondition.HEALTH_SOCIAL_CARE,
        **_date("starts_on", today),
        **_date("review_on", today + datetime.timedelta(days=365)),
    }
    data.update(overrides)
    return data


def test_an_ig_lead_drafts_an_agreement(client_for, partnership, ig):
    client = client_for(ig["mh"])
    page = text_of(client.get("/governance/agreements/new"))
    assert "UK GDPR Article 6 lawful basis" in page and "Mental health" in page
    response = client.post("/governance/agreements/new", _form(partnership, reference="DSA-7"))
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert response["Location"] == f"/governance/agreements/{agreement.pk}/"
    assert {a.pk for a in agreement.parties.all()} == {partnership.mental_health.pk, partnership.housing.pk}
    assert agreement.scopes.count() == 6  # three categories for two purposes
    body = text_of(client.get(response["Location"]))
    assert "Waiting for sign-off" in body and "DSA-7" in body
    assert "Article 9(2)(h) health or social care" in body


def test_validation_messages_sit_beside_their_fields(client_for, partnership, ig):
    client = client_for(ig["mh"])
    today = clock.today()

    body = text_of(
        client.post(
            "/governance/agreements/new", _form(partnership, special_category_condition=SpecialCategoryCondition.NONE)
        )
    )
    assert "special category data: choose the Article 9 condition" in field_error(body, "id_special_category_condition")
    assert "There is a problem" in body

    body = text_of(client.post("/governance/agreements/new", _form(partnership, law_enforcement="on")))
    assert field_error(body, "id_law_enforcement") == "Part 3 applies only when police or probation are a party"

    body = text_of(
        client.post(
            "/governance/agreements/new", _form(partnership, **_date("ends_on", today - datetime.timedelta(days=1)))
        )
    )
    assert field_error(body, "id_ends_on") == "The end date must be on or after the start date"

    body = text_of(client.post("/governance/agreements/new", {"title": ""}))
    assert field_error(body, "id_title") == "Enter a title"
    assert field_error(body, "id_parties") == "Choose the agencies that are parties to the agreement"
    assert field_error(body, "id_starts_on") == "Enter the start date"
    assert not Agreement.objects.exists()


def test_part_3_is_accepted_with_the_police_as_a_party(partnership, ig):
    agreement = services.agreement_create(
        actor(ig["mh"]),
        title="Street triage",
        parties=[partnership.mental_health, partnership.police],
        categories=[Category.IDENTITY, Category.CRIMINAL_JUSTICE],
        purposes=[Purpose.DIRECT_CARE],
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        law_enforcement=True,
        starts_on=clock.today(),
        review_on=clock.today() + datetime.timedelta(days=90),
    )
    assert agreement.law_enforcement


def test_only_ig_leads_draft_and_everyone_reads_the_register(client_for, partnership, ig):
    practitioner = client_for(partnership.practitioner)
    assert practitioner.get("/governance/agreements/new").status_code == 404
    assert practitioner.post("/governance/agreements/new", _form(partnership)).status_code == 404
    assert practitioner.get("/governance/agreements/").status_code == 200
    assert "Draft a new agreement" not in text_of(practitioner.get("/governance/agreements/"))
    assert "Draft a new agreement" in text_of(client_for(ig["mh"]).get("/governance/agreements/"))


def _draft(partnership, ig, **overrides):
    arguments = {
        "title": "Co-occurring conditions forum",
        "parties": [partnership.mental_health, partnership.housing],
        "categories": [Category.IDENTITY, Category.CONTACT],
        "purposes": [Purpose.FORUM, Purpose.DIRECT_CARE],
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "starts_on": clock.today(),
        "review_on": clock.today() + datetime.timedelta(days=180),
    }
    return services.agreement_create(actor(ig["mh"]), **(arguments | overrides))


def test_each_party_signs_off_and_only_then_it_is_a_ground(client_for, partnership, ig):
    """Under a forum case: housing may read mental health's contact records for the forum only once
    both parties' IG leads have signed the agreement off."""
    p = partnership
    agreement = _draft(p, ig)
    forum = Forum.objects.create(
        name="Co-occurring conditions forum", kind=ForumKind.CO_OCCURRING, host=p.mental_health, agreement=agreement
    )
    system = actor(ig["mh"])
    services.forum_membership_start(system, forum=forum, agency=p.mental_health)
    services.forum_membership_start(system, forum=forum, agency=p.housing)
    person = PersonFactory(given_name="Alex", family_name="Reed", recorded_by=p.mental_health)
    phone = ContactDetailFactory(person=person, recorded_by=p.mental_health)
    services.forum_case_open(system, forum=forum, person=person)
    housing = actor(p.housing_officer)

    with pytest.raises(NotFound):
        policy.access_person(housing, person.pk, Purpose.FORUM)

    # Mental health signs first: still a draft, still no ground.
    mh = client_for(ig["mh"])
    detail = f"/governance/agreements/{agreement.pk}/"
    page = text_of(mh.get(detail))
    assert "Sign off for Northshire Mental Health" in page
    assert mh.post(f"{detail}sign-off").status_code == 302
    page = text_of(mh.get(detail))
    assert "Signed off by" in page and "Not signed off yet" in page
    assert "Sign off for" not in page  # already signed for this agency
    with pytest.raises(NotFound):
        policy.access_person(housing, person.pk, Purpose.FORUM)

    # The police are not a party: their IG lead gets a 404, and no button.
    police = client_for(ig["police"])
    assert "Sign off for" not in text_of(police.get(detail))
    assert police.post(f"{detail}sign-off").status_code == 404

    # Housing signs last: the agreement is in force, and opens the forum read.
    housing_ig = client_for(ig["housing"])
    assert "waiting for your sign-off" in text_of(housing_ig.get("/"))
    response = housing_ig.post(f"{detail}sign-off")
    assert response.status_code == 302
    assert "Every party has now signed it" in text_of(housing_ig.get(response["Location"]))
    agreement.refresh_from_db()
    assert agreement.signed_off_at is not None
    access = policy.access_person(housing, person.pk, Purpose.FORUM)
    assert [s.record.pk for s in access.section("contact_details")] == [phone.pk]
    assert Ground.AGREEMENT in access.section("contact_details")[0].grounds
    # ... for the forum, not for direct care: there is no referral between the two agencies.
    with pytest.raises(NotFound):
        policy.access_person(housing, person.pk, Purpose.DIRECT_CARE)


def test_an_open_referral_under_a_signed_agreement_opens_direct_care(partnership, ig):
    p = partnership
    agreement = _draft(p, ig)
    person = PersonFactory(recorded_by=p.mental_health)
    phone = ContactDetailFactory(person=person, recorded_by=p.mental_health)
    services.referral_link_open(actor(p.practitioner), person=person, from_agency=p.mental_health, to_agency=p.housing)
    housing = actor(p.housing_officer)
    services.agreement_signoff(actor(ig["mh"]), agreement_id=agreement.pk)
    with pytest.raises(NotFound):
        policy.access_person(housing, person.pk, Purpose.DIRECT_CARE)
    services.agreement_signoff(actor(ig["housing"]), agreement_id=agreement.pk)
    access = policy.access_person(housing, person.pk, Purpose.DIRECT_CARE)
    assert [s.record.pk for s in access.section("contact_details")] == [phone.pk]


def _signed(partnership, ig, **overrides):
    agreement = _draft(partnership, ig, **overrides)
    services.agreement_signoff(actor(ig["mh"]), agreement_id=agreement.pk)
    services.agreement_signoff(actor(ig["housing"]), agreement_id=agreement.pk)
    return agreement


def test_register_warns_of_agreements_expiring_within_60_days(client_for, partnership, ig):
    today = clock.today()
    _signed(partnership, ig, title="Ends soon", ends_on=today + datetime.timedelta(days=30))
    _signed(partnership, ig, title="Ends later", ends_on=today + datetime.timedelta(days=200))
    ended = _signed(partnership, ig, title="Ended last year", starts_on=today - datetime.timedelta(days=400))
    Agreement.objects.filter(pk=ended.pk).update(ends_on=today - datetime.timedelta(days=1))
    draft = _draft(partnership, ig, title="Still a draft")
    services.agreement_signoff(actor(ig["mh"]), agreement_id=draft.pk)

    body = text_of(client_for(partnership.practitioner).get("/governance/agreements/"))
    assert "Agreements expiring within 60 days" in body
    callout = body.split("Agreements expiring within 60 days")[1].split("</div>")[0]
    assert "Ends soon" in callout and "Ends later" not in callout
    assert "Expires in 30 days" in body
    assert "In force" in body and "Expired" in body
    assert "1 of 2 signed off; waiting for Northshire Housing" in body

    home = text_of(client_for(ig["mh"]).get("/"))
    assert "Ends soon" in home and "Expires in 30 days" in home
    assert "Ends later" not in home and "Ended last year" not in home


def test_an_expired_agreement_is_no_ground(partnership, ig):
    today = clock.today()
    agreement = _signed(partnership, ig, starts_on=today - datetime.timedelta(days=100))
    person = PersonFactory(recorded_by=partnership.mental_health)
    ContactDetailFactory(person=person, recorded_by=partnership.mental_health)
    services.referral_link_open(
        actor(partnership.practitioner),
        person=person,
        from_agency=partnership.mental_health,
        to_agency=partnership.housing,
    )
    housing = actor(partnership.housing_officer)
    assert policy.access_person(housing, person.pk, Purpose.DIRECT_CARE).section("contact_details")
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=today - datetime.timedelta(days=1))
    with pytest.raises(NotFound):
        policy.access_person(housing, person.pk, Purpose.DIRECT_CARE)


def test_unknown_agreement_is_not_found(client_for, partnership):
    assert client_for(partnership.practitioner).get(f"/governance/agreements/{uuid.uuid4()}/").status_code == 404

"""A risk conference beside the shared test partnership: hosted by the police, operating under a
signed agreement, with mental health, housing and recovery as members, a coordinator and a chair,
each member's representative, two people on its list and a meeting next week."""

import datetime
from dataclasses import dataclass

import pytest

from joinedup.accounts.models import User
from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.core import clock
from joinedup.core.vocabulary import Category, Purpose
from joinedup.forums.models import Meeting
from joinedup.people.models import Person
from joinedup.people.tests.factories import PersonFactory
from joinedup.sharing.models import Agreement, AgreementScope, Forum, ForumCase, ForumKind, ForumMembership
from joinedup.sharing.models.agreements import LawfulBasis, SpecialCategoryCondition


@dataclass
class RiskConference:
    forum: Forum
    agreement: Agreement
    coordinator: User  # police, forum coordinator role, the forum's named coordinator
    chair: User  # police, forum coordinator role, the forum's named chair
    members: dict[str, ForumMembership]  # by agency slug: police, mental_health, housing, substance_use
    person: Person  # a current case, referred by mental health
    second: Person  # a current case, referred by housing
    outsider: Person  # not on the forum's list
    meeting: Meeting  # next week, 10:00 to 12:00


SHARED = (Category.IDENTITY, Category.CONTACT, Category.COORDINATION, Category.RISK, Category.SAFEGUARDING)


@pytest.fixture
def conference(partnership) -> RiskConference:
    p = partnership
    now = clock.now()
    coordinator = UserFactory(
        username="marac.coordinator", agency=p.police, roles=[RoleCode.FORUM_COORDINATOR, RoleCode.PRACTITIONER]
    )
    chair = UserFactory(username="marac.chair", agency=p.police, roles=[RoleCode.FORUM_COORDINATOR])
    agencies = {
        "police": p.police,
        "mental_health": p.mental_health,
        "housing": p.housing,
        "substance_use": p.substance_use,
    }
    agreement = Agreement.objects.create(
        title="Northshire risk conference information sharing",
        owner=p.police,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        special_category_condition=SpecialCategoryCondition.HEALTH_SOCIAL_CARE,
        starts_on=clock.today() - datetime.timedelta(days=100),
        review_on=clock.today() + datetime.timedelta(days=265),
        created_by=coordinator,
        signed_off_at=now - datetime.timedelta(days=90),
    )
    agreement.parties.set(agencies.values())
    AgreementScope.objects.bulk_create(
        AgreementScope(agreement=agreement, category=c, purpose=Purpose.FORUM) for c in SHARED
    )
    forum = Forum.objects.create(
        name="Northshire Risk Conference",
        kind=ForumKind.RISK_CONFERENCE,
        host=p.police,
        agreement=agreement,
        chair=chair,
        coordinator=coordinator,
        terms_of_reference="Safety planning for people at high risk of harm.",
        referral_criteria="High risk on the checklist, professional judgement, or escalation.",
        confidentiality_statement="What is shared here stays here, and is used only for safety planning.",
        adult_women_population=120_000,
    )
    representatives = {
        "police": coordinator,
        "mental_health": p.practitioner,
        "housing": p.housing_officer,
        "substance_use": p.substance_worker,
    }
    members = {
        slug: ForumMembership.objects.create(
            forum=forum,
            agency=agency,
            starts_at=now - datetime.timedelta(days=90),
            representative=representatives[slug],
            representative_confirmed_on=clock.today() - datetime.timedelta(days=80),
            contact_name=f"{agency.name} forum inbox",
            contact_email=f"{slug.replace('_', '-')}.forum@example.org",
        )
        for slug, agency in agencies.items()
    }
    person = PersonFactory(given_name="Robin", family_name="Marsh", recorded_by=p.mental_health)
    second = PersonFactory(given_name="Sam", family_name="Dale", recorded_by=p.housing)
    outsider = PersonFactory(given_name="Tal", family_name="Stone", recorded_by=p.mental_health)
    for who in (person, second):
        ForumCase.objects.create(
            person=who, recorded_by=p.police, category=Category.COORDINATION, forum=forum, opened_at=now
        )
    starts = clock.local(now).replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    meeting = Meeting.objects.create(forum=forum, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    return RiskConference(forum, agreement, coordinator, chair, members, person, second, outsider, meeting)

"""Consent in plain English: what the person hears read back, and what the person page says."""

import datetime

import pytest

from joinedup.core.tests.helpers import actor
from joinedup.people.tests.factories import PersonFactory
from joinedup.sharing.forms.consent import one_year_on, start_of
from joinedup.sharing.models import Forum
from joinedup.sharing.policy import Ground, Shown
from joinedup.sharing.presenters.consent import (
    Rule,
    consent_item,
    consent_sentences,
    join_words,
    last_day,
    rule_sentence,
    sentences,
)
from joinedup.sharing.services import ProvisionSpec, consent_record

JUNE_1 = datetime.date(2027, 6, 1)


def test_a_permit_says_who_what_why_and_until():
    rule = Rule("permit", ("Northshire Housing",), ("housing", "mental_health"), ("direct_care",))
    assert rule_sentence(rule, until=JUNE_1) == (
        "Northshire Housing can see your mental health and housing information for your care, until 1 June 2027."
    )


def test_a_permit_with_no_end_and_several_of_everything():
    rule = Rule(
        "permit",
        ("Northshire Housing", "Northshire Police", "members of Northshire MARAC"),
        ("risk", "safeguarding", "contact"),
        ("forum", "emergency"),
        sources=("Northshire Mental Health",),
    )
    assert rule_sentence(rule) == (
        "Northshire Housing, Northshire Police and members of Northshire MARAC can see your contact, safeguarding "
        "and risk information from Northshire Mental Health for multi-agency forum meetings and an emergency."
    )


def test_a_forum_alone_starts_the_sentence_with_a_capital():
    rule = Rule("permit", ("members of Northshire MARAC",), ("coordination",), ("review", "governance"))
    assert rule_sentence(rule) == (
        "Members of Northshire MARAC can see your care coordination information for reviews when things went wrong "
        "and information governance."
    )


def test_a_deny_on_every_purpose_leaves_the_purposes_out():
    every = ("direct_care", "forum", "emergency", "review", "governance")
    assert rule_sentence(Rule("deny", ("Northshire Police",), ("substance_use",), every)) == (
        "Northshire Police must not see your substance use information."
    )
    assert rule_sentence(Rule("deny", ("Northshire Police",), ("substance_use",), ("forum",))) == (
        "Northshire Police must not see your substance use information for multi-agency forum meetings."
    )
    assert rule_sentence(Rule("deny", (), ("mental_health",), every, any_recipient=True)) == (
        "No agency can see your mental health information."
    )


def test_a_refusal_says_what_the_person_said_no_to():
    rule = Rule("permit", ("Northshire Housing",), ("mental_health",), ("direct_care",))
    assert sentences([rule], status="refused", until=JUNE_1) == [
        "You said no to Northshire Housing seeing your mental health information for your care."
    ]
    assert sentences([], status="refused", until=None) == [
        "You said no to sharing your information with other agencies."
    ]


@pytest.mark.parametrize(
    ("words", "joined"), [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")]
)
def test_join_words(words, joined):
    assert join_words(words) == joined


@pytest.mark.parametrize("day", [datetime.date(2027, 6, 1), datetime.date(2027, 1, 15), datetime.date(2027, 3, 28)])
def test_an_end_date_round_trips_in_summer_and_winter(day):
    assert last_day(start_of(day + datetime.timedelta(days=1))) == day


def test_a_review_a_year_on_survives_a_leap_day():
    assert one_year_on(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
    assert one_year_on(datetime.date(2027, 3, 1)) == datetime.date(2028, 3, 1)


@pytest.mark.django_db
def test_a_saved_consent_reads_the_same_permits_first(partnership):
    p = partnership
    person = PersonFactory(recorded_by=p.mental_health)
    forum = Forum.objects.create(name="Northshire MARAC", kind="risk_conference", host=p.police)
    ends = start_of(datetime.date.today() + datetime.timedelta(days=31))
    consent = consent_record(
        actor(p.practitioner),
        person=person,
        status="given",
        method="written",
        ends_at=ends,
        provisions=[
            ProvisionSpec(
                kind="deny", recipient_agencies=[p.police.pk], categories=["substance_use"], purposes=["forum"]
            ),
            ProvisionSpec(
                recipient_agencies=[p.housing.pk],
                recipient_forums=[forum.pk],
                categories=["mental_health"],
                purposes=["direct_care"],
            ),
        ],
    )
    until = last_day(ends)
    assert consent_sentences(consent) == [
        "Northshire Housing and members of Northshire MARAC can see your mental health information for your care, "
        f"until {until.day} {until:%B %Y}.",
        "Northshire Police must not see your substance use information for multi-agency forum meetings.",
    ]
    item = consent_item(
        Shown(consent, frozenset({Ground.OWN_AGENCY}), ("your agency recorded it",)), p.mental_health.pk
    )
    assert (item.status, item.status_colour, item.own, item.may_change) == ("Given", "green", True, True)
    assert item.summary.startswith("Given in writing by the person on ")
    other = consent_item(Shown(consent, frozenset({Ground.INVOLVEMENT})), p.housing.pk)
    assert not other.may_change

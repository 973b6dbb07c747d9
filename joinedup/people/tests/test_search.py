import datetime

import pytest

from joinedup.audit.models import AccessEvent
from joinedup.core.tests.helpers import actor
from joinedup.people import selectors
from joinedup.people.tests.factories import AliasFactory, InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(partnership):
    mh = partnership.mental_health
    people = {
        "ann": PersonFactory(
            given_name="Ann", family_name="Bright", recorded_by=mh, date_of_birth=datetime.date(1980, 2, 3)
        ),
        "bob": PersonFactory(given_name="Bob", family_name="Brightwell", recorded_by=mh),
        "cal": PersonFactory(given_name="Cal", family_name="Cole", recorded_by=mh),
        # Known only to housing: mental health must never find them.
        "dee": PersonFactory(given_name="Dee", family_name="Bright", recorded_by=partnership.housing),
    }
    for key in ("ann", "bob", "cal"):
        InvolvementFactory(person=people[key], agency=mh, key_worker=partnership.practitioner)
    InvolvementFactory(person=people["dee"], agency=partnership.housing)
    return people


def _names(page):
    return [row.record.given_name for row in page.rows]


def test_search_by_name_finds_only_people_the_actor_may_see(partnership, caseload):
    page = selectors.person_search(actor(partnership.practitioner), query="brig")
    assert _names(page) == ["Ann", "Bob"]
    assert page.total == 2


def test_every_word_must_match(partnership, caseload):
    assert _names(selectors.person_search(actor(partnership.practitioner), query="ann bri")) == ["Ann"]


def test_search_by_nhs_number_and_date_of_birth(partnership, caseload):
    ann = caseload["ann"]
    spaced = f"{ann.nhs_number[:3]} {ann.nhs_number[3:6]} {ann.nhs_number[6:]}"
    who = actor(partnership.practitioner)
    assert _names(selectors.person_search(who, query=spaced)) == ["Ann"]
    assert _names(selectors.person_search(who, query="03/02/1980")) == ["Ann"]
    dee = caseload["dee"]
    assert _names(selectors.person_search(who, query=dee.nhs_number)) == []


def test_alias_search_only_uses_aliases_the_actor_may_read(partnership, caseload):
    AliasFactory(person=caseload["cal"], recorded_by=partnership.mental_health, given_name="Sparrow", family_name="")
    AliasFactory(
        person=caseload["cal"], recorded_by=partnership.housing, given_name="Robin", family_name="", sealed=True
    )
    who = actor(partnership.practitioner)
    assert _names(selectors.person_search(who, query="sparrow")) == ["Cal"]
    assert _names(selectors.person_search(who, query="robin")) == []


def test_paging_counts_only_visible_people(partnership, caseload):
    who = actor(partnership.practitioner)
    first = selectors.person_search(who, query="", page=1, size=2)
    second = selectors.person_search(who, query="", page=2, size=2)
    assert (first.total, first.pages, second.total) == (3, 2, 3)
    assert _names(first) + _names(second) == ["Ann", "Bob", "Cal"]
    beyond = selectors.person_search(who, query="", page=99, size=2)
    assert beyond.number == 2


def test_each_listed_person_is_audited(partnership, caseload):
    who = actor(partnership.practitioner)
    page = selectors.person_search(who, query="brig", route="/people/")
    events = AccessEvent.objects.filter(actor_user_id=who.user_id)
    assert sorted(e.person_id for e in events) == sorted(r.record.pk for r in page.rows)
    assert all(e.categories == ["identity"] and e.route == "/people/" for e in events)


def test_caseload_lists_the_people_i_am_key_worker_for(partnership, caseload):
    page = selectors.caseload(actor(partnership.practitioner))
    assert _names(page) == ["Ann", "Bob", "Cal"]
    assert selectors.caseload(actor(partnership.housing_officer)).total == 0

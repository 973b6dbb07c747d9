"""The agenda, research, pack, meeting and minutes pages: who gets them, and bad input kept."""

import datetime

import pytest
import time_machine

from joinedup.core.tests.helpers import actor
from joinedup.forums.services import agenda as services

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():  # before every other fixture: users and roles are made in the stopped clock
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed(frozen, conference):
    item = services.agenda_add(
        actor(conference.coordinator), meeting=conference.meeting, person=conference.person, kind="new", risk_level=3
    )
    return conference, item


def _pages(conf, item):
    m = f"/forums/meetings/{conf.meeting.pk}"
    return {
        "agenda": f"{m}/agenda",
        "research": f"{m}/research",
        "pack": f"{m}/pack",
        "run": f"{m}/run",
        "attendance": f"{m}/attendance",
        "case": f"{m}/cases/{item.pk}",
        "minutes": f"{m}/minutes",
    }


def test_the_organiser_gets_every_page_but_research(client_for, listed):
    conf, item = listed
    client = client_for(conf.coordinator)
    got = {name: client.get(path).status_code for name, path in _pages(conf, item).items()}
    # The police are a member too (the host is listed), so research is theirs as well.
    assert got == dict.fromkeys(got, 200)
    assert "Robin Marsh" in client.get(_pages(conf, item)["agenda"]).content.decode()


def test_a_member_gets_research_pack_and_minutes_only(client_for, listed):
    conf, item = listed
    client = client_for(conf.members["housing"].representative)
    got = {name: client.get(path).status_code for name, path in _pages(conf, item).items()}
    assert got == {
        "agenda": 404,
        "research": 200,
        "pack": 200,
        "run": 404,
        "attendance": 404,
        "case": 404,
        "minutes": 200,
    }


def test_a_non_member_is_told_nothing_exists(client_for, partnership, listed):
    conf, item = listed
    client = client_for(partnership.volunteer)
    for path in _pages(conf, item).values():
        response = client.get(path)
        assert response.status_code == 404 and "Robin Marsh" not in response.content.decode()


def test_listing_a_person_who_is_not_a_case_is_not_found(client_for, listed):
    conf, _ = listed
    response = client_for(conf.coordinator).post(
        f"/forums/meetings/{conf.meeting.pk}/agenda", {"person": conf.outsider.pk, "kind": "new", "risk_level": "3"}
    )
    assert response.status_code == 404 and "Tal Stone" not in response.content.decode()


def test_research_with_nothing_known_is_refused_beside_the_field_and_keeps_the_rest(client_for, listed):
    conf, _ = listed
    client = client_for(conf.members["housing"].representative)
    response = client.post(
        f"/forums/meetings/{conf.meeting.pk}/research",
        {"person": conf.person.pk, "version": "0", "knows": " ", "risks": "Rent arrears since May"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say what your agency knows about the person" in page and "Rent arrears since May" in page


def test_the_agenda_warns_when_the_cases_will_not_fit(client_for, listed):
    conf, _ = listed
    conf.forum.minutes_per_case = 150
    conf.forum.save()
    page = client_for(conf.coordinator).get(f"/forums/meetings/{conf.meeting.pk}/agenda").content.decode()
    assert "1 case at 150 minutes needs 2 h 30 min; the meeting is 2 hours" in page

import datetime

import pytest
import time_machine

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.actions.tests.factories import forum_action
from joinedup.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def pinned():
    with time_machine.travel(clock.now(), tick=False):
        yield


def test_my_actions_lists_the_action_with_its_person(pinned, client_for, partnership, conference):
    forum_action(conference, owner=partnership.housing, owner_user=partnership.housing_officer)
    page = client_for(partnership.housing_officer).get("/actions/").content.decode()
    assert "Check the tenancy" in page
    assert conference.person.full_name in page
    assert "Northshire Risk Conference" in page


def test_agency_view_is_for_managers_only(pinned, client_for, partnership, conference):
    forum_action(conference, owner=partnership.housing)
    manager = UserFactory(username="housing.manager", agency=partnership.housing, roles=[RoleCode.MANAGER])
    assert client_for(partnership.housing_officer).get("/actions/agency").status_code == 404
    assert "Check the tenancy" in client_for(manager).get("/actions/agency").content.decode()


def test_a_stale_save_says_who_and_keeps_the_text(pinned, client_for, partnership, conference):
    action = forum_action(conference, owner=partnership.housing)
    coordinator = client_for(conference.coordinator)
    later = clock.today() + datetime.timedelta(days=20)
    carried = coordinator.post(
        f"/actions/{action.pk}/",
        {
            "do": "carry",
            "carry-version": "1",
            "carry-reason": "agency_did_not_act",
            "carry-new_due_on_day": str(later.day),
            "carry-new_due_on_month": str(later.month),
            "carry-new_due_on_year": str(later.year),
        },
    )
    assert carried.status_code == 302
    client = client_for(partnership.housing_officer)
    page = client.post(
        f"/actions/{action.pk}/", {"do": "complete", "complete-version": "1", "complete-note": "Visited"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "marac.coordinator" in text
    assert "Visited" in text


def test_empty_completion_note_shows_the_error_summary(pinned, client_for, partnership, conference):
    action = forum_action(conference, owner=partnership.housing)
    page = client_for(partnership.housing_officer).post(
        f"/actions/{action.pk}/", {"do": "complete", "complete-version": "1", "complete-note": ""}
    )
    assert "There is a problem" in page.content.decode()
    assert "Say what was done" in page.content.decode()

import datetime as dt

import pytest
import time_machine

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.agencies.directory.models import Service
from joinedup.agencies.tests.directory_support import seeded
from joinedup.core.clock import LONDON

pytestmark = pytest.mark.django_db

SATURDAY_8PM = dt.datetime(2026, 11, 28, 20, 0, tzinfo=LONDON)


@pytest.fixture
def worker():
    agencies = seeded()
    return UserFactory(username="police.officer", agency=agencies["police"], roles=[RoleCode.PRACTITIONER])


def test_the_staff_pages_need_sign_in(client):
    seeded()
    service = Service.objects.first()
    for path in ("/directory/", f"/directory/{service.pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in?next=")


def test_search_shows_cards_with_what_who_where_when_and_how_to_refer(client_for, worker):
    with time_machine.travel(SATURDAY_8PM, tick=False):  # signed in then, so the session is fresh
        body = client_for(worker).get("/directory/", {"need": "distress", "area": "NS7 2QA"}).content.decode()
    assert "services found" in body
    for heading in ("What", "Who for", "Where", "When", "How to refer"):
        assert heading in body
    haven = body.index("Safe Haven evening crisis centre")
    assert "Housing options" not in body
    assert "Open now" in body[haven:] and "Open until 11pm" in body[haven:]
    assert "Refer in joinedup to: <strong>Evening Haven, Northshire Safe Haven Crisis Centre</strong>" in body
    assert 'href="tel:01632960220"' in body
    assert "12 Harbour Street, Portsea Bay NS7 2QA" in body
    # open services come first: the crisis line (24 hours) before the community connectors (weekdays)
    assert body.index("Crisis Single Point of Access") < body.index("Community connectors")
    assert "Closed now" in body[body.index("Community connectors") :] and "Opens Monday at 9am" in body


def test_open_now_hides_closed_services(client_for, worker):
    with time_machine.travel(SATURDAY_8PM, tick=False):
        body = client_for(worker).get("/directory/", {"need": "housing", "open_now": "on"}).content.decode()
    assert "Out of hours homelessness line" in body and "Housing options" not in body


def test_bad_age_is_named_in_an_error_summary(client_for, worker):
    response = client_for(worker).get("/directory/", {"need": "crisis", "age": "thirty"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Enter the age as a whole number" in body
    assert "<title>Error: " in body


def test_nothing_found_says_what_to_try(client_for, worker):
    body = client_for(worker).get("/directory/", {"need": "dentist"}).content.decode()
    assert "0 services found" in body and "Try fewer words" in body


def test_detail_page_and_its_open_data_link(client_for, worker):
    client = client_for(worker)
    service = Service.objects.get(name="Crisis Single Point of Access")
    body = client.get(f"/directory/{service.pk}/").content.decode()
    assert "Crisis Single Point of Access" in body and "Mental health crisis" in body
    assert f'href="/hsds/services/{service.pk}"' in body
    assert client.get("/directory/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_navigation_offers_services(client_for, worker):
    body = client_for(worker).get("/directory/").content.decode()
    assert 'href="/directory/"' in body and ">Services<" in body

"""The forum pages, the organiser's forms and the .ics files, as members and outsiders see them."""

import datetime
import json

import pytest
import time_machine
from icalendar import Calendar

from joinedup.core import clock
from joinedup.forums.models import Meeting, MeetingSeries

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 8, 9, 0, tzinfo=clock.LONDON)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_members_see_the_forum_with_its_members_and_meetings(client_for, conference, partnership):
    client = client_for(partnership.housing_officer)
    assert conference.forum.name in client.get("/forums/").content.decode()
    page = client.get(f"/forums/{conference.forum.pk}/").content.decode()
    for text in (
        "Risk conference (like a MARAC)",
        "Safety planning for people at high risk",
        "Northshire risk conference information sharing",
        "mental-health.forum@example.org",
        "Confirmed",
        "15 June 2026 at 10am",
    ):
        assert text in page
    assert "Change the forum" not in page  # a member, not the organiser


def test_outsiders_find_no_forum_and_anonymous_users_sign_in(client, client_for, conference, partnership):
    assert client.get(f"/forums/{conference.forum.pk}/").status_code == 302
    volunteer = client_for(partnership.volunteer)
    assert conference.forum.name not in volunteer.get("/forums/").content.decode()
    for path in (
        f"/forums/{conference.forum.pk}/",
        f"/forums/{conference.forum.pk}/meetings.ics",
        f"/forums/meetings/{conference.meeting.pk}.ics",
    ):
        assert volunteer.get(path).status_code == 404


def test_only_the_organiser_edits_and_bad_input_is_kept_with_a_message(client_for, conference, partnership):
    assert client_for(partnership.housing_officer).get(f"/forums/{conference.forum.pk}/edit").status_code == 403
    client = client_for(conference.coordinator)
    path = f"/forums/{conference.forum.pk}/edit"
    bad = {
        "terms_of_reference": "New terms",
        "referral_criteria": "",
        "confidentiality_statement": "",
        "minutes_per_case": "12",
    }
    page = client.post(path, bad).content.decode()
    assert "There is a problem" in page and "Enter the confidentiality statement" in page and "New terms" in page
    good = bad | {"confidentiality_statement": "Stays here."}
    assert client.post(path, good).status_code == 302
    conference.forum.refresh_from_db()
    assert (conference.forum.terms_of_reference, conference.forum.confidentiality_statement) == (
        "New terms",
        "Stays here.",
    )


def test_setting_a_cadence_makes_meetings_and_a_bad_time_is_explained(client_for, conference):
    client = client_for(conference.coordinator)
    path = f"/forums/{conference.forum.pk}/series/new"
    form = {
        "cadence": "fortnightly",
        "first_date_day": "9",
        "first_date_month": "6",
        "first_date_year": "2026",
        "start_time": "25:00",
        "duration_minutes": "120",
        "venue": "Police HQ",
    }
    page = client.post(path, form).content.decode()
    assert "Enter a real time in the 24-hour clock" in page and "Police HQ" in page
    assert client.post(path, form | {"start_time": "10:00"}).status_code == 302
    series = MeetingSeries.objects.get(forum=conference.forum)
    assert series.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert Meeting.objects.filter(series=series).count() == 7


def test_moving_into_the_past_is_refused_beside_the_field(client_for, conference):
    client = client_for(conference.coordinator)
    path = f"/forums/meetings/{conference.meeting.pk}/move"
    form = {
        "version": "1",
        "day_day": "1",
        "day_month": "6",
        "day_year": "2026",
        "start_time": "10:00",
        "end_time": "12:00",
    }
    page = client.post(path, form).content.decode()
    assert "The meeting must start in the future" in page
    assert client.post(path, form | {"day_day": "17"}).status_code == 302
    conference.meeting.refresh_from_db()
    assert conference.meeting.sequence == 1 and clock.local(conference.meeting.starts_at).day == 17


def test_a_stale_cancel_keeps_the_reason_and_says_who_changed_it(client_for, conference):
    client = client_for(conference.coordinator)
    Meeting.objects.filter(pk=conference.meeting.pk).update(version=2)
    page = client.post(f"/forums/meetings/{conference.meeting.pk}/cancel", {"version": "1", "reason": "Room flooded"})
    text = page.content.decode()
    assert "after you opened it" in text and "Room flooded" in text


def test_the_ics_files_publish_meetings_without_agendas(client_for, conference, partnership):
    client = client_for(partnership.practitioner)
    one = client.get(f"/forums/meetings/{conference.meeting.pk}.ics")
    assert one["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(one.content)
    event = next(iter(cal.walk("VEVENT")))
    assert (str(cal["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])) == (
        "PUBLISH",
        f"meeting-{conference.meeting.pk}@joinedup",
        0,
    )
    assert conference.person.family_name not in one.content.decode()
    feed = Calendar.from_ical(client.get(f"/forums/{conference.forum.pk}/meetings.ics").content)
    assert len(list(feed.walk("VEVENT"))) == 1


def _post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_the_api_lists_forums_and_moves_meetings_with_if_match(client_for, conference, partnership):
    client = client_for(conference.coordinator)
    assert [f["name"] for f in client.get("/api/v1/forums").json()] == [conference.forum.name]
    detail = client.get(f"/api/v1/forums/{conference.forum.pk}").json()
    assert {m["agency"] for m in detail["members"]} >= {"Northshire Housing", "Northshire Recovery"}
    assert len(client.get(f"/api/v1/forums/{conference.forum.pk}/meetings").json()) == 1
    path = f"/api/v1/forums/meetings/{conference.meeting.pk}"
    assert client.get(path)["ETag"] == 'W/"1"'
    body = {"starts_at": "2026-06-17T09:00:00Z", "ends_at": "2026-06-17T11:00:00Z"}
    assert _post(client, f"{path}/move", body, HTTP_IF_MATCH='W/"7"').status_code == 412
    first = _post(client, f"{path}/move", body, HTTP_IF_MATCH='W/"1"', HTTP_IDEMPOTENCY_KEY="move-1")
    again = _post(client, f"{path}/move", body, HTTP_IF_MATCH='W/"1"', HTTP_IDEMPOTENCY_KEY="move-1")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (200, 200, "true")
    assert (first.json()["sequence"], first["ETag"]) == (1, 'W/"2"')
    past = _post(client, f"{path}/move", body | {"starts_at": "2026-06-01T09:00:00Z"}, HTTP_IF_MATCH='W/"2"')
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "starts_at"
    blank = _post(client, f"{path}/cancel", {"reason": ""}, HTTP_IF_MATCH='W/"2"')
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "reason"


def test_the_api_hides_forums_from_outsiders(client_for, conference, partnership):
    client = client_for(partnership.volunteer)
    assert client.get("/api/v1/forums").json() == []
    assert client.get(f"/api/v1/forums/{conference.forum.pk}").status_code == 404
    assert client.get(f"/api/v1/forums/meetings/{conference.meeting.pk}").status_code == 404
    cancel = _post(
        client, f"/api/v1/forums/meetings/{conference.meeting.pk}/cancel", {"reason": "x"}, HTTP_IF_MATCH='W/"1"'
    )
    assert cancel.status_code == 404

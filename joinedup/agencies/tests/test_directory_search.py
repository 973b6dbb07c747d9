import datetime as dt

import pytest
import time_machine

from joinedup.agencies.directory import hsds
from joinedup.agencies.directory.models import Schedule, Service
from joinedup.agencies.directory.search import (
    OpenStatus,
    area_codes,
    need_terms,
    opening,
    outward_code,
    service_search,
)
from joinedup.agencies.tests.directory_support import seeded
from joinedup.agencies.tests.hsds_support import example
from joinedup.core.clock import LONDON

pytestmark = pytest.mark.django_db

TUESDAY_10AM = dt.datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
SATURDAY_8PM = dt.datetime(2026, 11, 28, 20, 0, tzinfo=LONDON)
WEDNESDAY_1AM = dt.datetime(2026, 11, 25, 1, 0, tzinfo=LONDON)


def _names(matches):
    return [m.service.name for m in matches]


def _status(matches, name):
    return next(m.status for m in matches if m.service.name == name)


# -- need -----------------------------------------------------------------------------------


def test_need_words_drop_filler_and_plurals():
    assert need_terms("Somewhere for drugs and alcohol support") == ["somewhere", "drug", "alcohol"]
    assert need_terms("homeless") == ["homeless"]


def test_need_matches_names_descriptions_and_taxonomy_terms():
    seeded()
    drugs = _names(service_search(need="drugs", at=TUESDAY_10AM))
    assert "Drug and alcohol treatment" in drugs and "Dual diagnosis service" in drugs
    assert "Housing options" not in drugs
    # "domestic abuse" is the taxonomy term's name; the service's name says Women's Aid
    assert _names(service_search(need="domestic abuse", at=TUESDAY_10AM)) == ["Women's Aid outreach"]
    homeless = _names(service_search(need="homelessness", at=TUESDAY_10AM))
    assert {"Housing options", "Out of hours homelessness line"} <= set(homeless)


def test_every_word_of_the_need_must_match():
    seeded()
    assert _names(service_search(need="alcohol peer", at=TUESDAY_10AM)) == ["Peer navigation"]
    assert service_search(need="dentist", at=TUESDAY_10AM) == []


def test_a_name_match_ranks_above_a_description_match():
    seeded()
    matches = service_search(need="triage", at=WEDNESDAY_1AM)
    assert _names(matches)[0] == "Community Triage line"


def test_age_filters_on_eligibility():
    seeded()
    sixteen = _names(service_search(need="crisis", at=TUESDAY_10AM, age=16))
    assert "Community Triage line" in sixteen and "Crisis Single Point of Access" not in sixteen


# -- area -----------------------------------------------------------------------------------


def test_postcodes_and_districts_match_service_areas():
    seeded()
    north = _names(service_search(need="community mental health team", area="NS3 4LP", at=TUESDAY_10AM))
    assert north == ["Community mental health team (north)"]
    south = _names(service_search(need="community mental health team", area="ns14", at=TUESDAY_10AM))
    assert south == ["Community mental health team (south)"]
    assert service_search(need="community mental health team", area="ZZ1 1ZZ", at=TUESDAY_10AM) == []
    # a county-wide service covers every district of the NS area
    assert "Housing options" in _names(service_search(need="housing", area="NS19 9XY", at=TUESDAY_10AM))


def test_area_names_and_location_towns_match():
    seeded()
    both = _names(service_search(need="community mental health team", area="Northshire", at=TUESDAY_10AM))
    assert len(both) == 2
    assert "Safe Haven evening crisis centre" in _names(service_search(area="Portsea Bay", at=TUESDAY_10AM))


def test_location_postcode_matches_when_the_area_does_not_say():
    data = example("service_full.json")
    data["service_areas"] = []
    hsds.import_data(data)
    assert _names(service_search(area="ABC 1234", at=TUESDAY_10AM)) == []  # not a UK postcode
    address = data["service_at_locations"][0]["location"]["addresses"][0]
    address["postal_code"] = "NS5 1AB"
    hsds.import_data(data)
    assert _names(service_search(area="NS5 2CD", at=TUESDAY_10AM)) == ["Community Counselling"]


def test_postcode_helpers():
    assert outward_code("ns1 4ab") == "NS1" and outward_code("NS14AB") == "NS1" and outward_code("NS14") == "NS14"
    assert outward_code("Northby") == ""
    assert area_codes("NS1, NS2 NS3") == {"NS1", "NS2", "NS3"}
    assert area_codes("NS") == {"NS"}
    assert area_codes("All of NS1 and the town") == {"NS1"}


# -- opening times --------------------------------------------------------------------------


def test_open_now_ranks_open_first_then_not_known_then_closed():
    seeded()
    unknown = example("service_list.json")["contents"][0]  # a summary: no schedules
    unknown["name"] = "Crisis café (hours not known)"
    unknown["description"] = "A crisis café."
    hsds.import_data(unknown)
    Service.objects.filter(pk=unknown["id"]).update()
    with time_machine.travel(TUESDAY_10AM, tick=False):
        matches = service_search(need="crisis")
    statuses = [m.status for m in matches]
    assert statuses == sorted(statuses, key=[OpenStatus.OPEN, OpenStatus.UNKNOWN, OpenStatus.CLOSED].index)
    assert _status(matches, "Crisis Single Point of Access") == OpenStatus.OPEN
    assert _status(matches, "Crisis café (hours not known)") == OpenStatus.UNKNOWN
    assert _status(matches, "Safe Haven evening crisis centre") == OpenStatus.CLOSED
    haven = next(m for m in matches if m.service.name.startswith("Safe Haven"))
    assert haven.opening.next_open == dt.datetime(2026, 11, 24, 18, 0, tzinfo=LONDON)


def test_on_a_saturday_evening():
    seeded()
    with time_machine.travel(SATURDAY_8PM, tick=False):
        matches = service_search(hide_closed=True)
    open_now = {m.service.name for m in matches if m.status == OpenStatus.OPEN}
    assert {"Safe Haven evening crisis centre", "Crisis Single Point of Access", "GP out of hours"} <= open_now
    assert {"Out of hours homelessness line", "Community Triage line"} <= open_now
    assert "Housing options" not in _names(matches)  # closed, and hidden
    assert "Drug and alcohol treatment" not in _names(matches)
    spa = next(m for m in matches if m.service.name == "Crisis Single Point of Access")
    assert spa.opening.always


def test_overnight_hours_carry_into_the_next_morning():
    seeded()
    matches = service_search(need="triage", at=WEDNESDAY_1AM)
    triage = matches[0]
    assert triage.status == OpenStatus.OPEN
    assert triage.opening.until == dt.datetime(2026, 11, 25, 2, 0, tzinfo=LONDON)
    assert _status(service_search(need="safe haven", at=WEDNESDAY_1AM), "Safe Haven evening crisis centre") == (
        OpenStatus.CLOSED
    )


def test_times_are_read_in_england_across_summer_time():
    seeded()
    # 08:30 UTC is 09:30 in July (BST) but 08:30 in January (GMT): housing opens at 9am.
    july = dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC)
    january = dt.datetime(2027, 1, 6, 8, 30, tzinfo=dt.UTC)
    assert _status(service_search(need="housing options", at=july), "Housing options") == OpenStatus.OPEN
    assert _status(service_search(need="housing options", at=january), "Housing options") == OpenStatus.CLOSED


def test_inactive_services_are_not_offered_and_temporarily_closed_ones_are_closed():
    seeded()
    Service.objects.filter(name="Peer navigation").update(status="inactive")
    Service.objects.filter(name="Housing options").update(status="temporarily closed")
    assert "Peer navigation" not in _names(service_search(at=TUESDAY_10AM))
    assert _status(service_search(need="housing", at=TUESDAY_10AM), "Housing options") == OpenStatus.CLOSED


def _schedule(**fields):
    return Schedule(**{"freq": "WEEKLY", "byday": "", "opens_at": None, "closes_at": None, **fields})


def test_schedule_rules():
    at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)  # Tuesday 24 November 2026, the 4th Tuesday
    weekdays = _schedule(byday="MO,TU,WE,TH,FR", opens_at=dt.time(9), closes_at=dt.time(17))
    assert opening([weekdays], at).status == OpenStatus.OPEN
    assert opening([weekdays], at).until == dt.datetime(2026, 11, 24, 17, tzinfo=LONDON)
    assert opening([_schedule(byday="MO", opens_at=dt.time(9))], at).status == OpenStatus.CLOSED
    # valid_from / valid_to bound the schedule
    later = _schedule(byday="TU", valid_from=dt.date(2026, 12, 1))
    assert opening([later], at).status == OpenStatus.CLOSED
    ended = _schedule(byday="TU", valid_to=dt.date(2026, 11, 23))
    assert opening([ended], at).status == OpenStatus.CLOSED
    # every other week from a start date
    fortnightly = _schedule(byday="TU", interval=2, dtstart=dt.date(2026, 11, 17))
    assert opening([fortnightly], at).status == OpenStatus.CLOSED
    assert opening([fortnightly], at - dt.timedelta(days=7)).status == OpenStatus.OPEN
    # monthly: by day of month, by last weekday, by nth weekday
    assert opening([_schedule(freq="MONTHLY", bymonthday="24")], at).status == OpenStatus.OPEN
    assert opening([_schedule(freq="MONTHLY", byday="-1TU")], at).status == OpenStatus.OPEN
    assert opening([_schedule(freq="MONTHLY", byday="4TU")], at).status == OpenStatus.OPEN
    assert opening([_schedule(freq="MONTHLY", byday="1TU")], at).status == OpenStatus.CLOSED
    # hours only in words, or a rule we cannot read: not known
    assert opening([Schedule(description="Most afternoons")], at).status == OpenStatus.UNKNOWN
    assert opening([_schedule(byday="TUESDAYS")], at).status == OpenStatus.UNKNOWN
    assert opening([], at).status == OpenStatus.UNKNOWN

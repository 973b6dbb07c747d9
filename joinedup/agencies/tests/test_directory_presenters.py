import datetime as dt
from decimal import Decimal

from joinedup.agencies.directory.models import Schedule, Service
from joinedup.agencies.directory.presenters import ages, clock_time, hours_text, opening_text
from joinedup.agencies.directory.search import Opening, OpenStatus
from joinedup.core.clock import LONDON

TUESDAY_11PM = dt.datetime(2026, 11, 24, 23, 0, tzinfo=LONDON)


def test_clock_times_in_plain_english():
    assert [clock_time(dt.time(h, m)) for h, m in ((9, 0), (19, 30), (12, 0), (0, 0))] == [
        "9am",
        "7:30pm",
        "midday",
        "midnight",
    ]


def test_opening_in_words():
    midnight = dt.datetime(2026, 11, 25, 0, 0, tzinfo=LONDON)
    assert opening_text(Opening(OpenStatus.OPEN, until=midnight), TUESDAY_11PM) == "Open until midnight"
    two_am = dt.datetime(2026, 11, 25, 2, 0, tzinfo=LONDON)
    assert opening_text(Opening(OpenStatus.OPEN, until=two_am), TUESDAY_11PM) == "Open until 2am tomorrow"
    assert opening_text(Opening(OpenStatus.OPEN), TUESDAY_11PM) == "Open 24 hours"
    friday = dt.datetime(2026, 11, 27, 9, 0, tzinfo=LONDON)
    assert opening_text(Opening(OpenStatus.CLOSED, next_open=friday), TUESDAY_11PM) == "Opens Friday at 9am"
    assert opening_text(Opening(OpenStatus.UNKNOWN), TUESDAY_11PM).startswith("Check the opening hours")


def test_hours_spelled_out_when_a_schedule_has_no_description():
    weekdays = Schedule(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=dt.time(9), closes_at=dt.time(17))
    assert hours_text(weekdays) == "Monday to Friday, 9am to 5pm"
    twice = Schedule(freq="WEEKLY", byday="TU,TH", opens_at=dt.time(10), closes_at=dt.time(14))
    assert hours_text(twice) == "Tuesday and Thursday, 10am to 2pm"
    always = Schedule(freq="WEEKLY", byday="MO,TU,WE,TH,FR,SA,SU", opens_at=dt.time(0), closes_at=dt.time(0))
    assert hours_text(always) == "Every day, 24 hours"
    assert hours_text(Schedule(description="Term time only")) == "Term time only"


def test_ages():
    assert ages(Service(minimum_age=Decimal("16.00"))) == "Ages 16 and over"
    assert ages(Service(minimum_age=Decimal("12"), maximum_age=Decimal("100"))) == "Ages 12 to 100"
    assert ages(Service(maximum_age=Decimal("25.5"))) == "Ages up to 25.5"
    assert ages(Service()) == ""

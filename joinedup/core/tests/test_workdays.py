from datetime import date, datetime

import pytest

from joinedup.core.workdays import add_working_days, add_working_hours, bank_holidays, is_working_day


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Published England and Wales bank holidays.
        (2024, ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"]),
        (2025, ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"]),
        (2026, ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"]),
        (2027, ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"]),
        (2022, ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"]),
        (2023, ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"]),
    ],
)
def test_bank_holidays_match_the_published_calendar(year, expected):
    assert sorted(d.strftime("%m-%d") for d in bank_holidays(year)) == expected


def test_working_days_skip_weekends_and_bank_holidays():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    # Thursday 24 December 2026 + 5 working days: skips Christmas, the weekend and the substitute Boxing Day.
    assert add_working_days(date(2026, 12, 24), 5) == date(2027, 1, 5)
    # Easter 2026: Thursday 2 April + 1 working day is Tuesday 7 April.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_working_hours_run_in_office_time():
    friday_afternoon = datetime(2026, 11, 27, 15, 0)
    assert add_working_hours(friday_afternoon, 4) == datetime(2026, 11, 30, 11, 0)
    evening = datetime(2026, 11, 24, 20, 0)
    assert add_working_hours(evening, 1) == datetime(2026, 11, 25, 10, 0)

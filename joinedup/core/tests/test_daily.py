import datetime

from joinedup.core import daily


def test_the_next_run_is_tomorrow_at_seven_london_time():
    late_evening = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=datetime.UTC)  # 00:30 BST on the 30th
    assert daily.next_morning(late_evening) == datetime.datetime(2026, 3, 31, 6, 0, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.UTC)
    assert daily.next_morning(winter) == datetime.datetime(2026, 1, 6, 7, 0, tzinfo=datetime.UTC)

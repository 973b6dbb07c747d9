"""The forum dashboard: each figure against data built by hand, the period's edges, the benchmarks
and who may see the page and the API. Synthetic data only."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.actions.models import Action, ActionSource, ActionStatus
from joinedup.core import clock
from joinedup.forums.models import AgendaItem, Attendance, Meeting, MeetingStatus
from joinedup.forums.presenters_dashboard import percent
from joinedup.forums.selectors.dashboard import default_period, forum_figures
from joinedup.people.tests.factories import PersonFactory
from joinedup.referrals.models import PathwayKind, Referral, ReferralState, SharingBasis
from joinedup.referrals.tests.factories import PathwayFactory
from joinedup.sharing.models import ForumKind

pytestmark = pytest.mark.django_db

# A Saturday in March, GMT, so London and UTC agree and day edges are easy to read.
NOW = datetime.datetime(2025, 3, 15, 12, 0, tzinfo=datetime.UTC)
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 2, 28)  # 59 days


def at(day: str, hm: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=clock.LONDON)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Built:
    conf: object
    items: dict[str, AgendaItem]


def _meeting(forum, starts_at, status=MeetingStatus.HELD):
    return Meeting.objects.create(
        forum=forum, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), status=status
    )


def _item(conf, meeting, *, repeat=False, minutes=None, referred=None):
    return AgendaItem.objects.create(
        person=PersonFactory(recorded_by=conf.forum.host),
        recorded_by=conf.forum.host,
        category="coordination",
        meeting=meeting,
        kind="new",
        repeat=repeat,
        minutes_taken=minutes,
        referred_at=at(referred) if referred else None,
    )


def _action(conf, item, due, status=ActionStatus.OPEN, done=None, source=ActionSource.FORUM):
    return Action.objects.create(
        person=item.person,
        recorded_by=conf.forum.host,
        category="coordination",
        description="Synthetic action",
        owner_agency=conf.forum.host,
        due_on=datetime.date.fromisoformat(due),
        status=status,
        completed_at=at(*done) if done else None,
        source=source,
        source_ref=f"forums.agendaitem:{item.pk}",
    )


def _referral(conf, pathway, agency, sent):
    return Referral.objects.create(
        person=PersonFactory(recorded_by=agency),
        recorded_by=agency,
        category="coordination",
        pathway=pathway,
        urgency=pathway.urgencies.first(),
        from_agency=agency,
        referred_by=conf.coordinator,
        to_agency=pathway.to_agency,
        reason="Synthetic",
        sharing_basis=SharingBasis.AGREEMENT,
        state=ReferralState.SENT,
        sent_at=at(*sent),
    )


def _memberships(conf):
    """Police and mental health throughout; housing left on 1 February; recovery joined on 20 January."""
    for slug, m in conf.members.items():
        m.starts_at = at("2024-01-01")
        if slug == "housing":
            m.ends_at = at("2025-02-01", "00:00")
        if slug == "substance_use":
            m.starts_at = at("2025-01-20", "00:00")
        m.save()


def _attendance(conf, meeting, **statuses):
    for slug, status in statuses.items():
        Attendance.objects.create(meeting=meeting, agency=conf.members[slug].agency, status=status)


@pytest.fixture
def built(frozen, conference, partnership):
    conf, p = conference, partnership
    _memberships(conf)
    before = _meeting(conf.forum, at("2024-12-31", "23:59"))  # the day before the period
    first = _meeting(conf.forum, at("2025-01-01", "00:00"))  # the period's first minute
    cancelled = _meeting(conf.forum, at("2025-01-15"), MeetingStatus.CANCELLED)
    second = _meeting(conf.forum, at("2025-02-10"))
    last = _meeting(conf.forum, at("2025-02-28", "23:30"))  # late on the period's last day
    after = _meeting(conf.forum, at("2025-03-01", "00:00"))
    items = {
        "a": _item(conf, first, repeat=True, minutes=10, referred="2024-12-20"),  # 12 days
        "b": _item(conf, first, minutes=14, referred="2024-12-27"),  # 5 days
        "c": _item(conf, second, repeat=True, minutes=12, referred="2025-02-01"),  # 9 days
        "d": _item(conf, second),  # no time, no referral date
        "e": _item(conf, second, minutes=20, referred="2025-01-20"),  # 21 days
        "f": _item(conf, last, repeat=True, minutes=16, referred="2025-02-20"),  # 8 days
        "out_before": _item(conf, before, repeat=True, minutes=90, referred="2024-01-01"),
        "out_cancelled": _item(conf, cancelled, repeat=True, minutes=90, referred="2024-01-01"),
        "out_after": _item(conf, after, repeat=True, minutes=90, referred="2024-01-01"),
    }
    _attendance(conf, first, police="present", mental_health="sent_information", housing="present")
    _attendance(conf, second, police="present", mental_health="absent", housing="present", substance_use="present")
    _attendance(conf, last, police="apologies", mental_health="present", substance_use="apologies")
    Attendance.objects.create(meeting=first, agency=None, status="present", attendee_name="Student", observer=True)
    _attendance(conf, cancelled, police="present", mental_health="present")

    i = items
    _action(conf, i["a"], "2025-01-20", ActionStatus.DONE, ("2025-01-19",))  # on time
    _action(conf, i["a"], "2025-01-31", ActionStatus.DONE, ("2025-01-31", "23:30"))  # on time, the last evening
    _action(conf, i["b"], "2025-02-01", ActionStatus.DONE, ("2025-01-25",))  # on time
    _action(conf, i["c"], "2025-02-20", ActionStatus.DONE, ("2025-02-25",))  # late
    _action(conf, i["c"], "2025-03-01")  # open and overdue
    _action(conf, i["e"], "2025-03-14", ActionStatus.CANCELLED)  # withdrawn: not counted
    _action(conf, i["f"], "2025-03-20")  # not due yet
    _action(conf, i["f"], "2025-03-15", ActionStatus.DONE, ("2025-03-10",))  # due today: not passed yet
    _action(conf, i["out_before"], "2025-01-10", ActionStatus.DONE, ("2025-01-09",))  # another period's meeting
    _action(conf, i["c"], "2025-01-10", ActionStatus.DONE, ("2025-01-09",), source=ActionSource.PLAN)  # not forum

    to_forum = PathwayFactory(kind=PathwayKind.FORUM, forum=conf.forum, to_agency=p.police)
    elsewhere = PathwayFactory(to_agency=p.mental_health)
    _referral(conf, to_forum, p.police, ("2025-01-05",))
    _referral(conf, to_forum, p.mental_health, ("2025-01-01", "00:00"))
    _referral(conf, to_forum, p.voluntary, ("2025-01-12",))
    _referral(conf, to_forum, p.housing, ("2025-02-28", "23:00"))
    _referral(conf, to_forum, p.substance_use, ("2025-03-01", "00:00"))  # the first minute after the period
    _referral(conf, to_forum, p.mental_health, ("2024-12-31", "23:59"))  # before it
    _referral(conf, elsewhere, p.housing, ("2025-01-10",))  # not a forum pathway
    return Built(conf, items)


def test_counts_meetings_held_in_the_period_only(built):
    f = forum_figures(built.conf.forum, start=START, end=END)
    assert (f.meetings_held, f.cases_heard, f.cases_per_meeting) == (3, 6, 2.0)


def test_repeat_rate_is_the_share_of_cases_heard_flagged_repeat(built):
    f = forum_figures(built.conf.forum, start=START, end=END)
    assert (f.repeats, f.repeat_rate) == (3, 0.5)


def test_non_police_share_counts_forum_pathway_referrals_sent_in_the_period(built):
    f = forum_figures(built.conf.forum, start=START, end=END)
    assert (f.referrals, f.non_police_referrals, f.non_police_share) == (4, 3, 0.75)


def test_attendance_counts_only_meetings_while_a_member(built):
    f = forum_figures(built.conf.forum, start=START, end=END)
    rows = [(a.agency, a.attended, a.meetings) for a in f.attendance]
    assert rows == [
        ("Northshire Housing", 1, 1),
        ("Northshire Mental Health", 2, 3),
        ("Northshire Police", 2, 3),
        ("Northshire Recovery", 1, 2),
    ]
    assert f.attendance[3].rate == 0.5


def test_actions_on_time_over_those_now_due(built):
    f = forum_figures(built.conf.forum, start=START, end=END)
    assert (f.actions_on_time, f.actions_due, f.on_time_rate) == (3, 5, 0.6)


def test_minutes_per_case_and_median_wait(built):
    f = forum_figures(built.conf.forum, start=START, end=END)
    assert f.minutes_per_case == pytest.approx(72 / 5)
    assert f.days_referral_to_meeting == 9.0


def test_cases_per_ten_thousand_women_scaled_to_a_year(built):
    f = forum_figures(built.conf.forum, start=START, end=END)
    assert f.cases_per_10k_women_a_year == pytest.approx(6 * 365 / 59 * 10_000 / 120_000)
    assert f.benchmarks is True


def test_period_edges_are_whole_london_days(built):
    one_day = forum_figures(built.conf.forum, start=END, end=END)
    assert (one_day.meetings_held, one_day.cases_heard) == (1, 1)
    next_day = datetime.date(2025, 3, 1)
    assert forum_figures(built.conf.forum, start=next_day, end=next_day).cases_heard == 1


def test_no_population_means_no_rate_and_no_benchmark(built):
    forum = built.conf.forum
    forum.adult_women_population = None
    forum.save()
    f = forum_figures(forum, start=START, end=END)
    assert (f.cases_per_10k_women_a_year, f.benchmarks) == (None, False)


def test_benchmarks_are_for_risk_conferences_only(built):
    forum = built.conf.forum
    forum.kind = ForumKind.CO_OCCURRING
    forum.save()
    f = forum_figures(forum, start=START, end=END)
    assert f.benchmarks is False
    assert f.cases_per_10k_women_a_year is not None


def test_an_empty_period_has_no_rates(built):
    f = forum_figures(built.conf.forum, start=datetime.date(2023, 1, 1), end=datetime.date(2023, 1, 31))
    assert (f.meetings_held, f.cases_per_meeting, f.repeat_rate, f.on_time_rate) == (0, None, None, None)
    assert (f.minutes_per_case, f.days_referral_to_meeting, f.attendance) == (None, None, ())


def test_default_period_is_the_last_365_days():
    assert default_period(datetime.date(2025, 3, 15)) == (datetime.date(2024, 3, 16), datetime.date(2025, 3, 15))


def _url(conf, query=""):
    return f"/forums/{conf.forum.pk}/dashboard{query}"


def test_page_shows_figures_with_the_benchmark(built, client_for):
    page = client_for(built.conf.coordinator).get(_url(built.conf, "?from=2025-01-01&to=2025-02-28"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "6 (about 3 a year per 10,000 adult women; SafeLives suggests about 40)" in text
    assert "50% (3 of 6 cases heard before in the last 12 months); national rate 31%" in text
    assert "75% (3 of 4 referrals); national figure 36%" in text
    assert "60% (3 of 5 actions now due)" in text
    assert "14.4 minutes" in text
    assert "9 days" in text
    assert "2 of 3" in text and "67%" in text
    person = built.items["a"].person
    assert person.full_name not in text and str(person.pk) not in text


def test_page_without_population_shows_no_benchmark(built, client_for):
    built.conf.forum.adult_women_population = None
    built.conf.forum.save()
    text = client_for(built.conf.coordinator).get(_url(built.conf, "?from=2025-01-01&to=2025-02-28")).content.decode()
    assert "SafeLives" not in text
    assert "Cases heard" in text


def test_default_period_on_the_page(built, client_for):
    text = client_for(built.conf.coordinator).get(_url(built.conf)).content.decode()
    assert "16 March 2024 to 15 March 2025" in text
    assert 'value="2024-03-16"' in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2025-13-01&to=2025-02-28", "Enter the start date as year, month and day"),
        ("?from=2025-02-28&to=2025-01-01", "The end date must be the same as or after the start date"),
    ],
)
def test_invalid_dates_are_explained_and_kept(built, client_for, query, message):
    page = client_for(built.conf.coordinator).get(_url(built.conf, query))
    text = page.content.decode()
    assert page.status_code == 200
    assert message in text and "nhsuk-error-message" in text and "There is a problem" in text
    assert 'value="2025-02-28"' in text  # what was typed is still there
    assert "16 March 2024 to 15 March 2025" in text  # the figures fall back to the last 12 months


def test_who_may_see_the_page(built, partnership, client_for):
    conf = built.conf
    outsider = UserFactory(username="peer.practitioner", agency=partnership.voluntary, roles=[RoleCode.PRACTITIONER])
    member_manager = UserFactory(username="housing.manager", agency=partnership.housing, roles=[RoleCode.MANAGER])
    outside_manager = UserFactory(username="peer.manager", agency=partnership.voluntary, roles=[RoleCode.MANAGER])
    outside_analyst = UserFactory(username="peer.analyst", agency=partnership.voluntary, roles=[RoleCode.ANALYST])
    allowed = [conf.coordinator, partnership.analyst, outside_analyst]
    # Housing's membership ended on 1 February, so its manager is no longer a member's.
    refused = [outsider, outside_manager, member_manager, partnership.practitioner]
    assert [client_for(u).get(_url(conf)).status_code for u in allowed] == [200, 200, 200]
    assert [client_for(u).get(_url(conf)).status_code for u in refused] == [404, 404, 404, 404]
    mh_manager = UserFactory(username="mh.manager", agency=partnership.mental_health, roles=[RoleCode.MANAGER])
    assert client_for(mh_manager).get(_url(conf)).status_code == 200


def test_forum_page_links_to_the_dashboard_for_those_who_may_see_it(built, partnership, client_for):
    conf = built.conf
    link = f"/forums/{conf.forum.pk}/dashboard"
    assert link in client_for(conf.coordinator).get(f"/forums/{conf.forum.pk}/").content.decode()
    assert link not in client_for(partnership.practitioner).get(f"/forums/{conf.forum.pk}/").content.decode()


def test_api_gives_the_same_figures_and_the_same_refusals(built, partnership, client_for):
    conf = built.conf
    url = f"/api/v1/forums/{conf.forum.pk}/dashboard?from=2025-01-01&to=2025-02-28"
    body = client_for(partnership.analyst).get(url).json()
    assert (body["cases_heard"], body["repeat_rate"], body["non_police_share"]) == (6, 0.5, 0.75)
    assert body["benchmarks"]["repeat_rate"] == 0.31
    assert body["attendance"][0] == {"agency": "Northshire Housing", "meetings": 1, "attended": 1, "rate": 1.0}
    assert client_for(partnership.practitioner).get(url).status_code == 404
    bad = client_for(partnership.analyst).get(url.replace("2025-01-01", "2025-02-30"))
    assert bad.status_code == 422


def test_percentages_round_half_up_as_people_do():
    assert (percent(0.625), percent(2 / 3), percent(0.31)) == ("63%", "67%", "31%")

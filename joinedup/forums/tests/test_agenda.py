"""The agenda, research, running a case and per-agency minutes, against the shared risk conference."""

import datetime

import pytest
import time_machine

from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.audit.models import AccessEvent
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Category, Purpose
from joinedup.forums import minutes as minutes_task
from joinedup.forums.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    MinutesCopy,
    MinutesStatus,
    Research,
    RiskLevel,
)
from joinedup.forums.presenters_agenda import time_warning
from joinedup.forums.selectors import agenda as selectors
from joinedup.forums.services import agenda as services
from joinedup.forums.services import meeting_run
from joinedup.people.tests.factories import InvolvementFactory
from joinedup.sharing import policy
from joinedup.sharing.models import Agreement, ForumCase, ForumMembership

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():  # before every other fixture: users and roles are made in the stopped clock
    # A fixed Monday morning, before the conference is built: its meeting is then 9 March at 10:00.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def conf(frozen, conference):
    return conference


def _earlier(conf, starts_at):
    return Meeting.objects.create(
        forum=conf.forum, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), status="held"
    )


def _list(conf, meeting, person, risk=RiskLevel.STANDARD):
    return services.agenda_add(actor(conf.coordinator), meeting=meeting, person=person, kind="new", risk_level=risk)


@pytest.mark.parametrize(("days_back", "repeat"), [(0, True), (1, False)])
def test_repeat_flag_counts_a_discussion_twelve_months_back_to_the_day(conf, days_back, repeat):
    with time_machine.travel(NOW, tick=False):
        earlier_start = conf.meeting.starts_at.replace(year=conf.meeting.starts_at.year - 1)
        earlier = _earlier(conf, earlier_start - datetime.timedelta(days=days_back))
        AgendaItem.objects.create(
            person=conf.person, recorded_by=conf.forum.host, category="coordination", meeting=earlier, kind="new"
        )
        item = _list(conf, conf.meeting, conf.person)
    assert item.repeat is repeat


def test_a_cancelled_earlier_meeting_is_not_a_repeat(conf):
    with time_machine.travel(NOW, tick=False):
        earlier = _earlier(conf, conf.meeting.starts_at - datetime.timedelta(days=30))
        earlier.status = MeetingStatus.CANCELLED
        earlier.save()
        AgendaItem.objects.create(
            person=conf.person, recorded_by=conf.forum.host, category="coordination", meeting=earlier, kind="new"
        )
        assert _list(conf, conf.meeting, conf.person).repeat is False


def test_agenda_is_ordered_by_risk_then_referral(conf):
    with time_machine.travel(NOW, tick=False):
        _list(conf, conf.meeting, conf.person, RiskLevel.STANDARD)
        _list(conf, conf.meeting, conf.second, RiskLevel.HIGH)
        page = selectors.agenda_page(actor(conf.coordinator), conf.meeting, route="test")
    assert [(line.person, line.item.position) for line in page.lines] == [(conf.second, 1), (conf.person, 2)]
    assert page.candidates == []


def test_a_case_heard_since_it_was_listed_is_no_longer_new(conf):
    with time_machine.travel(NOW, tick=False):
        heard = _earlier(conf, NOW + datetime.timedelta(days=1))
        AgendaItem.objects.create(
            person=conf.person, recorded_by=conf.forum.host, category="coordination", meeting=heard, kind="new"
        )
        page = selectors.agenda_page(actor(conf.coordinator), conf.meeting, route="test")
    assert [(c.person, c.kind) for c in page.candidates] == [(conf.second, "new")]


def test_only_current_cases_can_be_listed_and_only_by_the_organiser(conf):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationFailed) as error:
            _list(conf, conf.meeting, conf.outsider)
        assert "person" in error.value.errors
        with pytest.raises(NotFound):
            services.agenda_add(
                actor(conf.members["housing"].representative),
                meeting=conf.meeting,
                person=conf.person,
                kind="new",
                risk_level=3,
            )


def test_time_warning_when_the_cases_will_not_fit(conf):
    check = selectors.time_check(conf.meeting, 14)
    assert time_warning(check) == "14 cases at 12 minutes need 2 h 48 min; the meeting is 2 hours"
    assert time_warning(selectors.time_check(conf.meeting, 10)) == ""  # 120 minutes: exactly fits


def test_research_one_per_agency_with_optimistic_locking(conf):
    housing = actor(conf.members["housing"].representative)
    with time_machine.travel(NOW, tick=False):
        _list(conf, conf.meeting, conf.person)
        first = services.research_submit(housing, meeting=conf.meeting, person=conf.person, knows="Tenant since 2020")
        with pytest.raises(StaleVersion):
            services.research_submit(housing, meeting=conf.meeting, person=conf.person, knows="Again")
        again = services.research_submit(
            housing, meeting=conf.meeting, person=conf.person, knows="Rent arrears", expected_version=first.version
        )
        assert again.pk == first.pk and again.version == 2
        with pytest.raises(NotFound):  # not listed: as if the person did not exist
            services.research_submit(housing, meeting=conf.meeting, person=conf.second, knows="x")
        pack = selectors.pack(actor(conf.coordinator), conf.meeting, route="test")
    assert pack.has_sent(conf.person.pk, conf.members["housing"].agency_id)
    assert not pack.has_sent(conf.person.pk, conf.members["police"].agency_id)


def test_research_is_for_the_forum_not_for_every_involved_agency(conf, partnership):
    """Research is risk information: members read it under the forum's agreement; an agency merely
    involved with the person (whose volunteer may read coordination records) does not."""
    InvolvementFactory(person=conf.person, agency=partnership.voluntary, starts_on=datetime.date(2026, 1, 1))
    with time_machine.travel(NOW, tick=False):
        _list(conf, conf.meeting, conf.person)
        sent = services.research_submit(
            actor(conf.members["housing"].representative), meeting=conf.meeting, person=conf.person, knows="Arrears"
        )
        assert sent.category == Category.RISK
        police = actor(conf.members["police"].representative)
        assert list(policy.readable_records(police, Research, Purpose.FORUM)) == [sent]
        volunteer = actor(partnership.volunteer)
        for purpose in (Purpose.DIRECT_CARE, Purpose.FORUM):
            assert not policy.readable_records(volunteer, Research, purpose).exists()


def test_research_closes_when_the_meeting_starts(conf):
    housing = actor(conf.members["housing"].representative)
    with time_machine.travel(NOW, tick=False):
        _list(conf, conf.meeting, conf.person)
    with time_machine.travel(conf.meeting.starts_at, tick=False), pytest.raises(ValidationFailed):
        services.research_submit(housing, meeting=conf.meeting, person=conf.person, knows="Late")


def test_two_note_takers_the_second_stale_save_is_refused_with_who(conf):
    with time_machine.travel(NOW, tick=False):
        item = _list(conf, conf.meeting, conf.person)
        chair, coordinator = actor(conf.chair), actor(conf.coordinator)
        fields = {"risks": "", "decisions": "", "next_review_on": None}
        meeting_run.discussion_save(chair, item_id=item.pk, expected_version=0, summary="Chair's notes", **fields)
        with pytest.raises(StaleVersion) as error:
            meeting_run.discussion_save(coordinator, item_id=item.pk, expected_version=0, summary="Mine", **fields)
    assert "marac.chair" in error.value.message and error.value.current_version == 1


def test_lead_agency_must_be_a_member_or_involved(conf, partnership):
    with time_machine.travel(NOW, tick=False):
        item = _list(conf, conf.meeting, conf.person)
        with pytest.raises(ValidationFailed) as error:
            meeting_run.forum_lead_agree(
                actor(conf.coordinator), item_id=item.pk, agency_id=partnership.voluntary.pk, reason="x"
            )
        assert "lead_agency" in error.value.errors
        lead = meeting_run.forum_lead_agree(
            actor(conf.coordinator), item_id=item.pk, agency_id=partnership.housing.pk, reason="Tenancy"
        )
    assert (lead.agreed_by, lead.recorded_by_id) == ("forum", conf.forum.host_id)


def test_actions_are_owned_by_a_member_and_closing_ends_the_case(conf, partnership):
    coordinator = actor(conf.coordinator)
    with time_machine.travel(NOW, tick=False):
        item = _list(conf, conf.meeting, conf.person)
        due = NOW.date() + datetime.timedelta(days=14)
        with pytest.raises(ValidationFailed):
            meeting_run.forum_action_agree(
                coordinator, item_id=item.pk, description="Visit", owner_agency_id=partnership.voluntary.pk, due_on=due
            )
        action = meeting_run.forum_action_agree(
            coordinator, item_id=item.pk, description="Visit", owner_agency_id=partnership.housing.pk, due_on=due
        )
        assert action.source_ref == f"forums.agendaitem:{item.pk}"
        meeting_run.forum_case_finish(coordinator, item_id=item.pk, outcome="risk_reduced")
    assert ForumCase.objects.get(forum=conf.forum, person=conf.person).closed_at is not None


def test_case_page_is_not_found_for_a_member_or_another_meetings_item(conf):
    with time_machine.travel(NOW, tick=False):
        item = _list(conf, conf.meeting, conf.person)
        other = Meeting.objects.create(
            forum=conf.forum, starts_at=conf.meeting.ends_at, ends_at=conf.meeting.ends_at + datetime.timedelta(hours=1)
        )
        with pytest.raises(NotFound):
            selectors.case_page(actor(conf.coordinator), other, item.pk, route="test")
        with pytest.raises(NotFound):
            services.agenda_item_for_organiser(actor(conf.members["housing"].representative), item.pk)


def test_each_agency_copy_of_the_minutes_holds_only_what_it_may_read(
    conf, partnership, settings, django_capture_on_commit_callbacks, client_for
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Peer support sits on the forum but is not a party to its agreement: it has no ground on anyone.
    ForumMembership.objects.create(
        forum=conf.forum,
        agency=partnership.voluntary,
        starts_at=NOW - datetime.timedelta(days=1),
        representative=partnership.volunteer,
    )
    coordinator = actor(conf.coordinator)
    with time_machine.travel(NOW, tick=False):
        item = _list(conf, conf.meeting, conf.person)
        meeting_run.discussion_save(
            coordinator,
            item_id=item.pk,
            expected_version=0,
            summary="Shared: frightened at home",
            risks="Threats",
            decisions="Refer to refuge",
            next_review_on=None,
        )
    with time_machine.travel(conf.meeting.starts_at + datetime.timedelta(hours=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            copies = meeting_run.minutes_publish(coordinator, meeting_id=conf.meeting.pk)
        by_agency = {c.agency_id: c for c in MinutesCopy.objects.filter(meeting=conf.meeting)}
        assert len(copies) == 5 and all(c.status == MinutesStatus.READY for c in by_agency.values())
        assert bytes(by_agency[partnership.housing.pk].pdf).startswith(b"%PDF")
        housing = minutes_task.render_copy(by_agency[partnership.housing.pk])
        peers = minutes_task.render_copy(by_agency[partnership.voluntary.pk])
    assert "Robin Marsh" in housing and "frightened at home" in housing
    assert "Robin Marsh" not in peers and "frightened" not in peers
    assert "Case 1: detail not shared with Northshire Peer Support" in peers

    # A download reads the minutes again as the downloader, audited, and serves the copy only if
    # that reading is the copy: housing's representative gets it; a housing volunteer, whose role
    # may not read risk, does not; nor does the representative once the agreement has ended.
    pdf = f"/forums/meetings/{conf.meeting.pk}/minutes.pdf"
    volunteer = UserFactory(username="housing.volunteer", agency=partnership.housing, roles=[RoleCode.VOLUNTEER])
    with time_machine.travel(conf.meeting.starts_at + datetime.timedelta(hours=4), tick=False):
        response = client_for(partnership.housing_officer).get(pdf)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert AccessEvent.objects.filter(
            route=pdf, actor_user_id=partnership.housing_officer.pk, person_id=conf.person.pk
        ).exists()
        assert client_for(volunteer).get(pdf).status_code == 404
        Agreement.objects.filter(pk=conf.agreement.pk).update(ends_on=datetime.date(2026, 3, 1))
        assert client_for(partnership.housing_officer).get(pdf).status_code == 404

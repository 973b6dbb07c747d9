import datetime

import pytest

from joinedup.actions.models import Action
from joinedup.audit.models import ChangeEvent
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.plans import history, prompts, services
from joinedup.plans.models import Plan, PlanVersion
from joinedup.plans.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_creating_records_the_category_of_the_kind_the_first_version_and_its_event(partnership, shared):
    safety, created = services.plan_create(actor(partnership.practitioner), person=shared.person, kind="safety")
    assert created and safety.category == "risk" and safety.title == "Safety plan"
    crisis, _ = services.plan_create(actor(partnership.practitioner), person=shared.person, kind="crisis")
    assert crisis.category == "mental_health"
    assert shared.plan.category == "coordination"
    first = PlanVersion.objects.get(plan=shared.plan)
    assert (first.number, first.plan_version, first.summary) == (1, 1, "Plan written")
    assert first.snapshot["fields"]["strengths"] == "Good with people; keeps the allotment going"
    assert ChangeEvent.objects.filter(action="plan_create", object_id=str(shared.plan.pk)).count() == 1


def test_the_same_create_form_sent_twice_makes_one_plan(partnership, shared):
    who = actor(partnership.practitioner)
    first, made = services.plan_create(who, person=shared.person, kind="crisis", form_token="tok-1")
    second, again = services.plan_create(who, person=shared.person, kind="crisis", form_token="tok-1")
    assert (made, again) == (True, False) and first.pk == second.pk
    assert Plan.objects.filter(person=shared.person, kind="crisis").count() == 1


def test_every_change_is_a_version_with_who_and_what_changed(partnership, shared):
    plan = services.plan_update(
        actor(partnership.housing_officer),
        plan_id=shared.plan.pk,
        expected_version=1,
        changes={"what_matters": "Keeping my flat, seeing my sister and my dog", "status": "active"},
    )
    assert plan.version == 2
    latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    assert latest is not None
    assert latest.number == 2 and latest.saved_by_agency == "Northshire Housing"
    assert latest.changed_fields == ["Status", "What matters to the person"]
    assert ChangeEvent.objects.filter(action="plan_update", object_id=str(plan.pk)).count() == 1


def test_a_save_that_changes_nothing_leaves_no_version(partnership, shared):
    plan = services.plan_update(
        actor(partnership.practitioner),
        plan_id=shared.plan.pk,
        expected_version=1,
        changes={"strengths": " Good with people; keeps the allotment going "},
    )
    assert plan.version == 1 and PlanVersion.objects.filter(plan=plan).count() == 1


def test_a_stale_save_is_refused_whole_and_says_who_saved_first(partnership, shared):
    services.plan_update(
        actor(partnership.housing_officer), plan_id=shared.plan.pk, expected_version=1, changes={"strengths": "A"}
    )
    events = ChangeEvent.objects.count()
    with pytest.raises(StaleVersion) as refused:
        services.plan_update(
            actor(partnership.practitioner),
            plan_id=shared.plan.pk,
            expected_version=1,
            changes={"strengths": "B", "what_matters": "C"},
        )
    assert "housing.officer" in refused.value.message and refused.value.current_version == 2
    plan = Plan.objects.get(pk=shared.plan.pk)
    assert (plan.strengths, plan.what_matters) == ("A", "Keeping my flat and seeing my sister")
    assert ChangeEvent.objects.count() == events
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_a_new_review_date_must_be_ahead_but_an_overdue_plan_can_still_be_edited(partnership, shared):
    who = actor(partnership.practitioner)
    with pytest.raises(ValidationFailed) as bad:
        services.plan_update(
            who,
            plan_id=shared.plan.pk,
            expected_version=1,
            changes={"review_on": TODAY - datetime.timedelta(days=1)},
        )
    assert bad.value.errors == {"review_on": ["The review date must be today or in the future"]}
    Plan.objects.filter(pk=shared.plan.pk).update(review_on=TODAY - datetime.timedelta(days=3), status="active")
    plan = Plan.objects.get(pk=shared.plan.pk)
    assert plan.review_overdue(TODAY)
    saved = services.plan_update(
        who, plan_id=plan.pk, expected_version=1, changes={"review_on": plan.review_on, "strengths": "Kind"}
    )
    assert saved.version == 2


def test_only_the_team_around_the_person_may_change_a_plan(partnership, shared):
    for outsider in (partnership.police_officer, partnership.substance_worker, partnership.volunteer):
        with pytest.raises(NotFound):
            services.plan_update(actor(outsider), plan_id=shared.plan.pk, expected_version=1, changes={"title": "X"})


def test_an_involved_agency_that_may_not_read_a_safety_plan_may_not_change_it(partnership, shared):
    safety, _ = services.plan_create(actor(partnership.practitioner), person=shared.person, kind="safety")
    with pytest.raises(NotFound):
        services.plan_update(
            actor(partnership.housing_officer), plan_id=safety.pk, expected_version=1, changes={"title": "X"}
        )


def test_goals_keep_their_own_version_and_each_save_is_in_the_history(partnership, shared):
    who = actor(partnership.housing_officer)
    goal = services.goal_add(who, plan_id=shared.plan.pk, description="Pay the arrears", measure="Rent account clear")
    services.goal_update(
        who, plan_id=shared.plan.pk, goal_id=goal.pk, expected_version=1, changes={"status": "in_progress"}
    )
    with pytest.raises(StaleVersion):
        services.goal_update(
            actor(partnership.practitioner),
            plan_id=shared.plan.pk,
            goal_id=goal.pk,
            expected_version=1,
            changes={"status": "achieved"},
        )
    summaries = list(PlanVersion.objects.filter(plan=shared.plan).order_by("number").values_list("summary", flat=True))
    assert summaries == ["Plan written", "Goal added", "Goal changed"]
    assert Plan.objects.get(pk=shared.plan.pk).version == 1  # nobody's plan edit is refused for a goal
    assert ChangeEvent.objects.filter(action="plan_goal_update", person_id=shared.person.pk).count() == 1


def test_an_action_from_the_plan_names_the_plan_and_an_agency_working_with_the_person(partnership, shared):
    who = actor(partnership.practitioner)
    action = services.plan_action_add(
        who,
        plan_id=shared.plan.pk,
        description="Ask the landlord to pause the notice",
        owner_agency=partnership.housing,
        due_on=TODAY + datetime.timedelta(days=7),
    )
    assert (action.source, action.source_ref) == ("plan", f"plans.plan:{shared.plan.pk}")
    assert action.source_label == shared.plan.title
    with pytest.raises(ValidationFailed) as bad:
        services.plan_action_add(
            who,
            plan_id=shared.plan.pk,
            description="Visit",
            owner_agency=partnership.police,
            due_on=TODAY + datetime.timedelta(days=7),
        )
    assert "owner_agency" in bad.value.errors
    assert Action.objects.filter(person=shared.person).count() == 1


def test_prompts_follow_the_carer_and_advocacy_answers(shared):
    plan = shared.plan
    assert prompts.prompts(plan) == []
    plan.carer_involved, plan.carer_name = True, "Sam (sister)"
    assert prompts.prompts(plan) == [prompts.CARER_ASSESSMENT]
    plan.carer_assessment_offered = True
    assert prompts.prompts(plan) == []
    plan.substantial_difficulty = True
    assert prompts.prompts(plan) == [prompts.ADVOCATE]
    plan.appropriate_person_to_support = True
    assert prompts.prompts(plan) == []


def test_compare_shows_each_changed_field_and_goal_word_by_word():
    before = {"fields": {"strengths": "Good with people", "title": "Plan"}, "goals": []}
    after = {
        "fields": {"strengths": "Good with dogs and people", "title": "Plan"},
        "goals": [{"id": "g1", "description": "Walk daily", "target_on": "", "measure": "", "status": "Not started"}],
    }
    changes = history.compare(before, after)
    assert [c.label for c in changes] == ["Strengths", "Goal 1"]
    added = [p.text for p in changes[0].pieces if p.change == "added"]
    assert "".join(added).strip() == "dogs and"
    assert not [p for p in changes[0].pieces if p.change == "removed"]
    assert changes[1].before == "" and "Walk daily" in changes[1].after


def test_an_action_from_a_plan_its_readers_may_not_read_names_no_plan(partnership, shared):
    """An action is a coordination record every agency around the person reads; a crisis or safety
    plan's title is not theirs to see, so the action says only that it came from a plan."""
    who = actor(partnership.practitioner)
    due = TODAY + datetime.timedelta(days=7)
    for kind in ("crisis", "safety"):
        plan, _ = services.plan_create(who, person=shared.person, kind=kind, title="After the overdose in February")
        action = services.plan_action_add(
            who, plan_id=plan.pk, description="Check in weekly", owner_agency=partnership.housing, due_on=due
        )
        assert action.source_label == "A plan", kind
        assert action.source_ref == f"plans.plan:{plan.pk}"  # readers of the plan still find it from the plan
    discharge, _ = services.plan_create(who, person=shared.person, kind="discharge", title="Home from Ward 3")
    action = services.plan_action_add(
        who, plan_id=discharge.pk, description="Visit at home", owner_agency=partnership.housing, due_on=due
    )
    assert action.source_label == "Home from Ward 3"  # a coordination plan: its readers are the action's

import pytest

from joinedup.accounts.models import User
from joinedup.actions.models import Action
from joinedup.demo import plans_story, services
from joinedup.people.models import Involvement, active_involvements
from joinedup.plans import prompts
from joinedup.plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_the_demo_care_plan_is_for_someone_the_cmht_and_housing_both_work_with():
    services.generate(people=20, seed=5)
    plan = plans_story.seed_plans_story()
    assert plan is not None and plan.title == plans_story.TITLE
    housing = User.objects.get(username="housing.practitioner").agency_id
    involved = set(
        Involvement.objects.filter(active_involvements(), person=plan.person).values_list("agency_id", flat=True)
    )
    assert {housing, plan.recorded_by_id} <= involved
    assert prompts.CARER_ASSESSMENT in prompts.prompts(plan)
    assert PlanVersion.objects.filter(plan=plan).count() == 3  # written, and a goal added twice
    assert Action.objects.get(source_ref=f"plans.plan:{plan.pk}").owner_agency_id == housing

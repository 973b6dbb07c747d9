"""A joint care and support plan for the demo (and the plans browser journey): one person on the
CMHT practitioner's caseload whom housing works with too, a plan the CMHT started with them, two
goals and an action housing owns. Told through the real selectors and services, so it has its
history (and the caseload read is audited as the practitioner's, as any read is)."""

from datetime import timedelta

from joinedup.accounts.actors import actor_for
from joinedup.accounts.models import User
from joinedup.core import clock
from joinedup.people.models import Person
from joinedup.people.selectors import agency_involved
from joinedup.people.selectors import caseload as caseload_of
from joinedup.people.services import involvement_start
from joinedup.plans.models import Plan
from joinedup.plans.services import goal_add, plan_action_add, plan_create

TITLE = "Joint care and support plan"


def _shared_person(mental_health: User, housing: User) -> Person | None:
    """The first person on the CMHT practitioner's caseload whom housing works with too; failing
    that, the first on the caseload, whom housing then starts working with."""
    caseload = [s.record for s in caseload_of(actor_for(mental_health, "demo"), route="demo:plans-story").rows]
    both = next((p for p in caseload if agency_involved(housing.agency_id, p.pk)), None)
    if both is not None or not caseload:
        return both
    involvement_start(actor_for(housing, "demo"), person=caseload[0], starts_on=clock.today(), role="Tenancy support")
    return caseload[0]


def seed_plans_story() -> Plan | None:
    mental_health = User.objects.filter(username="cmht.practitioner").select_related("agency").first()
    housing = User.objects.filter(username="housing.practitioner").select_related("agency").first()
    if mental_health is None or housing is None or mental_health.agency is None or housing.agency is None:
        return None
    person = _shared_person(mental_health, housing)
    if person is None:
        return None
    cmht, today = actor_for(mental_health, "demo"), clock.today()
    plan, _ = plan_create(
        cmht,
        person=person,
        kind="care_support",
        title=TITLE,
        status="active",
        lead_agency=mental_health.agency,
        review_on=today + timedelta(days=56),
        strengths="Good at fixing bikes; keeps in touch with an old friend from school",
        what_matters="Keeping my flat. Sleeping properly again. Seeing my nephew at weekends.",
        carer_involved=True,
        carer_name="Sister (lives nearby)",
        person_present=True,
        person_agreed="partly",
        person_comments="I want help with the letters, not more appointments.",
        coproduced_on=today,
    )
    goal_add(
        cmht,
        plan_id=plan.pk,
        description="Sleep through the night most nights",
        target_on=today + timedelta(days=42),
        measure="Five nights out of seven in my sleep diary",
    )
    goal_add(cmht, plan_id=plan.pk, description="Stay in my flat", measure="No notice to quit; rent paid")
    plan_action_add(
        cmht,
        plan_id=plan.pk,
        description="Go through the rent arrears letters together and agree a repayment plan",
        owner_agency=housing.agency,
        due_on=today + timedelta(days=10),
    )
    return plan

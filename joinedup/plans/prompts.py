"""Prompts worked out from a plan's answers about carers and advocacy: the duties a team may miss."""

from joinedup.plans.models import Plan

CARER_ASSESSMENT = "The carer may be entitled to a carer's assessment (Care Act 2014). Offer one and record it."
ADVOCATE = (
    "Consider an independent advocate: the person has substantial difficulty being involved and no one "
    "appropriate to support them (Care Act 2014)."
)
NAME_THE_CARER = "A carer is involved: record who they are, with the person's agreement."


def prompts(plan: Plan) -> list[str]:
    """What the team should consider, given the plan's carer and advocacy answers (none if nothing)."""
    found = []
    if plan.carer_involved and not plan.carer_assessment_offered:
        found.append(CARER_ASSESSMENT)
    if plan.carer_involved and not plan.carer_name.strip():
        found.append(NAME_THE_CARER)
    if plan.substantial_difficulty and not plan.appropriate_person_to_support and not plan.advocate_involved:
        found.append(ADVOCATE)
    return found

"""Scoring, bands, escalation and the cannot-lower rule, on both shipped tools."""

import json

import pytest

from joinedup.core.errors import ValidationFailed
from joinedup.risk import scoring
from joinedup.risk.definitions import ItemKind, ToolDefinition, parse, shipped

TOOLS = {t.slug: t for t in shipped()}
DA = TOOLS["domestic_abuse"]
MH = TOOLS["mental_health_crisis"]
DA_QUESTIONS = [i.key for i in DA.items if i.kind == ItemKind.YES_NO]


def da_answers(yes: int, *, incidents: int = 0, rest: str = "no") -> dict[str, str | int]:
    answers: dict[str, str | int] = {k: ("yes" if n < yes else rest) for n, k in enumerate(DA_QUESTIONS)}
    return answers | {"incidents_12_months": incidents}


def mh_answers(**given: str | int) -> dict[str, str | int]:
    answers: dict[str, str | int] = {}
    for item in MH.items:
        if item.kind == ItemKind.SCALE:
            answers[item.key] = item.options[0].value
        elif item.kind == ItemKind.NUMBER:
            answers[item.key] = 0
        else:
            answers[item.key] = "no"
    return answers | given


def test_the_domestic_abuse_checklist_has_24_questions_and_the_bands_chosen():
    assert len(DA_QUESTIONS) == 24
    assert [(b.level, b.min_score) for b in DA.bands] == [("standard", 0), ("medium", 10), ("high", 14)]


@pytest.mark.parametrize(
    ("yes", "level"), [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (24, "high")]
)
def test_domestic_abuse_bands_count_yes(yes, level):
    result = scoring.assess(DA, da_answers(yes))
    assert (result.score, result.final_level) == (yes, level)
    assert len(result.yes_items) == yes


def test_not_known_is_not_counted_as_yes():
    result = scoring.assess(DA, da_answers(13, rest="not_known"))
    assert (result.score, result.final_level) == (13, "medium")


def test_three_incidents_in_a_year_is_high_even_at_a_low_count():
    result = scoring.assess(DA, da_answers(2, incidents=3))
    assert (result.scored_level, result.calculated_level, result.final_level) == ("standard", "high", "high")
    assert result.escalations == ("Potential escalation: 3 or more incidents in the last 12 months",)


def test_two_incidents_do_not_escalate():
    result = scoring.assess(DA, da_answers(2, incidents=2))
    assert (result.final_level, result.escalations) == ("standard", ())


def test_judgement_raises_the_level_with_reasons():
    result = scoring.assess(DA, da_answers(5), judgement_level="high", judgement_reasons="He has bought a knife")
    assert (result.calculated_level, result.judgement_level, result.final_level) == ("standard", "high", "high")
    assert result.judgement_reasons == "He has bought a knife"


def test_judgement_without_reasons_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        scoring.assess(DA, da_answers(5), judgement_level="medium", judgement_reasons="  ")
    assert "judgement_reasons" in refused.value.errors


@pytest.mark.parametrize(("tool", "answers"), [(DA, da_answers(14)), (MH, mh_answers(plan_or_intent="yes"))])
def test_judgement_can_never_lower_the_level(tool, answers):
    lower = tool.levels[0]
    with pytest.raises(ValidationFailed) as refused:
        scoring.assess(tool, answers, judgement_level=lower, judgement_reasons="They seem calmer today")
    assert "never lower" in refused.value.errors["judgement_level"][0]


def test_judgement_at_the_same_level_changes_nothing():
    result = scoring.assess(DA, da_answers(14), judgement_level="high")
    assert (result.final_level, result.judgement_level) == ("high", "")


def test_reasons_given_at_a_level_already_reached_are_kept():
    result = scoring.assess(DA, da_answers(14), judgement_level="high", judgement_reasons="Just released from prison")
    assert (result.final_level, result.judgement_level) == ("high", "")
    assert result.judgement_reasons == "Just released from prison"


def test_mental_health_screen_sums_scores_into_bands():
    assert scoring.assess(MH, mh_answers()).final_level == "low"
    # frequent thoughts (2) + self-harm (2) + previous attempt (2) = 6: moderate
    moderate = mh_answers(suicidal_thoughts="frequent", recent_self_harm="yes", previous_attempt="yes")
    assert (scoring.assess(MH, moderate).score, scoring.assess(MH, moderate).final_level) == (6, "moderate")
    high = moderate | {"access_to_means": "yes", "hopelessness": "severe", "alone": "yes"}
    assert (scoring.assess(MH, high).score, scoring.assess(MH, high).final_level) == (11, "high")


@pytest.mark.parametrize("item", ["plan_or_intent", "cannot_keep_safe"])
def test_mental_health_red_flags_raise_to_high_whatever_the_score(item):
    result = scoring.assess(MH, mh_answers(**{item: "yes"}))
    assert result.score == 3 and result.scored_level == "low" and result.final_level == "high"


def test_mental_health_crisis_contacts_raise_to_moderate_only():
    assert scoring.assess(MH, mh_answers(crisis_contacts_30_days=3)).final_level == "moderate"
    assert scoring.assess(MH, mh_answers(crisis_contacts_30_days=2)).final_level == "low"
    # an escalation never lowers what the score already gives
    high = mh_answers(crisis_contacts_30_days=5, plan_or_intent="yes")
    assert scoring.assess(MH, high).final_level == "high"


def test_triggers_offer_the_matching_forum_from_the_level():
    assert scoring.triggered(DA, "high") == ["risk_conference"]
    assert scoring.triggered(DA, "medium") == []
    assert scoring.triggered(MH, "high") == ["distress_pathway"]


def test_answers_are_checked_item_by_item():
    answers = da_answers(3)
    answers["threats_to_kill"] = "maybe"
    answers["incidents_12_months"] = "-1"
    del answers["injured"]
    with pytest.raises(ValidationFailed) as refused:
        scoring.clean_answers(DA, answers | {"shoe_size": "9"})
    assert set(refused.value.errors) == {"threats_to_kill", "incidents_12_months", "injured", ""}
    assert scoring.clean_answers(DA, da_answers(1) | {"incidents_12_months": "4"})["incidents_12_months"] == 4


def test_a_definition_that_does_not_hang_together_is_refused():
    raw = json.loads(DA.model_dump_json())
    raw["escalations"][0]["raises_to"] = "extreme"
    with pytest.raises(ValueError, match="unknown level"):
        parse(json.dumps(raw))
    raw = json.loads(DA.model_dump_json())
    raw["bands"][1]["min_score"] = 20
    with pytest.raises(ValueError, match="rise in score"):
        ToolDefinition.model_validate(raw)


def test_an_escalation_on_an_answer_the_item_cannot_have_is_refused():
    raw = json.loads(MH.model_dump_json())
    rule = next(r for r in raw["escalations"] if r.get("equals"))
    rule["equals"] = "Yes"  # answers are lower case: this rule would never fire
    with pytest.raises(ValueError, match="not one of its answers"):
        parse(json.dumps(raw))


def test_an_incident_count_no_one_knows_is_not_known_and_does_not_escalate():
    cleaned = scoring.clean_answers(DA, da_answers(2) | {"incidents_12_months": ""})
    assert cleaned["incidents_12_months"] == "not_known"
    assert scoring.assess(DA, cleaned).final_level == "standard"
    assert scoring.clean_answers(DA, da_answers(2) | {"incidents_12_months": "not_known"}) == cleaned
    # the crisis screen's count has no "not known": a blank is refused
    with pytest.raises(ValidationFailed) as refused:
        scoring.clean_answers(MH, mh_answers() | {"crisis_contacts_30_days": ""})
    assert "crisis_contacts_30_days" in refused.value.errors

"""Scoring a completed risk tool: pure functions of a definition and the answers, no database.

The level comes in three steps, each kept so the result can say why it is what it is: the band the
score falls in; escalations, which only ever raise it; and professional judgement, which may raise
it again (with reasons) but is refused if it would lower it.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from joinedup.core.errors import ValidationFailed
from joinedup.risk.definitions import Answer, Item, ItemKind, ToolDefinition

type Answers = Mapping[str, str | int]


@dataclass(frozen=True)
class Result:
    score: int
    scored_level: str  # from the bands alone
    escalations: tuple[str, ...]  # why the level was raised, in words
    calculated_level: str  # after escalations
    judgement_level: str  # "" when the assessor did not use judgement to raise it
    judgement_reasons: str
    final_level: str
    yes_items: tuple[str, ...]  # the keys answered "yes", in the tool's order


def _answer_error(item: Item) -> str:
    if item.kind == ItemKind.NUMBER:
        blank = ", or leave it blank if not known" if item.may_be_not_known else ""
        return f"Enter a whole number from 0 to {item.maximum}{blank}: {item.text}"
    return f"Choose an answer: {item.text}"


def clean_answers(tool: ToolDefinition, raw: Mapping[str, object]) -> dict[str, str | int]:
    """Every item answered, in the form the tool allows; ValidationFailed naming each that is not."""
    cleaned: dict[str, str | int] = {}
    errors: dict[str, str] = {}
    for item in tool.items:
        value = raw.get(item.key)
        choices = [a.value for a in Answer] if item.kind == ItemKind.YES_NO else [o.value for o in item.options]
        number = _whole(value, item.maximum) if item.kind == ItemKind.NUMBER else None
        if item.kind != ItemKind.NUMBER and value in choices:
            cleaned[item.key] = str(value)
        elif item.may_be_not_known and value in (None, "", Answer.NOT_KNOWN):
            cleaned[item.key] = Answer.NOT_KNOWN.value
        elif number is not None:
            cleaned[item.key] = number
        else:
            errors[item.key] = _answer_error(item)
    unknown = sorted(set(raw) - {i.key for i in tool.items})
    if unknown:
        errors[""] = f"These are not questions of the {tool.name}: {', '.join(unknown)}"
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _whole(value: object, maximum: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= maximum else None


def score(tool: ToolDefinition, answers: Answers) -> int:
    """A count of "yes" answers, or the sum of each answer's score (per the tool). Not known is not yes."""
    total = 0
    for item in tool.items:
        value = answers.get(item.key)
        if item.kind == ItemKind.YES_NO and value == Answer.YES:
            total += 1 if tool.scoring == "count_yes" else item.yes_score
        elif item.kind == ItemKind.SCALE and tool.scoring == "sum":
            total += next((o.score for o in item.options if o.value == value), 0)
    return total


def band(tool: ToolDefinition, points: int) -> str:
    """The highest band whose minimum the score reaches."""
    return [b.level for b in tool.bands if points >= b.min_score][-1]


def escalations(tool: ToolDefinition, answers: Answers) -> list[tuple[str, str]]:
    """(level raised to, reason) for each escalation rule the answers meet."""
    met = []
    for rule in tool.escalations:
        value = answers.get(rule.item)
        by_count = rule.at_least is not None and isinstance(value, int) and value >= rule.at_least
        if by_count or (rule.equals is not None and value == rule.equals):
            met.append((rule.raises_to, rule.reason))
    return met


def assess(tool: ToolDefinition, answers: Answers, *, judgement_level: str = "", judgement_reasons: str = "") -> Result:
    """Score, band, escalate and apply professional judgement; ValidationFailed if the judgement
    would lower the level, names no level the tool has, or raises it without reasons."""
    points = score(tool, answers)
    scored = band(tool, points)
    raised = escalations(tool, answers)
    calculated = max([scored, *(level for level, _ in raised)], key=tool.rank)
    reasons = judgement_reasons.strip()
    final = calculated
    if judgement_level:
        if judgement_level not in tool.levels:
            raise ValidationFailed({"judgement_level": "Choose a level the tool uses"})
        if tool.rank(judgement_level) < tool.rank(calculated):
            raise ValidationFailed(
                {
                    "judgement_level": f"Professional judgement can raise the level but never lower it: "
                    f"the answers give {tool.label(calculated)}"
                }
            )
        if tool.rank(judgement_level) > tool.rank(calculated):
            if not reasons:
                raise ValidationFailed(
                    {"judgement_reasons": "Give your reasons for raising the level on professional judgement"}
                )
            final = judgement_level
    raised_by_judgement = final != calculated
    # Reasons given for a level the answers already reach are kept: they are the assessor's rationale.
    return Result(
        score=points,
        scored_level=scored,
        escalations=tuple(reason for _, reason in raised),
        calculated_level=calculated,
        judgement_level=final if raised_by_judgement else "",
        judgement_reasons=reasons,
        final_level=final,
        yes_items=tuple(i.key for i in tool.items if i.kind == ItemKind.YES_NO and answers.get(i.key) == Answer.YES),
    )


def triggered(tool: ToolDefinition, level: str) -> list[str]:
    """The forum kinds the tool offers a referral to at this level."""
    return [t.forum_kind for t in tool.triggers if tool.rank(level) >= tool.rank(t.at_least)]

"""The forum referral an assessment offers, filled in from the assessment so no one types it again.

What the assessor found goes into the referral in words: the level and score, every "yes" answer,
the counts and scale answers, what was not known, any escalation and the judgement reasons. The
assessment itself is attached, so the forum's host may read it under the referral ground.
"""

from dataclasses import dataclass

from joinedup.audit.services import object_ref
from joinedup.core.actor import Actor
from joinedup.core.formatting import format_date
from joinedup.referrals import selectors as referral_selectors
from joinedup.referrals.models import Pathway, PathwayKind, SharingBasis
from joinedup.risk import scoring
from joinedup.risk.definitions import Answer, ItemKind, ToolDefinition
from joinedup.risk.models import Assessment


@dataclass(frozen=True)
class Offer:
    """A forum the assessment's level calls for, and the pathway the assessor's agency refers through."""

    pathway: Pathway
    forum_name: str
    text: str


def offers(actor: Actor, assessment: Assessment) -> list[Offer]:
    """The forum referrals this assessment's final level triggers, that the actor's agency may make."""
    if assessment.recorded_by_id != actor.agency_id:  # only the assessing agency refers on it
        return []
    spec = assessment.tool.spec
    kinds = scoring.triggered(spec, assessment.final_level)
    if not kinds:
        return []
    texts = {t.forum_kind: t.offer for t in spec.triggers}
    pathways = (
        referral_selectors.pathways_for(actor)
        .filter(kind=PathwayKind.FORUM, forum__kind__in=kinds, forum__active=True)
        .select_related("forum")
        .order_by("name")
    )
    return [Offer(p, p.forum.name if p.forum else p.name, texts[p.forum.kind if p.forum else ""]) for p in pathways]


def _answer_words(spec: ToolDefinition, answers: dict[str, str | int]) -> tuple[list[str], list[str], list[str]]:
    """(the "yes" answers, the counts and scale answers, the questions not known), each in words."""
    yes, other, unknown = [], [], []
    for item in spec.items:
        value = answers.get(item.key)
        name = item.summary or item.text
        if item.kind == ItemKind.YES_NO and value == Answer.YES:
            yes.append(name)
        elif value == Answer.NOT_KNOWN:  # a yes/no question, or a count no one knows
            unknown.append(name)
        elif item.kind == ItemKind.NUMBER:
            other.append(f"{name}: {value}")
        elif item.kind == ItemKind.SCALE:
            label = next((o.label for o in item.options if o.value == value), str(value))
            other.append(f"{name}: {label}")
    return yes, other, unknown


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def reason_text(assessment: Assessment) -> str:
    spec = assessment.tool.spec
    yes, other, _ = _answer_words(spec, assessment.answers)
    assessor = assessment.assessor.display_name
    parts = [
        f"{spec.name} completed on {format_date(assessment.assessed_on)} by {assessor} "
        f"({assessment.recorded_by.name}): {spec.label(assessment.final_level)} risk, score {assessment.score}.",
        f'Answered "yes" ({len(yes)}):\n{_bullets(yes)}' if yes else 'No question was answered "yes".',
    ]
    if other:
        parts.append(f"Other answers:\n{_bullets(other)}")
    return "\n\n".join(parts)


def risk_summary_text(assessment: Assessment) -> str:
    spec = assessment.tool.spec
    _, _, unknown = _answer_words(spec, assessment.answers)
    parts = [
        f"Level: {spec.label(assessment.final_level)} (the score alone gives {spec.label(assessment.scored_level)})."
    ]
    if assessment.escalations:
        parts.append("Escalation:\n" + _bullets(list(assessment.escalations)))
    if assessment.judgement_level:
        parts.append(
            f"Professional judgement raised the level from {spec.label(assessment.calculated_level)} to "
            f"{spec.label(assessment.judgement_level)}: {assessment.judgement_reasons}"
        )
    elif assessment.judgement_reasons:
        parts.append(f"The assessor's professional judgement: {assessment.judgement_reasons}")
    if unknown:
        parts.append(f"Not known ({len(unknown)}):\n{_bullets(unknown)}")
    return "\n\n".join(parts)


def draft_data(actor: Actor, assessment: Assessment, pathway: Pathway) -> dict[str, str | list[str]]:
    """The referral wizard's answers, as its details form posts them, from the assessment."""
    spec = assessment.tool.spec
    urgencies = list(pathway.urgencies.order_by("order"))
    top = assessment.final_level == spec.levels[-1]
    # The most urgent response at the tool's highest level, the least urgent below it.
    urgency = (urgencies[0] if top else urgencies[-1]) if urgencies else None
    agreements = referral_selectors.agreements_between(actor.agency_id, pathway.to_agency_id)
    forum_agreement = pathway.forum.agreement_id if pathway.forum else None
    agreement = next((a for a in agreements if a.pk == forum_agreement), agreements[0] if agreements else None)
    return {
        "urgency": str(urgency.pk) if urgency else "",
        "to_team": str(pathway.to_team_id or ""),
        "reason": reason_text(assessment),
        "what_matters": "",
        "risk_summary": risk_summary_text(assessment),
        "sharing_basis": SharingBasis.AGREEMENT if agreement else "",
        "consent": "",
        "agreement": str(agreement.pk) if agreement else "",
        "sharing_note": "",
        "attachments": [object_ref(assessment)],
    }

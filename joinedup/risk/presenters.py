"""Display-ready values for the risk pages and the person page's risk section and warnings."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from joinedup.core import clock
from joinedup.core.formatting import format_date
from joinedup.risk.definitions import ANSWER_WORDS, Answer, ItemKind
from joinedup.risk.models import Assessment, Flag, FlagState
from joinedup.sharing.policy import Shown


def ago(day: date, today: date) -> str:
    """How long ago, in the words people use: "today", "3 days ago", "7 months ago"."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 31:
        return f"{days} days ago"
    if days < 365:
        months = max(1, days // 30)
        return f"{months} month{'s' if months > 1 else ''} ago"
    years = days // 365
    return f"{years} year{'s' if years > 1 else ''} ago"


def level_colour(assessment: Assessment) -> str:
    spec = assessment.tool.spec
    top = len(spec.levels) - 1
    rank = spec.rank(assessment.final_level)
    return "red" if rank == top else ("green" if rank == 0 else "yellow")


@dataclass(frozen=True)
class LevelLine:
    tool: str
    level: str
    colour: str
    agency: str
    assessed: str
    age: str
    review_due: bool
    href: str


def level_line(assessment: Assessment, today: date) -> LevelLine:
    return LevelLine(
        tool=assessment.tool.name,
        level=assessment.level_label,
        colour=level_colour(assessment),
        agency=assessment.recorded_by.name,
        assessed=format_date(assessment.assessed_on),
        age=ago(assessment.assessed_on, today),
        review_due=assessment.review_due(today),
        href=reverse("risk:assessment", kwargs={"assessment_id": assessment.pk}),
    )


def current_levels(assessments: list[Shown[Assessment]], today: date) -> list[LevelLine]:
    """The newest assessment the reader may see of each tool: the current level and its age."""
    newest: dict[str, Assessment] = {}
    for shown in sorted(assessments, key=lambda s: (s.record.assessed_on, s.record.created_at), reverse=True):
        newest.setdefault(shown.record.tool.slug, shown.record)
    return [level_line(a, today) for a in sorted(newest.values(), key=lambda a: a.tool.name)]


@dataclass(frozen=True)
class FlagLine:
    id: str
    kind: str
    state: str
    reason: str
    category: str
    period: str
    author: str
    agency: str
    status: str  # "Expired 3 November 2026", "Ended 2 November 2026: ..."
    version: int


def flag_line(flag: Flag, today: date) -> FlagLine:
    state = flag.state(today)
    status = {
        FlagState.CURRENT: f"Until {format_date(flag.ends_on)}",
        FlagState.UPCOMING: f"From {format_date(flag.starts_on)}",
        FlagState.EXPIRED: f"Expired {format_date(flag.ends_on)}",
        FlagState.ENDED: f"Ended {format_date(flag.ended_at)}: {flag.end_reason}",
    }[state]
    author = flag.author.display_name
    return FlagLine(
        id=str(flag.pk),
        kind=flag.get_kind_display(),
        state=state.value,
        reason=flag.reason,
        category=flag.get_category_display(),
        period=f"{format_date(flag.starts_on)} to {format_date(flag.ends_on)}",
        author=author,
        agency=flag.recorded_by.name,
        status=status,
        version=flag.version,
    )


def flag_lines(flags: list[Shown[Flag]], today: date) -> tuple[list[FlagLine], list[FlagLine]]:
    """(current and upcoming, expired and ended): a lapsed warning stays listed, marked as such."""
    lines = [flag_line(s.record, today) for s in flags]
    live = [f for f in lines if f.state in (FlagState.CURRENT, FlagState.UPCOMING)]
    past = [f for f in lines if f.state not in (FlagState.CURRENT, FlagState.UPCOMING)]
    return live, past


def person_risk(
    assessments: list[Shown[Assessment]], flags: list[Shown[Flag]], today: date | None = None
) -> dict[str, Any]:
    """The person page's risk section and warnings, from the records the page already read."""
    today = today or clock.today()
    live, past = flag_lines(flags, today)
    return {"levels": current_levels(assessments, today), "flags": live, "past_flags": past}


def history_rows(assessments: list[Shown[Assessment]]) -> list[dict[str, Any]]:
    rows = []
    for shown in assessments:
        a = shown.record
        rows.append(
            {
                "href": reverse("risk:assessment", kwargs={"assessment_id": a.pk}),
                "tool": f"{a.tool.name} (number {a.version})",
                "level": a.level_label,
                "colour": level_colour(a),
                "score": a.score,
                "assessed": format_date(a.assessed_on),
                "assessor": f"{a.assessor.display_name}, {a.recorded_by.name}",
            }
        )
    return rows


def _answer_text(item_kind: ItemKind, value: object, options: dict[str, str]) -> str:
    if item_kind == ItemKind.YES_NO:
        return ANSWER_WORDS.get(Answer(str(value)), str(value)) if value in Answer.__members__.values() else "-"
    if item_kind == ItemKind.SCALE:
        return options.get(str(value), str(value))
    return ANSWER_WORDS[Answer.NOT_KNOWN] if value == Answer.NOT_KNOWN else str(value)


def answer_groups(assessment: Assessment) -> list[dict[str, Any]]:
    """Each group of questions with the answer given, for the result page."""
    groups = []
    for group in assessment.tool.spec.groups:
        rows = []
        for item in group.items:
            options = {o.value: o.label for o in item.options}
            text = _answer_text(item.kind, assessment.answers.get(item.key), options)
            rows.append({"key": {"text": item.text}, "value": {"text": text}})
        groups.append({"title": group.title, "rows": rows})
    return groups


def judgement_text(assessment: Assessment) -> str:
    """What professional judgement did: raised the level (with reasons), or added reasons to it."""
    spec = assessment.tool.spec
    if assessment.judgement_level:
        return (
            f"Raised from {spec.label(assessment.calculated_level)} to {spec.label(assessment.judgement_level)}: "
            f"{assessment.judgement_reasons}"
        )
    if assessment.judgement_reasons:
        return f"Agrees with {spec.label(assessment.calculated_level)}: {assessment.judgement_reasons}"
    return ""


def result_rows(assessment: Assessment, today: date) -> list[dict[str, Any]]:
    spec = assessment.tool.spec
    assessor = assessment.assessor.display_name
    rows = [
        ("Level", f"{spec.label(assessment.final_level)}"),
        ("Score", f"{assessment.score} (on its own, {spec.label(assessment.scored_level)})"),
        ("Escalation", "; ".join(assessment.escalations) or "None"),
        ("Professional judgement", judgement_text(assessment) or "Not used"),
        ("Assessed", f"{format_date(assessment.assessed_on)} ({ago(assessment.assessed_on, today)})"),
        ("By", f"{assessor}, {assessment.recorded_by.name}"),
        ("Tool", f"{spec.name}, version {assessment.tool.version}"),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]

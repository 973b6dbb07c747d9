"""Every write to risk: complete an assessment, add a flag, end a flag early. Each checks who may do
it, refuses what does not hold with a plain message per field, and records its change event in the
same transaction."""

import uuid
from collections.abc import Mapping
from datetime import date

from django.db import transaction

from joinedup.audit.services import record_write, snapshot, stale_version
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.vocabulary import Purpose
from joinedup.people.models import Person
from joinedup.risk import scoring
from joinedup.risk.models import FLAG_CATEGORIES, FLAG_CATEGORY_CHOICES, Assessment, Flag, FlagKind, RiskTool
from joinedup.risk.rules import may_end_flag, may_record
from joinedup.sharing import policy

NOT_STAFF = "Only staff of a partner agency who record about people can do this"
LONGEST_FLAG_DAYS = 2 * 366  # a warning is reviewed at least every two years, not left for ever


def _series_latest(person: Person, tool: RiskTool, agency_id: uuid.UUID) -> Assessment | None:
    """The agency's newest assessment of the person with any version of this tool."""
    return (
        Assessment.objects.filter(person=person, recorded_by_id=agency_id, tool__slug=tool.slug)
        .order_by("-version")
        .first()
    )


def _stale_series(actor: Actor, latest: Assessment | None) -> StaleVersion:
    """The series moved on since the form was opened; who moved it is said only to someone who may read it."""
    if latest is None:
        return StaleVersion(
            "Your agency has no earlier assessment with this tool for this person: open the form again.",
            current_version=0,
        )
    if not policy.can_view(actor, latest, Purpose.DIRECT_CARE).allowed:
        return StaleVersion(
            "Your agency has recorded a newer assessment with this tool since you opened the form.",
            current_version=latest.version,
        )
    return stale_version(latest, "risk assessment series")


def assessment_complete(
    actor: Actor,
    *,
    person: Person,
    tool: RiskTool,
    answers: Mapping[str, object],
    assessed_on: date | None = None,
    judgement_level: str = "",
    judgement_reasons: str = "",
    expected_version: int | None = None,
) -> Assessment:
    """Score the answers and record the result as the newest of the agency's series for this tool.

    `expected_version` is the series version the assessor last saw (0 for none): if a colleague
    completed one since, the save is refused naming who and when, so neither result is lost unread.
    """
    if not may_record(actor):
        raise ValidationFailed({"": NOT_STAFF})
    assert actor.agency_id is not None
    spec = tool.spec
    when = assessed_on or clock.today()
    errors: dict[str, str] = {}
    if when > clock.today():
        errors["assessed_on"] = "The date of the assessment must be today or in the past"
    try:
        cleaned = scoring.clean_answers(spec, answers)
    except ValidationFailed as invalid:
        errors |= {k: v[0] for k, v in invalid.errors.items()}
        cleaned = {}
    if errors:
        raise ValidationFailed(errors)
    result = scoring.assess(spec, cleaned, judgement_level=judgement_level, judgement_reasons=judgement_reasons)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()  # one series writer at a time
        latest = _series_latest(person, tool, actor.agency_id)
        if expected_version is not None and (latest.version if latest else 0) != expected_version:
            raise _stale_series(actor, latest)
        assessment = Assessment(
            person=person,
            recorded_by_id=actor.agency_id,
            category=spec.category,
            tool=tool,
            version=(latest.version + 1) if latest else 1,
            previous=latest,
            answers=cleaned,
            score=result.score,
            scored_level=result.scored_level,
            escalations=list(result.escalations),
            calculated_level=result.calculated_level,
            judgement_level=result.judgement_level,
            judgement_reasons=result.judgement_reasons,
            final_level=result.final_level,
            assessed_on=when,
            assessor_id=actor.user_id,
        )
        assessment.save(force_insert=True)
        record_write(actor, "assessment_complete", assessment, None)
    return assessment


def flag_add(
    actor: Actor,
    *,
    person: Person,
    kind: str,
    reason: str,
    starts_on: date | None,
    ends_on: date | None,
    category: str = "",
) -> Flag:
    """A warning about the person for a period; its category is the kind's unless the author chose another."""
    if not may_record(actor):
        raise ValidationFailed({"": NOT_STAFF})
    errors: dict[str, str] = {}
    if kind not in FlagKind.values:
        errors["kind"] = "Choose what kind of warning this is"
    if category and category not in FLAG_CATEGORY_CHOICES:
        errors["category"] = "Choose risk, safeguarding or criminal justice"
    if not reason.strip():
        errors["reason"] = "Say what staff need to know, and why"
    if starts_on is None:
        errors["starts_on"] = "Enter the date the warning starts"
    if ends_on is None:
        errors["ends_on"] = "Enter the date the warning ends, when it should be reviewed"
    elif ends_on < clock.today():
        errors["ends_on"] = "The end date must be today or in the future"
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    elif starts_on is not None and (ends_on - starts_on).days > LONGEST_FLAG_DAYS:
        errors["ends_on"] = "A warning can last at most two years: set a review date within that"
    if errors:
        raise ValidationFailed(errors)
    assert starts_on is not None and ends_on is not None and actor.agency_id is not None
    flag = Flag(
        person=person,
        recorded_by_id=actor.agency_id,
        category=category or FLAG_CATEGORIES[FlagKind(kind)],
        kind=kind,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        author_id=actor.user_id,
    )
    with transaction.atomic():
        flag.save(force_insert=True)
        record_write(actor, "flag_add", flag, None)
    return flag


def flag_end(actor: Actor, *, flag_id: uuid.UUID, reason: str, expected_version: int | None = None) -> Flag:
    """End a warning before its date, with why; it stays on record, shown as ended."""
    with transaction.atomic():
        flag = Flag.objects.select_for_update().filter(pk=flag_id).first()
        if (
            flag is None
            or not may_end_flag(actor, flag)
            or not policy.can_view(actor, flag, Purpose.DIRECT_CARE).allowed
        ):
            raise NotFound("No such flag")
        if expected_version is not None and flag.version != expected_version:
            raise stale_version(flag, "flag")
        if flag.ended_at is not None:
            raise ValidationFailed({"": "This warning has already been ended"})
        if not reason.strip():
            raise ValidationFailed({"end_reason": "Say why the warning no longer applies"})
        before = snapshot(flag)
        flag.ended_at = clock.now()
        flag.ended_by_id = actor.user_id
        flag.end_reason = reason.strip()
        flag.version += 1
        flag.save()
        record_write(actor, "flag_end", flag, before)
    return flag

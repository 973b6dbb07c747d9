"""Consent in plain English ("Northshire Housing can see your mental health information for your
care, until 1 June 2027"), and the consent and case note entries of the person page.

Sentences speak to the person ("your"), so that a practitioner can read them back to check.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from joinedup.core import clock
from joinedup.core.formatting import format_date, format_datetime
from joinedup.core.vocabulary import Category, Purpose
from joinedup.sharing.models import CaseNote, Consent, ConsentStatus, ProvisionKind
from joinedup.sharing.models.consent import Capacity, GivenBy, Method
from joinedup.sharing.policy import Shown
from joinedup.sharing.services.consent import ProvisionSpec

CATEGORY_WORDS = {
    Category.IDENTITY: "identity",
    Category.CONTACT: "contact",
    Category.MENTAL_HEALTH: "mental health",
    Category.SUBSTANCE_USE: "substance use",
    Category.PHYSICAL_HEALTH: "physical health",
    Category.CRIMINAL_JUSTICE: "criminal justice",
    Category.HOUSING: "housing",
    Category.SOCIAL_CARE: "social care",
    Category.SAFEGUARDING: "safeguarding",
    Category.RISK: "risk",
    Category.COORDINATION: "care coordination",
}
PURPOSE_WORDS = {
    Purpose.DIRECT_CARE: "your care",
    Purpose.FORUM: "multi-agency forum meetings",
    Purpose.EMERGENCY: "an emergency",
    Purpose.REVIEW: "reviews when things went wrong",
    Purpose.GOVERNANCE: "information governance",
}
METHOD_WORDS = {Method.VERBAL: "verbally", Method.WRITTEN: "in writing", Method.DIGITAL: "digitally"}

type Why = Callable[[Shown[Any]], str]


def join_words(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def why_line(shown: Shown[Any]) -> str:
    """Why the user can see a record, in the policy's own words."""
    return f"You can see this because {join_words(list(shown.reasons))}." if shown.reasons else ""


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def last_day(ends_at: datetime | None) -> date | None:
    """The last day a consent applies: it ends at the start of the next (an end date is inclusive)."""
    if ends_at is None:
        return None
    return (clock.local(ends_at) - timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class Rule:
    """One provision in words: who, what, from whom, what for."""

    kind: str
    recipients: tuple[str, ...]
    categories: tuple[str, ...]
    purposes: tuple[str, ...]
    sources: tuple[str, ...] = ()
    any_recipient: bool = False


def _ordered(values: Iterable[str], vocabulary: Mapping[Any, str]) -> list[str]:
    chosen = {str(v) for v in values}
    return [words for key, words in vocabulary.items() if str(key) in chosen]


def rule_sentence(rule: Rule, *, refused: bool = False, until: date | None = None) -> str:
    """One rule as the person would hear it read back."""
    what = f"your {join_words(_ordered(rule.categories, CATEGORY_WORDS))} information"
    if rule.sources:
        what += f" from {join_words(rule.sources)}"
    purposes = _ordered(rule.purposes, PURPOSE_WORDS)
    for_what = f" for {join_words(purposes)}" if purposes else ""
    who = join_words(rule.recipients)
    if refused:
        return f"You said no to {who or 'other agencies'} seeing {what}{for_what}."
    if rule.kind == ProvisionKind.DENY:
        # A deny on every purpose reads best without them: "Police must not see your substance use information".
        for_what = "" if len(purposes) == len(PURPOSE_WORDS) else for_what
        if not who:
            return f"No agency can see {what}{for_what}."
        return _capitalise(f"{who} must not see {what}{for_what}.")
    period = f", until {format_date(until)}" if until else ""
    return _capitalise(f"{who} can see {what}{for_what}{period}.")


def _recipient_names(agencies: Iterable[str], forums: Iterable[str]) -> tuple[str, ...]:
    return (*sorted(agencies), *(f"members of {name}" for name in sorted(forums)))


def consent_rules(consent: Consent) -> list[Rule]:
    """The rules of a saved consent (provisions and their scopes prefetched), permits first."""
    rules = []
    for provision in consent.provisions.all():
        scopes = list(provision.scopes.all())
        rules.append(
            Rule(
                kind=provision.kind,
                recipients=_recipient_names(
                    (a.name for a in provision.recipient_agencies.all()),
                    (f.name for f in provision.recipient_forums.all()),
                ),
                categories=tuple(dict.fromkeys(s.category for s in scopes)),
                purposes=tuple(dict.fromkeys(s.purpose for s in scopes)),
                sources=() if provision.any_source else tuple(sorted(a.name for a in provision.source_agencies.all())),
                any_recipient=provision.any_recipient,
            )
        )
    return sorted(rules, key=lambda r: r.kind != ProvisionKind.PERMIT)


def spec_rules(specs: Sequence[ProvisionSpec], names: Mapping[str, str]) -> list[Rule]:
    """The rules of answers not yet recorded (the "check your answers" page)."""
    return [
        Rule(
            kind=spec.kind,
            recipients=_recipient_names(
                (names.get(str(a), "") for a in spec.recipient_agencies),
                (names.get(str(f), "") for f in spec.recipient_forums),
            ),
            categories=tuple(spec.categories),
            purposes=tuple(spec.purposes),
            sources=tuple(sorted(names.get(str(a), "") for a in spec.source_agencies)),
            any_recipient=spec.any_recipient,
        )
        for spec in specs
    ]


def sentences(rules: Sequence[Rule], *, status: str, until: date | None) -> list[str]:
    """Every rule of a consent in plain English; a refusal says what the person said no to."""
    refused = status == ConsentStatus.REFUSED
    if refused and not rules:
        return ["You said no to sharing your information with other agencies."]
    return [rule_sentence(r, refused=refused and r.kind == ProvisionKind.PERMIT, until=until) for r in rules]


def consent_sentences(consent: Consent) -> list[str]:
    return sentences(consent_rules(consent), status=consent.status, until=last_day(consent.ends_at))


def who_gave(given_by: str, name: str, relationship: str) -> str:
    """ "the person", or "Sam Okafor (lasting power of attorney), acting for them"."""
    if given_by == GivenBy.REPRESENTATIVE:
        relation = f" ({relationship})" if relationship else ""
        return f"{name}{relation}, acting for them"
    return "the person"


def _status(consent: Consent) -> tuple[str, str]:
    """(words, tag colour) for where a consent stands now."""
    now = clock.now()
    if consent.status == ConsentStatus.WITHDRAWN:
        return f"Withdrawn {format_date(consent.withdrawn_at)}", "grey"
    if consent.status == ConsentStatus.REFUSED:
        return "Refused", "red"
    if consent.ends_at is not None and consent.ends_at <= now:
        return "Ended", "grey"
    if consent.starts_at > now:
        return f"Starts {format_date(consent.starts_at)}", "blue"
    return "Given", "green"


@dataclass(frozen=True)
class ConsentItem:
    """One consent as the person page and the consent pages show it."""

    id: str
    sentences: list[str]
    status: str
    status_colour: str
    summary: str  # "Given verbally by the person on 3 March 2026. Recorded by Northshire Mental Health."
    review: str
    review_due: bool
    own: bool
    may_change: bool  # review or withdraw: only the recording agency, and only while it is given
    has_evidence: bool
    why: str


def consent_item(shown: Shown[Consent], own_agency_id: object, why: Why | None = None) -> ConsentItem:
    consent = shown.record
    verb = "Refused" if consent.status == ConsentStatus.REFUSED else "Given"
    method = METHOD_WORDS.get(Method(consent.method), "") if consent.method in Method.values else ""
    who = who_gave(consent.given_by, consent.representative_name, consent.representative_relationship)
    summary = (
        f"{verb} {method} by {who} on {format_date(consent.starts_at)}. Recorded by {consent.recorded_by.name}."
    ).replace("  ", " ")
    status, colour = _status(consent)
    live = consent.status == ConsentStatus.GIVEN and (consent.ends_at is None or consent.ends_at > clock.now())
    review_due = live and consent.review_on is not None and consent.review_on <= clock.today()
    own = consent.recorded_by_id == own_agency_id
    return ConsentItem(
        id=str(consent.pk),
        sentences=consent_sentences(consent),
        status=status,
        status_colour=colour,
        summary=summary,
        review=f"Review by {format_date(consent.review_on)}" if live and consent.review_on else "",
        review_due=review_due,
        own=own,
        may_change=own and live,
        has_evidence=bool(consent.evidence),
        why=why(shown) if why else "",
    )


def consent_items(shown: Iterable[Shown[Consent]], own_agency_id: object, why: Why | None = None) -> list[ConsentItem]:
    """The person page's "Consent to share" section: consents in force first, then the rest."""
    items = [consent_item(s, own_agency_id, why) for s in shown]
    return sorted(items, key=lambda i: i.status_colour not in ("green", "blue"))


def _row(key: str, value: str | list[str], *, href: str = "", field: str = "") -> dict[str, Any]:
    """A summary list row; a list of values shows one to a line."""
    if isinstance(value, list):
        shown = {"html": Markup("<br>").join(escape(v) for v in value)} if value else {"text": "Not recorded"}
    else:
        shown = {"text": value or "Not recorded"}
    row: dict[str, Any] = {"key": {"text": key}, "value": shown}
    if href:
        anchor = f"#id_{field}" if field else ""
        row["actions"] = {"items": [{"href": f"{href}{anchor}", "text": "Change", "visuallyHiddenText": key.lower()}]}
    return row


def consent_rows(consent: Consent) -> list[dict[str, Any]]:
    """The consent page's summary list: how it was given, its dates, and what happened to it since."""
    rows = [
        _row(
            "Given or refused by",
            _capitalise(who_gave(consent.given_by, consent.representative_name, consent.representative_relationship)),
        ),
        _row("Capacity to decide", Capacity(consent.capacity).label if consent.capacity in Capacity.values else ""),
    ]
    if consent.capacity_note:
        rows.append(_row("How capacity was assessed", consent.capacity_note))
    rows += [
        _row("How", Method(consent.method).label if consent.method in Method.values else ""),
        _row("From", format_date(consent.starts_at)),
        _row("Until", format_date(last_day(consent.ends_at)) or "No end date"),
        _row("Review by", format_date(consent.review_on)),
    ]
    if consent.reviewed_at:
        rows.append(_row("Last checked with the person", format_datetime(consent.reviewed_at)))
    rows.append(_row("Recorded by", f"{consent.recorded_by_user} at {consent.recorded_by.name}"))
    if consent.notes:
        rows.append(_row("Notes", consent.notes))
    if consent.status == ConsentStatus.WITHDRAWN:
        rows.append(_row("Withdrawn", format_datetime(consent.withdrawn_at)))
        rows.append(_row("How the person withdrew it", consent.withdrawal_reason))
    return rows


def answer_rows(
    data: Mapping[str, Any], names: Mapping[str, str], *, evidence_name: str, change_url: str
) -> list[dict[str, Any]]:
    """The "check your answers" summary list, each row with a link back to its question."""

    def named(ids: Iterable[str]) -> list[str]:
        return sorted(names.get(str(i), "") for i in ids)

    status = data.get("status")
    representative = data.get("given_by") == GivenBy.REPRESENTATIVE
    deny = [
        rule_sentence(rule)
        for rule in spec_rules(
            [
                ProvisionSpec(
                    kind=ProvisionKind.DENY,
                    recipient_agencies=tuple(data.get("deny_agencies") or ()),
                    categories=tuple(data.get("deny_categories") or ()),
                    purposes=tuple(PURPOSE_WORDS),
                )
            ],
            names,
        )
        if data.get("deny_agencies")
    ]
    recipients = named(data.get("recipient_agencies") or ()) + [
        f"Members of {name}" for name in named(data.get("recipient_forums") or ())
    ]
    ends_on = data.get("ends_on")
    agreed = "Yes, consent given" if status == ConsentStatus.GIVEN else "No, consent refused"
    purposes = [_capitalise(w) for w in _ordered(data.get("purposes") or (), PURPOSE_WORDS)]
    rows: list[tuple[str, str | list[str], str]] = [
        ("Did the person agree?", agreed, "status"),
        ("Who can see it", recipients or "Nobody named", "recipient_agencies"),
        ("What information", [Category(c).label for c in data.get("categories") or ()] or "None", "categories"),
        ("What for", purposes or "None", "purposes"),
        (
            "Whose information",
            named(data.get("source_agencies") or ()) or "Information from any agency",
            "source_agencies",
        ),
        ("Must not see", deny or "No exceptions", "deny_agencies"),
        ("Start date", format_date(data.get("starts_on")), "starts_on_day"),
        ("End date", format_date(ends_on) if ends_on else "No end date", "ends_on_day"),
        ("Review date", format_date(data.get("review_on")), "review_on_day"),
        (
            "Who decided",
            _capitalise(
                who_gave(
                    str(data.get("given_by")),
                    data.get("representative_name", "") if representative else "",
                    data.get("representative_relationship", "") if representative else "",
                )
            ),
            "given_by",
        ),
        ("Capacity to decide", Capacity(data["capacity"]).label if data.get("capacity") else "", "capacity"),
        ("How", Method(data["method"]).label if data.get("method") else "", "method"),
        ("Evidence", evidence_name or "None attached", "evidence"),
        ("Notes", data.get("notes") or "None", "notes"),
    ]
    return [_row(key, value, href=change_url, field=field) for key, value, field in rows]


@dataclass(frozen=True)
class CaseNoteItem:
    """One case note on the person page."""

    id: str
    title: str
    paragraphs: list[str]
    occurred_on: str
    author: str
    agency: str
    category: str
    sealed: bool
    why: str


def case_note_items(shown: Iterable[Shown[CaseNote]], why: Why | None = None) -> list[CaseNoteItem]:
    """The person page's "Case notes" section, newest first (the model's order)."""
    return [
        CaseNoteItem(
            id=str(s.record.pk),
            title=s.record.title,
            paragraphs=[p.strip() for p in s.record.body.split("\n\n") if p.strip()],
            occurred_on=format_date(s.record.occurred_on),
            author=str(s.record.author),
            agency=s.record.recorded_by.name,
            category=Category(s.record.category).label,
            sealed=s.record.sealed,
            why=why(s) if why else "",
        )
        for s in shown
    ]

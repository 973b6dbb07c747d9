"""Display-ready values for the referral pages: templates never reach through relations."""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from joinedup.accounts.models import User
from joinedup.agencies.directory.search import OpenStatus, ServiceMatch
from joinedup.agencies.models import Team
from joinedup.audit.services import object_ref
from joinedup.core.formatting import format_datetime
from joinedup.referrals import clocks
from joinedup.referrals.models import (
    HandoverForm,
    Pathway,
    Referral,
    ReferralState,
    SharingBasis,
    TargetUnit,
    UrgencyLevel,
)
from joinedup.sharing.models import Agreement
from joinedup.sharing.policy import Ground, PersonAccess, Shown
from joinedup.sharing.presenters.consent import consent_item
from joinedup.sharing.presenters.governance import record_label, type_title

S = ReferralState

STATE_TAGS = {
    S.DRAFT: ("Draft", "grey"),
    S.SENT: ("Sent", "blue"),
    S.ACKNOWLEDGED: ("Acknowledged", "aqua-green"),
    S.ACCEPTED: ("Accepted", "green"),
    S.DECLINED: ("Declined", "orange"),
    S.FIRST_CONTACT: ("First contact made", "green"),
    S.CLOSED: ("Closed", "grey"),
    S.WITHDRAWN: ("Withdrawn", "grey"),
}
URGENCY_COLOURS = {TargetUnit.HOURS: "red", TargetUnit.WORKING_HOURS: "orange", TargetUnit.WORKING_DAYS: "white"}
BASIS_WORDS = {
    SharingBasis.CONSENT: "The person consented to this referral",
    SharingBasis.AGREEMENT: "A data sharing agreement",
    SharingBasis.VITAL_INTERESTS: "To protect the person's vital interests, without consent",
    SharingBasis.SAFEGUARDING: "Safeguarding, without consent",
}
# Records a referral never carries: other referrals and where the person was signposted.
NOT_ATTACHABLE = {"referrals", "signpostings"}


def _row(key: str, value: str | list[str], *, href: str = "", hidden: str = "") -> dict[str, Any]:
    """A summary list row; a list of values shows one to a line."""
    if isinstance(value, list):
        shown = {"html": Markup("<br>").join(escape(v) for v in value)} if value else {"text": "None"}
    else:
        shown = {"text": value or "Not recorded"}
    row: dict[str, Any] = {"key": {"text": key}, "value": shown}
    if href:
        row["actions"] = {"items": [{"href": href, "text": "Change", "visuallyHiddenText": hidden or key.lower()}]}
    return row


def urgency_text(urgency: UrgencyLevel) -> str:
    """ "Urgent: a decision within 4 hours"."""
    unit = {
        TargetUnit.HOURS: "hour",
        TargetUnit.WORKING_HOURS: "working hour",
        TargetUnit.WORKING_DAYS: "working day",
    }.get(TargetUnit(urgency.unit), urgency.unit)
    plural = "s" if urgency.target != 1 else ""
    return f"{urgency.name}: a decision within {urgency.target} {unit}{plural}"


def state_tag(state: str) -> tuple[str, str]:
    return STATE_TAGS.get(ReferralState(state), (state, "grey")) if state in S.values else (state, "grey")


# ---------------------------------------------------------------------------------------------
# Lists: the inbox, what we sent, the home panel.


@dataclass(frozen=True)
class ReferralRow:
    id: uuid.UUID
    person: str
    pathway: str
    from_agency: str
    to_agency: str
    to_team: str
    urgency: str
    urgency_colour: str
    state: str
    state_colour: str
    sent: str
    clock: str  # "Due in 3 hours", "Overdue by 1 day"
    overdue: bool
    outcome: str


def referral_row(referral: Referral, now: datetime) -> ReferralRow:
    state, colour = state_tag(referral.state)
    waiting = referral.state in S.awaiting_decision()
    return ReferralRow(
        id=referral.pk,
        person=referral.person.full_name,
        pathway=referral.pathway.name,
        from_agency=referral.from_agency.name,
        to_agency=referral.to_agency.name,
        to_team=referral.to_team.name if referral.to_team else "",
        urgency=referral.urgency.name,
        urgency_colour=URGENCY_COLOURS.get(TargetUnit(referral.urgency.unit), "white"),
        state=state,
        state_colour=colour,
        sent=format_datetime(referral.sent_at) if referral.sent_at else "Not sent yet",
        clock=clocks.describe(referral.due_at, now) if waiting else "",
        overdue=referral.overdue(now),
        outcome=outcome(referral),
    )


def referral_rows(shown: Iterable[Shown[Referral]], now: datetime) -> list[ReferralRow]:
    return [referral_row(s.record, now) for s in shown]


def inbox_panel(
    shown: Sequence[Shown[Referral]], *, waiting: int, overdue: int, team: str, now: datetime
) -> dict[str, Any]:
    """The home page's "your team's referral inbox": the next few due, and how many wait or are late."""
    return {"rows": referral_rows(shown, now), "waiting": waiting, "overdue": overdue, "team": team}


# ---------------------------------------------------------------------------------------------
# One referral: what it says, where it has got to, and what the viewer may do with it.


def outcome(referral: Referral) -> str:
    """Where the referral has got to, in words the referrer can read without the receiver's records."""
    to = referral.to_agency.name
    match referral.state:
        case S.DRAFT:
            return "Not sent yet."
        case S.SENT:
            return f"Waiting for {to} to respond."
        case S.ACKNOWLEDGED:
            return f"{to} has seen it and will decide soon."
        case S.ACCEPTED:
            return f"Accepted by {to} on {format_datetime(referral.decided_at)}."
        case S.DECLINED:
            onward = (
                "They referred the person on to another service."
                if referral.onward_referral_id
                else "They signposted the person to another service."
            )
            return f"Declined by {to} on {format_datetime(referral.decided_at)}: {referral.decline_reason} {onward}"
        case S.FIRST_CONTACT:
            return f"Handed over: {referral.receiving_worker_name} of {to} made first contact."
        case S.CLOSED:
            return f"Closed by {to} on {format_datetime(referral.closed_at)}."
        case S.WITHDRAWN:
            return f"Withdrawn on {format_datetime(referral.withdrawn_at)}: {referral.withdrawal_reason}"
    return ""


@dataclass(frozen=True)
class Actions:
    """What the viewer may do with the referral now (the service still checks each one)."""

    send: bool = False
    acknowledge: bool = False
    accept: bool = False
    decline: bool = False
    handover: bool = False
    close: bool = False
    withdraw: bool = False
    again: bool = False

    @property
    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def actions(referral: Referral, agency_id: uuid.UUID | None, *, may_act: bool) -> Actions:
    if not may_act or agency_id is None:
        return Actions()
    receiver, referrer = agency_id == referral.to_agency_id, agency_id == referral.from_agency_id
    state = referral.state
    waiting = state in S.awaiting_decision()
    return Actions(
        send=referrer and state == S.DRAFT,
        acknowledge=receiver and state == S.SENT,
        accept=receiver and waiting,
        decline=receiver and waiting,
        handover=receiver and state == S.ACCEPTED,
        close=receiver and state == S.FIRST_CONTACT,
        withdraw=referrer and (state == S.DRAFT or waiting),
        again=referrer and state in (S.DECLINED, S.WITHDRAWN, S.CLOSED),
    )


@dataclass(frozen=True)
class AttachmentItem:
    kind: str
    label: str


def attachment_items(attachments: Iterable[Shown[Any]]) -> list[AttachmentItem]:
    return [AttachmentItem(type_title(object_ref(s.record)), record_label(s.record)) for s in attachments]


@dataclass
class ReferralPage:
    id: uuid.UUID
    version: int
    person: str
    person_id: uuid.UUID
    heading: str
    state: str
    state_colour: str
    urgency: str
    urgency_colour: str
    overdue: bool
    clock: str
    outcome: str
    incoming: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    handover_rows: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[AttachmentItem] = field(default_factory=list)
    attachment_count: int = 0
    actions: Actions = field(default_factory=Actions)


def _handover_rows(referral: Referral) -> list[dict[str, Any]]:
    if not referral.handover_at:
        return []
    form = HandoverForm(referral.handover_form).label if referral.handover_form in HandoverForm.values else ""
    present = {True: "Yes", False: "No"}.get(referral.person_present, "Not recorded")  # type: ignore[arg-type]
    rows = [
        _row("Receiving worker", referral.receiving_worker_name),
        _row("When", format_datetime(referral.handover_at)),
        _row("How", form),
        _row("The person was there", present),
    ]
    if referral.handover_note:
        rows.append(_row("What was agreed", referral.handover_note))
    return rows


def _basis(referral: Referral) -> list[str]:
    words = [BASIS_WORDS.get(SharingBasis(referral.sharing_basis), referral.sharing_basis)]
    if referral.agreement_id and referral.agreement:
        words.append(referral.agreement.title)
    if referral.sharing_note:
        words.append(referral.sharing_note)
    return words


def referral_page(
    shown: Shown[Referral],
    attachments: Sequence[Shown[Any]],
    *,
    agency_id: uuid.UUID | None,
    may_act: bool,
    now: datetime,
) -> ReferralPage:
    referral = shown.record
    row = referral_row(referral, now)
    incoming = agency_id == referral.to_agency_id
    heading = f"Referral from {row.from_agency}" if incoming else f"Referral to {row.to_agency}"
    to = row.to_agency + (f": {row.to_team}" if row.to_team else "")
    rows = [
        _row("Person", row.person),
        _row("Pathway", row.pathway),
        _row("From", f"{referral.referred_by} at {row.from_agency}"),
        _row("To", to),
        _row("How urgent", urgency_text(referral.urgency)),
        _row("Sent", row.sent),
    ]
    if referral.due_at and referral.state in S.awaiting_decision():
        rows.append(_row("Decision due", format_datetime(referral.due_at)))
    rows += [
        _row("Why they were referred", referral.reason),
        _row("What matters to the person", referral.what_matters),
        _row("Risks", referral.risk_summary),
        _row("Why sharing is lawful", _basis(referral)),
    ]
    if referral.acknowledged_at:
        rows.append(_row("Acknowledged", format_datetime(referral.acknowledged_at)))
    if referral.state not in (S.DRAFT, S.SENT, S.ACKNOWLEDGED, S.WITHDRAWN):
        rows.append(_row("Where it has got to", row.outcome))
    if referral.state == S.WITHDRAWN:
        rows.append(_row("Withdrawn", row.outcome))
    if referral.close_note:
        rows.append(_row("How it ended", referral.close_note))
    return ReferralPage(
        id=referral.pk,
        version=referral.version,
        person=row.person,
        person_id=referral.person_id,
        heading=heading,
        state=row.state,
        state_colour=row.state_colour,
        urgency=row.urgency,
        urgency_colour=row.urgency_colour,
        overdue=row.overdue,
        clock=row.clock,
        outcome=row.outcome,
        incoming=incoming,
        rows=rows,
        handover_rows=_handover_rows(referral),
        attachments=attachment_items(attachments),
        attachment_count=len(referral.attachments),
        actions=actions(referral, agency_id, may_act=may_act),
    )


# ---------------------------------------------------------------------------------------------
# The refer forms' choices.


def pathway_items(pathways: Iterable[Pathway]) -> list[dict[str, Any]]:
    """Each pathway with who it is for (the hint) and what to include (shown when it is chosen)."""
    return [
        {
            "value": str(p.pk),
            "text": f"{p.name} ({p.to_agency.name})",
            "hint": p.eligibility_guidance,
            "required": list(p.required_information or []),
            "description": p.description,
        }
        for p in pathways
    ]


def urgency_choices(pathway: Pathway) -> list[tuple[str, str]]:
    return [(str(u.pk), urgency_text(u)) for u in pathway.urgencies.all()]


def onward_choices(pathways: Iterable[Pathway]) -> list[tuple[str, str]]:
    """One choice per pathway and urgency, for the onward referral of a decline."""
    return [
        (str(u.pk), f"{p.name} ({p.to_agency.name}). {urgency_text(u)}") for p in pathways for u in p.urgencies.all()
    ]


def team_choices(teams: Iterable[Team]) -> list[tuple[str, str]]:
    return [(str(t.pk), t.name) for t in teams]


def worker_choices(users: Iterable[User]) -> list[tuple[str, str]]:
    return [(str(u.pk), str(u)) for u in users]


def agreement_choices(agreements: Iterable[Agreement]) -> list[tuple[str, str]]:
    return [(str(a.pk), a.title) for a in agreements]


def consent_choices(access: PersonAccess, agency_id: uuid.UUID | None) -> list[tuple[str, str]]:
    """The person's consents in force that the referrer can see, described as the person page does."""
    choices = []
    for shown in access.section("consents"):
        if shown.record.in_force():
            item = consent_item(shown, agency_id)
            choices.append((item.id, " ".join([item.summary, *item.sentences])))
    return choices


def attachment_choices(access: PersonAccess, agency_id: uuid.UUID | None) -> list[tuple[str, str]]:
    """The referrer's own agency's records about the person, as the policy shows them (sealed ones stay home)."""

    def own(shown: Shown[Any]) -> bool:
        record = shown.record
        return Ground.OWN_AGENCY in shown.grounds and record.recorded_by_id == agency_id and not record.sealed

    choices = []
    if access.identity and own(access.identity):
        choices.append((object_ref(access.identity.record), f"Identity: {access.identity.record.full_name}"))
    for name, rows in access.sections.items():
        if name in NOT_ATTACHABLE:
            continue
        for shown in rows:
            if own(shown):
                ref = object_ref(shown.record)
                choices.append((ref, f"{type_title(ref)}: {record_label(shown.record)}"))
    return choices


def open_words(match: ServiceMatch) -> str:
    opening = match.opening
    if opening.status == OpenStatus.OPEN:
        return "Open now" + (f", until {format_datetime(opening.until)}" if opening.until else ", day and night")
    if opening.status == OpenStatus.CLOSED:
        return "Closed now" + (f": opens {format_datetime(opening.next_open)}" if opening.next_open else "")
    return "Opening hours not known"


def service_items(matches: Iterable[ServiceMatch], pathways: Iterable[Pathway]) -> list[dict[str, str]]:
    """Directory services for a signposting, each with its hours and any pathway that reaches its agency."""
    by_agency = {p.to_agency_id: p.name for p in pathways}
    items = []
    for match in matches:
        service = match.service
        hint = [open_words(match)]
        if service.description:
            hint.append(service.description[:200])
        pathway = by_agency.get(service.referral_agency_id) if service.referral_agency_id else None
        if pathway:
            hint.append(f"To refer instead, choose the {pathway} pathway above.")
        items.append(
            {"value": str(service.pk), "text": f"{service.name} ({service.organization.name})", "hint": " ".join(hint)}
        )
    return items


def answer_rows(
    data: Mapping[str, Any],
    *,
    pathway: Pathway,
    names: Mapping[str, Mapping[str, str]],
    pathway_url: str,
    details_url: str,
    previous: str = "",
) -> list[dict[str, Any]]:
    """Check your answers: each row links back to its question."""

    def named(kind: str, key: str) -> str:
        return names.get(kind, {}).get(str(data.get(key) or ""), "")

    basis = data.get("sharing_basis") or ""
    basis_words = [BASIS_WORDS.get(SharingBasis(basis), basis)] if basis in SharingBasis.values else []
    if basis == SharingBasis.CONSENT:
        basis_words.append(named("consents", "consent"))
    if basis == SharingBasis.AGREEMENT:
        basis_words.append(named("agreements", "agreement"))
    if data.get("sharing_note"):
        basis_words.append(data["sharing_note"])
    attached = [names.get("attachments", {}).get(ref, ref) for ref in data.get("attachments") or []]
    rows = [
        _row("Service", f"{pathway.name} ({pathway.to_agency.name})", href=pathway_url, hidden="the service"),
        _row("How urgent", named("urgencies", "urgency"), href=f"{details_url}#id_urgency", hidden="how urgent"),
        _row("Team", named("teams", "to_team") or "Any team", href=f"{details_url}#id_to_team", hidden="team"),
        _row("Why you are referring", data.get("reason", ""), href=f"{details_url}#id_reason", hidden="reason"),
        _row(
            "What matters to the person",
            data.get("what_matters", ""),
            href=f"{details_url}#id_what_matters",
            hidden="what matters to the person",
        ),
        _row("Risks", data.get("risk_summary", ""), href=f"{details_url}#id_risk_summary", hidden="risks"),
        _row(
            "Why sharing is lawful",
            [w for w in basis_words if w],
            href=f"{details_url}#id_sharing_basis",
            hidden="why sharing is lawful",
        ),
        _row("Records they will see", attached, href=f"{details_url}#id_attachments", hidden="records they will see"),
    ]
    if previous:
        rows.append(_row("Referring again after", previous))
    return rows

"""Display-ready values for the person pages: templates never reach through relations."""

from dataclasses import dataclass
from typing import Any

from joinedup.core import clock
from joinedup.core.formatting import age, format_date, format_nhs_number
from joinedup.sharing.policy import Ground, PersonAccess, Shown

GROUND_TEXT = {
    Ground.OWN_AGENCY: "your agency recorded it",
    Ground.INVOLVEMENT: "your agency is working with this person",
    Ground.CONSENT: "the person agreed to share it with your agency",
    Ground.AGREEMENT: "a data sharing agreement allows it",
    Ground.REFERRAL: "it was attached to a referral to your agency",
    Ground.EMERGENCY: "you have emergency access",
}


def _sentence(reasons: list[str]) -> str:
    if not reasons:
        return ""
    listed = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
    return f"You can see this because {listed}."


def why(shown: Shown[Any]) -> str:
    """Why the user can see a record, in plain words ("... the person gave consent on 3 March 2026")."""
    return _sentence(list(shown.reasons) or [GROUND_TEXT[g] for g in sorted(shown.grounds)])


@dataclass(frozen=True)
class Row:
    key: str
    value: str

    def as_param(self) -> dict[str, Any]:
        return {"key": {"text": self.key}, "value": {"text": self.value or "Not recorded"}}


def _summary(rows: list[Row]) -> list[dict[str, Any]]:
    return [row.as_param() for row in rows]


def identity_rows(access: PersonAccess) -> list[dict[str, Any]]:
    """The person's identity, other names and other agencies' identifiers: each shown if shared,
    even when the identity itself is not (an agency may share only its own identifier)."""
    rows = []
    if access.identity is not None:
        person = access.identity.record
        born = f"{format_date(person.date_of_birth)} (aged {age(person.date_of_birth)})" if person.date_of_birth else ""
        interpreter = f"Yes: {person.interpreter_language}" if person.interpreter_required else "No"
        rows = [
            Row("Name", person.full_name),
            Row("Known as", person.preferred_name),
            Row("Date of birth", born),
            Row("NHS number", format_nhs_number(person.nhs_number)),
            Row("Gender", person.get_gender_display()),
            Row("Communication needs", person.communication_needs),
            Row("Interpreter needed", interpreter),
        ]
    if access.section("aliases"):
        names = "; ".join(
            f"{a.record.full_name} ({a.record.get_kind_display().lower()})" for a in access.section("aliases")
        )
        rows.insert(2 if rows else 0, Row("Other names", names))
    for shown in access.section("identifiers"):
        identifier = shown.record
        rows.append(Row(f"{identifier.issuer.display_name} {identifier.label}", identifier.value))
    return _summary(rows)


def contact_rows(access: PersonAccess) -> list[dict[str, Any]]:
    rows = []
    for shown_detail in access.section("contact_details"):
        detail = shown_detail.record
        extra = [x for x in (detail.note, "preferred" if detail.preferred else "") if x]
        value = detail.value + (f" ({', '.join(extra)})" if extra else "")
        rows.append(Row(detail.get_kind_display(), value))
    for shown_address in access.section("addresses"):
        address = shown_address.record
        label = ("" if address.current else "Previous ") + f"{address.get_kind_display()} address"
        label = label[0].upper() + label[1:].lower() + (" (sealed)" if address.sealed else "")
        rows.append(Row(label, address.one_line or address.get_kind_display()))
    return _summary(rows)


@dataclass(frozen=True)
class TeamMember:
    agency: str
    team: str
    role: str
    key_worker: str
    phone: str
    email: str
    since: str
    until: str
    own: bool
    involvement_id: str
    why: str
    lead: bool = False


def team_around(access: PersonAccess, own_agency_id: object, *, current: bool = True) -> list[TeamMember]:
    """The agencies working with the person now (or, with current=False, before or from later)."""
    members = []
    lead = lead_agency(access)
    for shown in access.section("involvements"):
        inv = shown.record
        if inv.is_active != current:
            continue
        members.append(
            TeamMember(
                agency=inv.agency.name,
                team=inv.team.name if inv.team else "",
                role=inv.role,
                key_worker=inv.key_worker_display,
                phone=inv.key_worker_phone,
                email=inv.key_worker_email,
                since=format_date(inv.starts_on),
                until=format_date(inv.ends_on),
                own=inv.agency_id == own_agency_id,
                involvement_id=str(inv.pk),
                why=why(shown),
                lead=current and lead is not None and inv.agency_id == lead.agency_id,
            )
        )
    return members


@dataclass(frozen=True)
class Lead:
    agency: str
    agency_id: object
    since: str
    agreed_by: str
    note: str
    why: str


def _lead(shown: Shown[Any]) -> Lead:
    lead = shown.record
    return Lead(
        agency=lead.agency.name,
        agency_id=lead.agency_id,
        since=format_date(lead.starts_on),
        agreed_by=lead.get_agreed_by_display(),
        note=lead.note,
        why=why(shown),
    )


def lead_history(access: PersonAccess) -> list[Lead]:
    """Every lead agency you may see, newest first (the section's order)."""
    today = clock.today()
    return [_lead(s) for s in access.section("lead_agencies") if s.record.starts_on <= today]


def lead_agency(access: PersonAccess) -> Lead | None:
    """The lead now: the latest agreement you may see that has started."""
    history = lead_history(access)
    return history[0] if history else None


def involved_agencies(access: PersonAccess) -> list[Any]:
    """Involvements in force that you may see, one per agency."""
    seen: dict[object, Any] = {}
    for shown in access.section("involvements"):
        if shown.record.is_active:
            seen.setdefault(shown.record.agency_id, shown.record)
    return list(seen.values())


def may_agree_lead(access: PersonAccess, own_agency_id: object) -> bool:
    """Any agency working with the person may record the lead agreed among them."""
    return any(inv.agency_id == own_agency_id for inv in involved_agencies(access))


def section_why(shown: list[Shown[Any]]) -> str:
    """One sentence for a section: every distinct reason its records are visible."""
    reasons = list(dict.fromkeys(r for s in shown for r in (s.reasons or [GROUND_TEXT[g] for g in sorted(s.grounds)])))
    return _sentence(reasons)

"""Display-ready values for the information governance pages and the subject access export."""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from markupsafe import Markup, escape

from joinedup.audit.services import object_ref
from joinedup.core import clock
from joinedup.core.formatting import format_date, format_datetime, format_nhs_number
from joinedup.core.vocabulary import CATEGORY_LABELS, Category, Purpose
from joinedup.sharing.models import Agreement, EmergencyReview, ExportStatus, ReviewOutcome, SubjectAccessExport
from joinedup.sharing.models.agreements import LawfulBasis, SpecialCategoryCondition
from joinedup.sharing.policy import Ground, Shown
from joinedup.sharing.selectors.governance import (
    EXPIRY_WARNING_DAYS,
    Disclosure,
    EmergencyRead,
    HeldRecords,
    Recipient,
)

PURPOSE_TEXT = {
    Purpose.DIRECT_CARE: "Direct care",
    Purpose.FORUM: "Multi-agency forum",
    Purpose.EMERGENCY: "Emergency access",
    Purpose.REVIEW: "Review",
    Purpose.GOVERNANCE: "Information governance",
    Purpose.ANALYTICS: "Analytics",
}

GROUND_TEXT = {
    Ground.OWN_AGENCY: "their agency recorded it",
    Ground.INVOLVEMENT: "their agency is working with the person",
    Ground.CONSENT: "the person's consent",
    Ground.AGREEMENT: "a data sharing agreement",
    Ground.REFERRAL: "attached to a referral to their agency",
    Ground.EMERGENCY: "emergency access",
    Ground.RECORD_SHARE: "a sealed record shared with their agency",
}

SECTION_TITLES = {
    "identity": "Identity",
    "aliases": "Other names",
    "identifiers": "Other agencies' reference numbers",
    "contact_details": "Phone numbers and email addresses",
    "addresses": "Addresses",
    "involvements": "Involvement with the person",
    "case_notes": "Case notes",
    "consents": "Consent to share information",
    "forum_cases": "Multi-agency forum cases",
}

TYPE_TITLES = {
    "people.person": "Identity",
    "people.alias": "Other name",
    "people.localidentifier": "Reference number",
    "people.contactdetail": "Contact detail",
    "people.address": "Address",
    "people.involvement": "Involvement",
    "sharing.casenote": "Case note",
    "sharing.consent": "Consent",
    "sharing.forumcase": "Forum case",
}

# Fields the export leaves out: keys, bookkeeping and the person link (and, in the readable
# version, what every record of the export shares or shows elsewhere).
_PLUMBING = {"id", "person", "created_at", "updated_at"}
_SHOWN_ELSEWHERE = {"recorded_by", "category", "sealed"}


def _sentence(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def grounds_text(grounds: Iterable[str]) -> str:
    return _sentence([GROUND_TEXT.get(Ground(g), g) if g in Ground else g for g in sorted(grounds)])


def purpose_text(purpose: str) -> str:
    return PURPOSE_TEXT.get(Purpose(purpose), purpose) if purpose in Purpose else purpose


def category_text(category: str) -> str:
    return CATEGORY_LABELS[Category(category)] if category in Category else category


def type_title(ref_or_label: str) -> str:
    label = ref_or_label.partition(":")[0]
    return TYPE_TITLES.get(label, label.rpartition(".")[2].replace("_", " ").capitalize())


# ---------------------------------------------------------------------------------------------
# Records: a short label for logs, and every field for the export.


def record_label(record: Any) -> str:
    """A few words that tell an IG lead which record this is (sealed addresses stay vague)."""
    label = record._meta.label_lower
    if label == "people.person":
        return record.full_name
    if record.sealed and label != "people.address":
        return f"{type_title(label)} (sealed)"
    if label == "people.alias":
        return f"{record.get_kind_display()}: {record.full_name}"
    if label == "people.localidentifier":
        return f"{record.label} {record.value}"
    if label == "people.contactdetail":
        return f"{record.get_kind_display()} {record.value}"
    if label == "people.address":
        kind = record.get_kind_display()
        return f"{kind} (sealed)" if record.sealed else f"{kind}: {record.one_line}".rstrip(": ")
    if label == "people.involvement":
        return f"{record.agency} from {format_date(record.starts_on)}"
    if label == "sharing.forumcase":
        return f"{record.forum} from {format_date(record.opened_at)}"
    text = str(record)
    return text if " object (" not in text else type_title(label)


def _display(record: models.Model, f: models.Field[Any, Any]) -> str:
    value = getattr(record, f.name)
    if value is None or value == "":
        return ""
    if f.choices:
        return str(getattr(record, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        full_name = getattr(value, "get_full_name", None)
        return (full_name() if callable(full_name) else "") or str(value)
    if f.name == "nhs_number":
        return format_nhs_number(value)
    if isinstance(value, list):
        return ", ".join(category_text(str(v)) for v in value)
    return str(value)


def _raw(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _field_label(f: models.Field[Any, Any]) -> str:
    label = str(f.verbose_name)
    return label[:1].upper() + label[1:]


def _fields(record: models.Model) -> list[models.Field[Any, Any]]:
    return [f for f in record._meta.concrete_fields if f.name not in _PLUMBING]


def _consent_provisions(record: Any) -> list[dict[str, str]]:
    """A consent's provisions in words: who can (or must not) see what, for what."""
    rows = []
    for provision in record.provisions.all():
        recipients = [a.name for a in provision.recipient_agencies.all()]
        recipients += [f.name for f in provision.recipient_forums.all()]
        if provision.any_recipient:
            recipients.append("any agency")
        scopes = sorted(provision.scopes.all(), key=lambda s: (s.category, s.purpose))
        what = _sentence([f"{category_text(s.category).lower()} for {purpose_text(s.purpose).lower()}" for s in scopes])
        label = provision.get_kind_display()
        rows.append({"label": label, "value": f"{_sentence(recipients) or 'Nobody named'}: {what or 'nothing named'}"})
    return rows


def record_export(shown: Shown[Any]) -> dict[str, Any]:
    """One record for the JSON export: raw values (ids for links to other rows) plus readable ones."""
    record = shown.record
    fields = _fields(record)
    extra = _consent_provisions(record) if record._meta.label_lower == "sharing.consent" else []
    return {
        "ref": object_ref(record),
        "type": type_title(record._meta.label_lower),
        "label": record_label(record),
        "category": str(record.category),
        "category_label": category_text(str(record.category)),
        "sealed": bool(record.sealed),
        "recorded_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "values": {f.attname: _raw(getattr(record, f.attname)) for f in fields},
        "readable": [
            {"label": _field_label(f), "value": text}
            for f in fields
            if f.name not in _SHOWN_ELSEWHERE and (text := _display(record, f))
        ]
        + extra,
    }


def audit_entry(shown: Shown[Any]) -> dict[str, Any]:
    """How an access event names an exported record (as the policy's own entries do)."""
    return {
        "ref": object_ref(shown.record),
        "agency": str(shown.record.recorded_by_id),
        "category": str(shown.record.category),
        "grounds": sorted(shown.grounds),
    }


def recipient_export(recipient: Recipient) -> dict[str, Any]:
    return {
        "agency": recipient.agency_name,
        "agency_id": str(recipient.agency_id) if recipient.agency_id else None,
        "name": recipient.user_name,
        "user_id": str(recipient.user_id) if recipient.user_id else None,
        "roles": recipient.roles,
        "first_shown_at": recipient.first_seen.isoformat(),
        "last_shown_at": recipient.last_seen.isoformat(),
        "times": recipient.times,
        "categories": sorted(recipient.categories),
        "purposes": sorted(recipient.purposes),
        "grounds": sorted(recipient.grounds),
    }


def subject_access_document(
    *,
    export: SubjectAccessExport,
    agency_name: str,
    person_name: str | None,
    held: HeldRecords,
    recipients: list[Recipient],
    generated_at: datetime,
) -> dict[str, Any]:
    """The JSON export: what the agency holds about the person, and to whom it was shown."""
    sections = [("identity", [held.person])] if held.person else []
    sections += held.sections
    return {
        "format": "joinedup-subject-access/1",
        "controller": {"agency": agency_name, "agency_id": str(export.agency_id)},
        "person": {"id": str(export.person_id), "name": person_name},
        "request": {
            "id": str(export.pk),
            "reference": export.reference,
            "received_on": export.received_on.isoformat(),
            "due_on": export.due_on.isoformat(),
        },
        "generated_at": generated_at.isoformat(),
        "records": [
            {"section": name, "title": SECTION_TITLES.get(name, name.replace("_", " ").capitalize())}
            | {"items": [record_export(s) for s in rows]}
            for name, rows in sections
        ],
        "recipients": [recipient_export(r) for r in recipients],
    }


def subject_access_pdf_context(document: Mapping[str, Any]) -> dict[str, Any]:
    """What the PDF template shows: the JSON document, with dates and words for people."""
    request = document["request"]
    agency = document["controller"]["agency"]
    recipients = [
        {
            **r,
            "first": format_datetime(datetime.fromisoformat(r["first_shown_at"])),
            "last": format_datetime(datetime.fromisoformat(r["last_shown_at"])),
            "what": _sentence([category_text(c) for c in r["categories"]]),
            "why": _sentence([purpose_text(p).lower() for p in r["purposes"]]),
            "roles_text": ", ".join(r["roles"]),
        }
        for r in document["recipients"]
    ]
    return {
        "title": f"Information {agency} holds about {document['person']['name'] or 'the person'}",
        "document": document,
        "received_on": format_date(date.fromisoformat(request["received_on"])),
        "due_on": format_date(date.fromisoformat(request["due_on"])),
        "generated_at": format_datetime(datetime.fromisoformat(document["generated_at"])),
        "recipients": recipients,
        "record_total": sum(len(s["items"]) for s in document["records"]),
    }


# ---------------------------------------------------------------------------------------------
# Agreements.


@dataclass(frozen=True)
class Status:
    text: str
    colour: str
    warning: bool = False


def agreement_status(agreement: Agreement, today: date | None = None) -> Status:
    today = today or clock.today()
    if agreement.ends_on is not None and agreement.ends_on < today:
        return Status("Expired", "red")
    if agreement.signed_off_at is None:
        return Status("Waiting for sign-off", "grey")
    if agreement.starts_on > today:
        return Status(f"Starts on {format_date(agreement.starts_on)}", "blue")
    if agreement.ends_on is not None and (agreement.ends_on - today).days <= EXPIRY_WARNING_DAYS:
        days = (agreement.ends_on - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        return Status(f"Expires {when}", "orange", warning=True)
    return Status("In force", "green")


@dataclass(frozen=True)
class PartySignoff:
    agency_id: uuid.UUID
    agency: str
    signed: bool
    text: str


def party_signoffs(agreement: Agreement) -> list[PartySignoff]:
    by_agency = {s.agency_id: s for s in agreement.signoffs.all()}
    rows = []
    for party in sorted(agreement.parties.all(), key=lambda a: a.name):
        signoff = by_agency.get(party.pk)
        if signoff:
            who = signoff.signed_by.display_name
            rows.append(
                PartySignoff(party.pk, party.name, True, f"Signed off by {who} on {format_date(signoff.signed_at)}")
            )
        else:
            rows.append(PartySignoff(party.pk, party.name, False, "Not signed off yet"))
    return rows


def _scopes(agreement: Agreement) -> tuple[list[str], list[str]]:
    scopes = list(agreement.scopes.all())
    categories = sorted({s.category for s in scopes}, key=lambda c: list(Category).index(Category(c)))
    purposes = sorted({s.purpose for s in scopes})
    return [category_text(c) for c in categories], [purpose_text(p) for p in purposes]


def lawful_basis_text(agreement: Agreement) -> list[str]:
    lines = [LawfulBasis(agreement.lawful_basis).label]
    if agreement.special_category_condition != SpecialCategoryCondition.NONE:
        lines.append(SpecialCategoryCondition(agreement.special_category_condition).label)
    if agreement.schedule_1_condition:
        lines.append(f"DPA 2018 Schedule 1: {agreement.schedule_1_condition}")
    if agreement.law_enforcement:
        lines.append("DPA 2018 Part 3 (law enforcement processing)")
    return lines


def agreement_row(agreement: Agreement, today: date) -> dict[str, Any]:
    signoffs = party_signoffs(agreement)
    waiting = [s.agency for s in signoffs if not s.signed]
    signed = len(signoffs) - len(waiting)
    return {
        "id": agreement.pk,
        "href": reverse("sharing:agreement_detail", kwargs={"agreement_id": agreement.pk}),
        "title": agreement.title,
        "reference": agreement.reference,
        "parties": _sentence([s.agency for s in signoffs]),
        "status": agreement_status(agreement, today),
        "signoffs": f"All {len(signoffs)} parties signed off"
        if not waiting
        else f"{signed} of {len(signoffs)} signed off; waiting for {_sentence(waiting)}",
        "starts_on": format_date(agreement.starts_on),
        "ends_on": format_date(agreement.ends_on) or "No end date",
        "review_on": format_date(agreement.review_on),
        "review_due": agreement.review_on <= today,
    }


def agreement_summary(agreement: Agreement, today: date) -> list[dict[str, Any]]:
    """Rows for the agreement page's summary list."""
    categories, purposes = _scopes(agreement)
    forums = [f.name for f in agreement.forums.all()]

    def row(key: str, value: str | list[str]) -> dict[str, Any]:
        if isinstance(value, list):
            html = Markup("<br>").join(escape(v) for v in value) if value else Markup("None")
            return {"key": {"text": key}, "value": {"html": html}}
        return {"key": {"text": key}, "value": {"text": value or "Not recorded"}}

    rows = [
        row("Status", agreement_status(agreement, today).text),
        row("Reference", agreement.reference),
        row("What it is for", agreement.description),
        row("Drafted by", f"{agreement.owner.name}"),
        row("Information it covers", categories),
        row("What it can be used for", purposes),
        row("Lawful basis", lawful_basis_text(agreement)),
        row("Forums operating under it", forums or ["None"]),
        row("Starts", format_date(agreement.starts_on)),
        row("Ends", format_date(agreement.ends_on) or "No end date"),
        row("Review by", format_date(agreement.review_on)),
    ]
    if agreement.relies_on_consent:
        rows.append(
            row("Note", "It relies on consent, so it is never a ground for sharing by itself: record the consent")
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Emergency access reviews.


def due_status(due_on: date, today: date) -> Status:
    if due_on < today:
        return Status(f"Overdue: was due {format_date(due_on)}", "red", warning=True)
    if due_on == today:
        return Status("Due today", "orange", warning=True)
    return Status(f"Due {format_date(due_on)}", "blue")


def review_row(review: EmergencyReview, today: date, names: Mapping[uuid.UUID, str]) -> dict[str, Any]:
    grant = review.grant
    return {
        "id": review.pk,
        "href": reverse("sharing:emergency_review", kwargs={"review_id": review.pk}),
        "who": grant.user.display_name,
        "agency": grant.agency.name,
        "person": names.get(grant.person_id, "A person your agency holds records about"),
        "reason": grant.get_reason_display(),
        "granted_at": format_datetime(grant.granted_at),
        "first_used_at": format_datetime(review.first_used_at),
        "uses": review.uses,
        "due": due_status(review.due_on, today),
        "due_on": format_date(review.due_on),
        "overdue": review.due_on < today,
        "decided": review.outcome != ReviewOutcome.PENDING,
        "outcome": review.get_outcome_display(),
        "reviewed_by": review.reviewed_by.display_name if review.reviewed_by else "",
        "reviewed_at": format_datetime(review.reviewed_at),
        "note": review.note,
    }


def grant_summary(review: EmergencyReview, person: str) -> list[dict[str, Any]]:
    grant = review.grant
    ended = grant.ended_at or grant.expires_at
    rows = [
        ("Person", person),
        ("Who", f"{grant.user.display_name}, {grant.agency.name}"),
        ("Reason", grant.get_reason_display()),
        ("What they said", grant.explanation),
        ("Granted", format_datetime(grant.granted_at)),
        ("Ended" if grant.ended_at else "Expires", format_datetime(ended)),
        ("First read your records", format_datetime(review.first_used_at)),
        ("Last read your records", format_datetime(review.last_used_at)),
        ("Times your records were read", str(review.uses)),
        ("Review due", format_date(review.due_on)),
    ]
    return [{"key": {"text": k}, "value": {"text": v or "Not recorded"}} for k, v in rows]


def _labelled(refs: Iterable[str], records: Mapping[str, Shown[Any]]) -> list[dict[str, str]]:
    labelled = []
    for ref in refs:
        shown = records.get(ref)
        labelled.append(
            {
                "type": type_title(ref),
                "label": record_label(shown.record) if shown else "No longer held, or no longer readable",
            }
        )
    return labelled


def emergency_reads(reads: list[EmergencyRead], records: Mapping[str, Shown[Any]]) -> list[dict[str, Any]]:
    return [{"when": format_datetime(r.occurred_at), "records": _labelled(r.refs, records)} for r in reads]


# ---------------------------------------------------------------------------------------------
# Disclosure log.


def disclosure_rows(entries: list[Disclosure], records: Mapping[str, Shown[Any]]) -> list[dict[str, Any]]:
    return [
        {
            "when": format_datetime(e.occurred_at),
            "who": e.user_name,
            "agency": e.agency_name,
            "own_agency": e.own_agency,
            "roles": ", ".join(e.roles) or "No role",
            "purpose": purpose_text(e.purpose),
            "grounds": grounds_text(e.grounds) or "Not recorded",
            "records": [
                {**item, "category": category_text(str(entry.get("category", "")))}
                for entry, item in zip(e.records, _labelled([r["ref"] for r in e.records], records), strict=True)
            ],
            "reason": e.reason,
        }
        for e in entries
    ]


# ---------------------------------------------------------------------------------------------
# Subject access exports.


def export_row(export: SubjectAccessExport, today: date) -> dict[str, Any]:
    colours = {
        ExportStatus.QUEUED: "grey",
        ExportStatus.RUNNING: "blue",
        ExportStatus.READY: "green",
        ExportStatus.FAILED: "red",
    }
    progress = ""
    if export.status == ExportStatus.RUNNING:
        progress = f"{export.progress}% done: {export.step}" if export.step else f"{export.progress}% done"
    elif export.status == ExportStatus.QUEUED:
        progress = "Waiting for the background worker to start it"
    elif export.status == ExportStatus.FAILED:
        progress = "Something went wrong. Start a new export; if it fails again, tell your system administrator."
    elif export.status == ExportStatus.READY:
        progress = f"{export.record_count} records; shown to {export.recipient_count} people at other agencies"
    return {
        "id": export.pk,
        "person_id": export.person_id,
        "reference": export.reference or "No reference",
        "received_on": format_date(export.received_on),
        "due": due_status(export.due_on, today) if export.due_on >= today or not export.finished else None,
        "due_on": format_date(export.due_on),
        "status": Status(export.get_status_display(), colours[ExportStatus(export.status)]),
        "progress": progress,
        "percent": export.progress,
        "ready": export.status == ExportStatus.READY,
        "started": format_datetime(export.created_at),
        "finished": format_datetime(export.finished_at),
    }

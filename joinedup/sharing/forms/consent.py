"""The consent question page, and the review and withdraw forms.

Field names follow the service's arguments (and so FHIR's Consent: provision actor, class,
purpose, period), so that its errors land beside the right field.
"""

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.forms import DatePartsField
from joinedup.core.vocabulary import Category, Purpose
from joinedup.sharing.models import ConsentStatus, Forum, ProvisionKind
from joinedup.sharing.models.consent import Capacity, GivenBy, Method
from joinedup.sharing.services.consent import ProvisionSpec, evidence_problem

# Purposes as the person would say them (DESIGN §3's purposes; analytics is never consented to).
PURPOSE_LABELS = {
    Purpose.DIRECT_CARE: "Your care",
    Purpose.FORUM: "Multi-agency forum meetings",
    Purpose.EMERGENCY: "An emergency",
    Purpose.REVIEW: "Reviews when things went wrong",
    Purpose.GOVERNANCE: "Information governance",
}
CONSENTABLE_PURPOSES = tuple(PURPOSE_LABELS)
STATUS_LABELS = {ConsentStatus.GIVEN: "Yes, they agreed", ConsentStatus.REFUSED: "No, they refused"}


def one_year_on(day: date) -> date:
    """The same day next year (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in England, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=clock.LONDON)


def _checkboxes(label: str, choices: list[tuple[str, str]], help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class ConsentForm(forms.Form):
    """Every answer of the "record consent" question page."""

    status = forms.ChoiceField(
        label="Did the person agree to share their information?",
        choices=list(STATUS_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person agreed or refused"},
    )
    recipient_agencies = _checkboxes(
        "Who can see it?", [], "Choose the agencies the person agreed (or refused) to share with"
    )
    recipient_forums = _checkboxes("Which multi-agency forums can see it? (optional)", [])
    categories = _checkboxes(
        "What information can they see?", [(c.value, c.label) for c in Category], "Choose all that apply"
    )
    purposes = _checkboxes(
        "What can it be used for?", [(p.value, label) for p, label in PURPOSE_LABELS.items()], "Choose all that apply"
    )
    source_agencies = _checkboxes(
        "Whose information? (optional)", [], "Leave these unticked to include information from any agency"
    )
    deny_agencies = _checkboxes(
        "Is there an agency that must not see some of their information? (optional)",
        [],
        "For example, the person says the police must not see their substance use information",
    )
    deny_categories = _checkboxes(
        "What information must that agency not see?",
        [(c.value, c.label) for c in Category],
        "Only if you chose an agency above",
    )
    starts_on = DatePartsField(
        label="Start date", help_text="For example, 27 3 2026", error_messages={"required": "Enter the start date"}
    )
    ends_on = DatePartsField(
        label="End date (optional)",
        required=False,
        help_text="The last day the person agreed to. Leave it blank if they did not give one.",
    )
    review_on = DatePartsField(
        label="Review date",
        future_only=True,
        help_text="When to check with the person that this is still what they want. Usually in 12 months.",
        error_messages={"required": "Enter the review date"},
    )
    given_by = forms.ChoiceField(
        label="Who gave or refused consent?",
        choices=GivenBy.choices,
        initial=GivenBy.PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who gave or refused consent"},
    )
    representative_name = forms.CharField(
        label="Name of the person acting for them (if someone else decided)", max_length=200, required=False
    )
    representative_relationship = forms.CharField(
        label="Their relationship to the person",
        max_length=120,
        required=False,
        help_text="For example, lasting power of attorney for health and welfare",
    )
    capacity = forms.ChoiceField(
        label="Does the person have capacity to make this decision?",
        choices=Capacity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person has capacity to make this decision"},
    )
    capacity_note = forms.CharField(
        label="How capacity was assessed (optional)", required=False, widget=forms.Textarea, max_length=2000
    )
    method = forms.ChoiceField(
        label="How did they give or refuse consent?",
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how the person gave or refused consent"},
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="A PDF, JPG or PNG up to 5MB, for example a signed consent form",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"empty": "The selected file is empty", "invalid": "The selected file could not be read"},
    )
    remove_evidence = forms.BooleanField(label="Remove the file already attached", required=False)
    notes = forms.CharField(label="Anything else (optional)", required=False, widget=forms.Textarea, max_length=4000)

    def __init__(
        self, *args: Any, agencies: list[Agency], forums: list[Forum], own_agency: uuid.UUID | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Any agency's information may be named as a source; the recording agency needs no consent to see its own.
        self.fields["source_agencies"].choices = [(str(a.pk), a.name) for a in agencies]  # type: ignore[attr-defined]
        others = [(str(a.pk), a.name) for a in agencies if a.pk != own_agency]
        for name in ("recipient_agencies", "deny_agencies"):
            self.fields[name].choices = others  # type: ignore[attr-defined]
        self.fields["recipient_forums"].choices = [(str(f.pk), f.name) for f in forums]  # type: ignore[attr-defined]
        if not forums:
            del self.fields["recipient_forums"]
        today = clock.today()
        self.fields["starts_on"].initial = today
        self.fields["review_on"].initial = one_year_on(today)
        self.fields["purposes"].initial = [Purpose.DIRECT_CARE.value]

    def clean_evidence(self) -> UploadedFile | None:
        evidence = self.cleaned_data.get("evidence")
        if evidence and (problem := evidence_problem(evidence)):
            raise forms.ValidationError(problem)
        return evidence or None

    def clean_ends_on(self) -> date | None:
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on is not None and ends_on <= clock.today():
            raise forms.ValidationError("The end date must be in the future")
        return ends_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("status") == ConsentStatus.GIVEN
        recipients = data.get("recipient_agencies") or data.get("recipient_forums")
        # A refusal may name what was asked, or nothing at all; consent given must say who, what and why.
        if given or recipients or data.get("categories"):
            if not recipients:
                self.add_error("recipient_agencies", "Choose who can see the information")
            if not data.get("categories"):
                self.add_error("categories", "Choose what information they can see")
            if not data.get("purposes"):
                self.add_error("purposes", "Choose what the information can be used for")
        if data.get("deny_agencies") and not data.get("deny_categories"):
            self.add_error("deny_categories", "Choose what information that agency must not see")
        if data.get("deny_categories") and not data.get("deny_agencies"):
            self.add_error("deny_agencies", "Choose the agency that must not see it")
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on and "ends_on" not in self.errors:
            self.add_error("ends_on", "The end date must be after the start date")
        if data.get("given_by") == GivenBy.REPRESENTATIVE:
            if not (data.get("representative_name") or "").strip():
                self.add_error("representative_name", "Enter the name of the person acting for them")
            if not (data.get("representative_relationship") or "").strip():
                self.add_error("representative_relationship", "Enter their relationship to the person")
        return data

    def provisions(self) -> list[ProvisionSpec]:
        """The rules these answers make: one permit (or what was refused), and a deny if asked for."""
        data = self.cleaned_data
        specs = []
        recipients = data.get("recipient_agencies") or data.get("recipient_forums")
        if recipients:
            specs.append(
                ProvisionSpec(
                    kind=ProvisionKind.PERMIT,
                    recipient_agencies=tuple(uuid.UUID(a) for a in data.get("recipient_agencies") or ()),
                    recipient_forums=tuple(uuid.UUID(f) for f in data.get("recipient_forums") or ()),
                    categories=tuple(data["categories"]),
                    purposes=tuple(data["purposes"]),
                    source_agencies=tuple(uuid.UUID(a) for a in data.get("source_agencies") or ()),
                )
            )
        if data.get("deny_agencies"):
            specs.append(
                ProvisionSpec(
                    kind=ProvisionKind.DENY,
                    recipient_agencies=tuple(uuid.UUID(a) for a in data["deny_agencies"]),
                    categories=tuple(data["deny_categories"]),
                    purposes=CONSENTABLE_PURPOSES,
                )
            )
        return specs

    def service_kwargs(self) -> dict[str, Any]:
        """The answers as `consent_validate` / `consent_record` take them (evidence aside)."""
        data = self.cleaned_data
        today = clock.today()
        starts_on: date = data["starts_on"]
        ends_on: date | None = data.get("ends_on")
        representative = data["given_by"] == GivenBy.REPRESENTATIVE
        return {
            "status": data["status"],
            "method": data["method"],
            "provisions": self.provisions(),
            # Today means from now; another day from its start. The end date is the last day it applies.
            "starts_at": clock.now() if starts_on == today else start_of(starts_on),
            "ends_at": start_of(ends_on + timedelta(days=1)) if ends_on else None,
            "review_on": data["review_on"],
            "given_by": data["given_by"],
            "representative_name": data["representative_name"] if representative else "",
            "representative_relationship": data["representative_relationship"] if representative else "",
            "capacity": data["capacity"],
            "capacity_note": data.get("capacity_note", ""),
            "notes": data.get("notes", ""),
        }


# Where the service's error keys belong on this page.
SERVICE_FIELDS = {"starts_at": "starts_on", "ends_at": "ends_on", "provisions": "recipient_agencies"}


class ConsentConfirmForm(forms.Form):
    """The "check your answers" page posts back the one-time token of the answers it showed."""

    token = forms.CharField(max_length=64)


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="How did the person withdraw their consent?",
        widget=forms.Textarea,
        max_length=4000,
        help_text="In their words if you can. Agencies stop seeing the information straight away.",
        error_messages={"required": "Say how the person withdrew consent, in their words if you can"},
    )


class ConsentReviewForm(forms.Form):
    still_valid = forms.BooleanField(
        label="I have checked with the person and this is still what they want",
        error_messages={"required": "Confirm that you have checked with the person"},
    )
    next_review_on = DatePartsField(
        label="Next review date",
        help_text="Usually in 12 months",
        error_messages={"required": "Enter the next review date"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_review_on"].initial = one_year_on(clock.today())

    def clean_next_review_on(self) -> date:
        value: date = self.cleaned_data["next_review_on"]
        if value <= clock.today():
            raise forms.ValidationError("The next review date must be in the future")
        return value

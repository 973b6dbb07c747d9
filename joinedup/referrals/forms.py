"""The referral forms: refer (pathway, then the details), and the receiver's and referrer's actions.

Field names follow the services' arguments, so a service's errors land beside the right field.
Choices are passed in by the view (what this user may choose); a choice outside them is refused
here with the same words the service would use.
"""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms

from joinedup.core import clock
from joinedup.core.forms import DatePartsField
from joinedup.referrals.models import HandoverForm, SharingBasis

type Choices = list[tuple[str, str]]

REQUIRED_TEXT = {
    "reason": "Say why you are referring, in plain words",
    "decline_reason": "Say why your service is not the right one",
    "withdrawal_reason": "Say why you are withdrawing the referral",
}
NO_ONWARD_ROUTE = "Choose an onward route: refer to another service, or record where you signposted the person"


def _text(label: str, *, required: bool = False, help_text: str = "", message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea,
        max_length=4000,
        help_text=help_text,
        error_messages={"required": message} if message else {},
    )


def _radios(label: str, choices: Choices, message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
    )


class VersionForm(forms.Form):
    """The version of the referral the user was looking at when they acted."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PathwayForm(forms.Form):
    pathway = _radios("Which service do you want to refer to?", [], "Choose the service you are referring to")

    def __init__(self, *args: Any, pathways: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = pathways  # type: ignore[attr-defined]


class ReferForm(forms.Form):
    """The details of a referral through one pathway."""

    urgency = _radios("How urgent is it?", [], "Choose how urgent it is")
    to_team = forms.ChoiceField(
        label="Which team? (optional)",
        required=False,
        choices=[],
        help_text="Leave it to the service to decide if you do not know",
        error_messages={"invalid_choice": "Choose one of the receiving agency's teams"},
    )
    reason = _text("Why are you referring?", required=True, message=REQUIRED_TEXT["reason"])
    what_matters = _text(
        "What matters to the person? (optional)", help_text="In their own words if you can: what they want to happen"
    )
    risk_summary = _text(
        "Risks",
        required=True,
        help_text="Risks to the person and to others, or write that none are known",
        message="Summarise the risks, or write that none are known",
    )
    sharing_basis = _radios(
        "Why is it lawful to share this referral?",
        SharingBasis.choices,
        "Say why it is lawful to share this referral",
    )
    consent = _radios(
        "If the person consented: which consent?",
        [],
        "Choose the person's consent that is in force, or record their consent first",
    )
    agreement = _radios(
        "If under a data sharing agreement: which one?",
        [],
        "Choose a data sharing agreement in force between your agency and theirs",
    )
    sharing_note = _text(
        "If without consent: why sharing is justified",
        help_text="Needed when you share to protect the person's vital interests or for safeguarding",
    )
    attachments = forms.MultipleChoiceField(
        label="Which of your agency's records should they see? (optional)",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these, and the referral itself, become visible to the service you refer to",
        error_messages={"invalid_choice": "Attach only your own agency's records about this person"},
    )

    def __init__(
        self,
        *args: Any,
        urgencies: Choices,
        teams: Choices,
        consents: Choices,
        agreements: Choices,
        attachments: Choices,
        risk_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["urgency"].choices = urgencies  # type: ignore[attr-defined]
        self.fields["to_team"].choices = [("", "Any team"), *teams]  # type: ignore[attr-defined]
        self.fields["consent"].choices = consents  # type: ignore[attr-defined]
        self.fields["agreement"].choices = agreements  # type: ignore[attr-defined]
        self.fields["attachments"].choices = attachments  # type: ignore[attr-defined]
        for name in ("consent", "agreement"):
            self.fields[name].required = False
        if not risk_required:
            self.fields["risk_summary"].required = False
            self.fields["risk_summary"].label = "Risks (optional)"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        basis = data.get("sharing_basis")
        if basis == SharingBasis.CONSENT and not data.get("consent") and "consent" not in self.errors:
            self.add_error("consent", self.fields["consent"].error_messages["required"])
        if basis == SharingBasis.AGREEMENT and not data.get("agreement") and "agreement" not in self.errors:
            self.add_error("agreement", self.fields["agreement"].error_messages["required"])
        if (
            basis in (SharingBasis.VITAL_INTERESTS, SharingBasis.SAFEGUARDING)
            and not data.get("sharing_note", "").strip()
        ):
            self.add_error("sharing_note", "Explain why sharing without consent is justified")
        return data


class Route:
    PATHWAY = "pathway"
    DIRECTORY = "directory"
    OTHER = "other"


ROUTES = [
    (Route.PATHWAY, "Refer the person on to another service, through one of the partnership's pathways"),
    (Route.DIRECTORY, "Signpost the person to a service in the directory"),
    (Route.OTHER, "Signpost the person to another service"),
]


class DeclineForm(VersionForm):
    """Decline, always with an onward route: a new referral or a recorded signposting, in one step."""

    decline_reason = _text(
        "Why is your service not the right one?", required=True, message=REQUIRED_TEXT["decline_reason"]
    )
    route = _radios("Where should the person go instead?", ROUTES, NO_ONWARD_ROUTE)
    onward_urgency = _radios("Which pathway, and how urgent?", [], "Choose the pathway to refer the person on through")
    need = forms.CharField(
        label="What does the person need?",
        required=False,
        max_length=200,
        help_text="For example, peer support, debt advice or somewhere to go this evening",
    )
    service = _radios("Which service?", [], "Choose a service from the directory, or search for one")
    signpost_name = forms.CharField(
        label="Name of the service you signposted the person to",
        required=False,
        max_length=200,
        error_messages={"required": "Name the service you signposted the person to"},
    )
    onward_reason = _text(
        "Why does this route suit the person?",
        required=True,
        help_text="The next service and the person will read this",
        message="Say why this onward route suits the person",
    )
    person_told = forms.BooleanField(label="The person has been told where to go", required=False)

    def __init__(self, *args: Any, urgencies: Choices, services: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["onward_urgency"].choices = urgencies  # type: ignore[attr-defined]
        self.fields["service"].choices = services  # type: ignore[attr-defined]
        for name in ("onward_urgency", "service"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        route = data.get("route")
        needed = {Route.PATHWAY: "onward_urgency", Route.DIRECTORY: "service", Route.OTHER: "signpost_name"}
        name = needed.get(route or "")
        if name and not (data.get(name) or "").strip() and name not in self.errors:
            field = self.fields[name]
            self.add_error(name, field.error_messages.get("required") or "Choose one")
        return data


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """ "14:30", "2.30pm", "9am" -> a time; None if it is not one."""
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # "14" alone is too easy to misread
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class HandoverFormFields(VersionForm):
    """The warm handover: who from the receiving service spoke with the referrer, when and how."""

    receiving_worker = forms.ChoiceField(label="Who made first contact?", required=False, choices=[])
    receiving_worker_name = forms.CharField(
        label="Or their name, if they are not listed", required=False, max_length=200
    )
    handover_on = DatePartsField(
        label="Date of the handover conversation",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the handover conversation"},
    )
    handover_time = forms.CharField(
        label="Time",
        max_length=10,
        help_text="For example, 14:30 or 2:30pm",
        error_messages={"required": "Enter the time of the handover conversation"},
    )
    handover_form = _radios(
        "How did the handover conversation happen?", HandoverForm.choices, "Say how the handover conversation happened"
    )
    person_present = _radios(
        "Was the person there?",
        [("yes", "Yes, the person took part"), ("no", "No")],
        "Say whether the person was there",
    )
    note = _text("What was agreed (optional)")

    def __init__(self, *args: Any, workers: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_worker"].choices = [("", "Someone not listed"), *workers]  # type: ignore[attr-defined]
        self.fields["receiving_worker"].error_messages["invalid_choice"] = "The worker must be from your agency"

    def clean_handover_time(self) -> time:
        value = parse_time(self.cleaned_data.get("handover_time") or "")
        if value is None:
            raise forms.ValidationError("Enter a real time, like 14:30")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("receiving_worker") and not (data.get("receiving_worker_name") or "").strip():
            self.add_error("receiving_worker", "Name the worker who made first contact")
        day, at = data.get("handover_on"), data.get("handover_time")
        if isinstance(day, date) and isinstance(at, time):
            data["handover_at"] = datetime.combine(day, at, tzinfo=clock.LONDON)
        return data


class CloseForm(VersionForm):
    note = _text("How did it end? (optional)", help_text="For example, the person is now under the crisis team")


class WithdrawForm(VersionForm):
    withdrawal_reason = _text(
        "Why are you withdrawing the referral?", required=True, message=REQUIRED_TEXT["withdrawal_reason"]
    )

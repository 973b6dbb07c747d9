"""The crisis pages' forms. Logging a contact needs few fields: how, when, what for, and who."""

import re
from datetime import date, datetime, time
from typing import Any, cast

from django import forms

from joinedup.core import clock
from joinedup.core.forms import DatePartsField
from joinedup.crisis.models import Channel, TriageOutcome
from joinedup.people.models import Gender
from joinedup.referrals.models import Pathway, SharingBasis

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(am|pm)?\s*$", re.IGNORECASE)
OUTCOME_CHOICES = [("", "Not decided yet"), *TriageOutcome.choices]


def parse_time(text: str) -> time | None:
    """ "14:05", "14.05", "2:05pm" as a time of day; None if it is not one."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2]), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class VersionForm(forms.Form):
    """Every change carries the version the worker saw, so no one's changes are lost."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LogForm(forms.Form):
    channel = forms.ChoiceField(label="How did the contact come in?", choices=Channel.choices, widget=forms.RadioSelect)
    received_date = DatePartsField(label="Date it came in", past_only=True, help_text="For example, 27 3 2026")
    received_time = forms.CharField(
        label="Time it came in", max_length=10, help_text="Use the 24-hour clock, for example 14:05"
    )
    presenting_need = forms.CharField(
        label="What does the person need help with?",
        widget=forms.Textarea,
        help_text="In a few words: what is happening, and any immediate risk",
    )
    caller_description = forms.CharField(
        label="Describe the caller",
        required=False,
        max_length=300,
        help_text="If you do not know who they are yet, for example: woman in her 30s, calling from a phone box",
    )
    caller_name = forms.CharField(
        label="Who made the contact (optional)",
        required=False,
        max_length=200,
        help_text="If it was not the person: for example, PC 1234 Patel, or their sister",
    )
    callback_number = forms.CharField(label="Number to call back (optional)", required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            now = clock.local(clock.now())
            self.initial.setdefault("received_date", now.date())
            self.initial.setdefault("received_time", f"{now:%H:%M}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day: date | None = data.get("received_date")
        text = data.get("received_time", "")
        moment = parse_time(text) if text else None
        if text and moment is None:
            self.add_error("received_time", "Enter a real time, like 14:05")
        if day is None and "received_date" not in self.errors:
            self.add_error("received_date", "Enter the date the contact came in")
        if day is not None and moment is not None:
            data["received_at"] = datetime.combine(day, moment, tzinfo=clock.LONDON)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "received_at": data["received_at"],
            "presenting_need": data["presenting_need"],
            "caller_description": data["caller_description"],
            "caller_name": data["caller_name"],
            "callback_number": data["callback_number"],
        }


class TriageForm(VersionForm):
    presenting_need = forms.CharField(label="What does the person need help with?", widget=forms.Textarea)
    triage_outcome = forms.ChoiceField(
        label="Triage outcome", choices=OUTCOME_CHOICES, required=False, widget=forms.RadioSelect
    )
    outcome_detail = forms.CharField(
        label="About the outcome (needed for Other)",
        required=False,
        max_length=300,
        help_text="For example, the service you referred to, or the advice given to the officer",
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    caller_description = forms.CharField(label="Caller as described", required=False, max_length=300)
    caller_name = forms.CharField(label="Who made the contact (optional)", required=False, max_length=200)
    callback_number = forms.CharField(label="Number to call back (optional)", required=False, max_length=40)


class CloseForm(VersionForm):
    triage_outcome = forms.ChoiceField(
        label="Triage outcome", choices=OUTCOME_CHOICES, required=False, widget=forms.RadioSelect
    )
    outcome_detail = forms.CharField(label="About the outcome (needed for Other)", required=False, max_length=300)
    note = forms.CharField(label="Closing note (optional)", required=False, widget=forms.Textarea)


class LinkSearchForm(forms.Form):
    q = forms.CharField(
        label="Search for the person",
        required=False,
        max_length=100,
        help_text="A name, an NHS number, or a date of birth like 27/03/1988",
    )


class LinkExistingForm(VersionForm):
    person_id = forms.UUIDField(widget=forms.HiddenInput)


class NewPersonForm(VersionForm):
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = DatePartsField(
        label="Date of birth (optional)", required=False, past_only=True, help_text="For example, 27 3 1988"
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=20, required=False, help_text="10 digits, for example 999 123 4567"
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, initial=Gender.NOT_KNOWN, widget=forms.RadioSelect
    )


class ReferForm(VersionForm):
    """Refer onwards: the service and urgency in one choice, why, the risks, and the lawful basis."""

    route = forms.ChoiceField(label="Where are you referring the person?", widget=forms.RadioSelect)
    reason = forms.CharField(label="Why are you referring?", widget=forms.Textarea)
    what_matters = forms.CharField(
        label="What matters to the person (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="In their words if you can",
    )
    risk_summary = forms.CharField(
        label="Risks", required=False, widget=forms.Textarea, help_text="Or write that none are known"
    )
    sharing_basis = forms.ChoiceField(
        label="Why is it lawful to share this referral?", choices=SharingBasis.choices, widget=forms.RadioSelect
    )
    consent = forms.ChoiceField(label="The person's consent", required=False)
    agreement = forms.ChoiceField(label="The data sharing agreement", required=False)
    sharing_note = forms.CharField(
        label="Why sharing without consent is justified (if it is)", required=False, widget=forms.Textarea
    )
    attach_contact = forms.BooleanField(
        label="Send this contact's details with the referral", required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        pathways: list[Pathway],
        consents: list[tuple[str, str]],
        agreements: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("route").choices = [
            (f"{p.pk}:{u.pk}", f"{p.name} ({p.to_agency.name}): {u.name.lower()}")
            for p in pathways
            for u in p.urgencies.all()
        ]
        self._choices("consent").choices = [("", "No consent chosen"), *consents]
        self._choices("agreement").choices = [("", "No agreement chosen"), *agreements]

    def _choices(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        pathway_id, _, urgency_id = data["route"].partition(":")
        return {
            "pathway_id": pathway_id,
            "urgency_id": urgency_id,
            "reason": data["reason"],
            "what_matters": data["what_matters"],
            "risk_summary": data["risk_summary"],
            "sharing_basis": data["sharing_basis"],
            "consent_id": data["consent"] or None,
            "agreement_id": data["agreement"] or None,
            "sharing_note": data["sharing_note"],
            "attach_contact": data["attach_contact"],
        }

"""Forms for the agenda, research and running a meeting: parsing only; the services hold the rules."""

from typing import Any

from django import forms

from joinedup.agencies.models import Agency
from joinedup.core.forms import DatePartsField
from joinedup.forums.models import AgendaKind, AttendanceStatus, RiskLevel
from joinedup.forums.services.meeting_run import CLOSE_OUTCOMES


class AddForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="New referral or review", choices=AgendaKind.choices, widget=forms.RadioSelect)
    risk_level = forms.TypedChoiceField(
        label="Level of risk", choices=RiskLevel.choices, coerce=int, widget=forms.RadioSelect
    )


class ResearchForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    knows = forms.CharField(label="What your agency knows about the person", widget=forms.Textarea, required=False)
    involvement = forms.CharField(label="Your agency's current involvement", widget=forms.Textarea, required=False)
    risks = forms.CharField(label="Risks your agency knows of", widget=forms.Textarea, required=False)


class DiscussionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    summary = forms.CharField(label="What was shared", widget=forms.Textarea, required=False)
    risks = forms.CharField(label="Risks identified", widget=forms.Textarea, required=False)
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea, required=False)
    next_review_on = DatePartsField(
        label="Next review", required=False, future_only=True, help_text="Leave blank if no review is needed"
    )


def _agency_choices(agencies: list[Agency]) -> list[tuple[str, str]]:
    return [("", "Choose an agency"), *((str(a.pk), a.name) for a in agencies)]


class LeadForm(forms.Form):
    lead_agency = forms.ChoiceField(label="Lead agency")
    lead_reason = forms.CharField(label="Why this agency leads", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].choices = _agency_choices(agencies)  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", widget=forms.Textarea, required=False)
    owner_agency = forms.ChoiceField(label="Agency that owns it")
    due_on = DatePartsField(label="Due", future_only=True, help_text="For example, 27 3 2026")

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].choices = _agency_choices(agencies)  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=list(CLOSE_OUTCOMES.items()), widget=forms.RadioSelect)
    outcome_detail = forms.CharField(label="If other, what was the outcome?", required=False)


class AttendanceForm(forms.Form):
    """One status and attendee per member agency, plus an observer to add."""

    observer_name = forms.CharField(label="Add an observer (name and role)", required=False)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        for a in agencies:
            self.fields[f"status_{a.pk}"] = forms.ChoiceField(
                label=a.name, choices=[("", "Not recorded"), *AttendanceStatus.choices], required=False
            )
            self.fields[f"name_{a.pk}"] = forms.CharField(label=f"Who came from {a.name}", required=False)

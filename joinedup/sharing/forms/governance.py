"""Forms of the information governance and emergency access pages. Rules that need the database or
the policy live in the services; these only parse what was typed."""

from typing import Any

from django import forms

from joinedup.core.errors import ValidationFailed
from joinedup.core.forms import DatePartsField
from joinedup.core.vocabulary import CATEGORY_LABELS, Purpose
from joinedup.people.nhs_numbers import normalise
from joinedup.sharing.models import EmergencyReason, ReviewOutcome
from joinedup.sharing.models.agreements import LawfulBasis, SpecialCategoryCondition
from joinedup.sharing.selectors import governance as selectors
from joinedup.sharing.services.emergency import DEFAULT_HOURS, MAX_HOURS

# The purposes an agreement can open (the policy uses agreements for direct care and forums;
# reviews of what went wrong may rely on them too), in plain English.
AGREEMENT_PURPOSES = [
    (Purpose.DIRECT_CARE.value, "Direct care: looking after the person, including referrals between the agencies"),
    (Purpose.FORUM.value, "Multi-agency forums: discussing the person at a forum operating under this agreement"),
    (Purpose.REVIEW.value, "Reviews: learning from incidents and missed opportunities"),
]


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class AgreementForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages=_required("Enter a title"))
    reference = forms.CharField(label="Reference (optional)", max_length=60, required=False)
    description = forms.CharField(
        label="What the sharing is for (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="In plain English, for the staff who will share under it",
    )
    parties = forms.ModelMultipleChoiceField(
        label="Which agencies are parties to it?",
        help_text="Include your own agency. Each party's information governance lead must sign it off.",
        queryset=selectors.agency_options(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required("Choose the agencies that are parties to the agreement"),
    )
    categories = forms.MultipleChoiceField(
        label="What information does it cover?",
        choices=[(c.value, label) for c, label in CATEGORY_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required("Choose what information the agreement covers"),
    )
    purposes = forms.MultipleChoiceField(
        label="What can the information be used for?",
        choices=AGREEMENT_PURPOSES,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required("Choose what the information can be used for"),
    )
    lawful_basis = forms.ChoiceField(
        label="UK GDPR Article 6 lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        help_text="An agreement that relies on consent is never a ground for sharing by itself",
        error_messages=_required("Choose the Article 6 lawful basis"),
    )
    special_category_condition = forms.ChoiceField(
        label="UK GDPR Article 9 condition for special category data",
        choices=SpecialCategoryCondition.choices,
        initial=SpecialCategoryCondition.NONE,
        widget=forms.RadioSelect,
        help_text="Health and social care information is special category data",
        error_messages=_required("Choose the Article 9 condition"),
    )
    schedule_1_condition = forms.CharField(
        label="DPA 2018 Schedule 1 condition (if one is needed)",
        max_length=200,
        required=False,
        help_text="For example, paragraph 18: safeguarding of children and individuals at risk",
    )
    law_enforcement = forms.BooleanField(
        label="Police or probation also share under DPA 2018 Part 3 (law enforcement processing)", required=False
    )
    forums = forms.ModelMultipleChoiceField(
        label="Which forums operate under it? (optional)",
        queryset=selectors.forum_options(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    starts_on = DatePartsField(
        label="Start date", help_text="For example, 1 4 2026", error_messages=_required("Enter the start date")
    )
    ends_on = DatePartsField(label="End date (optional)", required=False, help_text="Leave empty if it has no end date")
    review_on = DatePartsField(
        label="Review date",
        help_text="When the parties will next check it is still needed and right",
        error_messages=_required("Enter the review date"),
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["parties"] = list(data["parties"])
        data["forums"] = list(data.get("forums") or [])
        return data


class EmergencyRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why do you need emergency access?",
        choices=EmergencyReason.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Choose why you need emergency access"),
    )
    explanation = forms.CharField(
        label="What is happening?",
        widget=forms.Textarea,
        help_text="Say what is happening now and why you need to see the person's records. "
        "The information governance lead of every agency whose records you open will read this.",
        error_messages=_required("Explain in a sentence what is happening and why you need to see the record"),
    )
    hours = forms.IntegerField(
        label="How many hours do you need it for?",
        initial=DEFAULT_HOURS,
        min_value=1,
        max_value=MAX_HOURS,
        help_text=f"Usually {DEFAULT_HOURS} hours; at most {MAX_HOURS}. You can end it sooner.",
        error_messages={
            "required": f"Enter how many hours you need, up to {MAX_HOURS}",
            "invalid": "Enter the number of hours as a whole number, like 4",
            "min_value": "Emergency access lasts at least 1 hour",
            "max_value": f"Emergency access lasts at most {MAX_HOURS} hours",
        },
    )
    mfa_code = forms.CharField(
        label="Security code from your authenticator app",
        help_text="Enter the newest 6-digit code, even though you entered one when you signed in",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
        error_messages=_required("Enter the security code from your authenticator app"),
    )


class EmergencyFindForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number",
        help_text="The person's 10-digit NHS number, for example 999 123 4567. It must be exact.",
        max_length=20,
        error_messages=_required("Enter an NHS number"),
    )

    def clean_nhs_number(self) -> str:
        try:
            return normalise(self.cleaned_data["nhs_number"])
        except ValidationFailed as error:
            raise forms.ValidationError(error.message) from None


class ReviewDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the emergency access justified?",
        choices=[
            (ReviewOutcome.JUSTIFIED.value, "Yes, it was justified"),
            (ReviewOutcome.NOT_JUSTIFIED.value, "No, it was not justified"),
        ],
        widget=forms.RadioSelect,
        error_messages=_required("Choose whether the emergency access was justified"),
    )
    note = forms.CharField(
        label="How you reached your decision",
        widget=forms.Textarea,
        help_text="For example, who you spoke to and what they said. If it was not justified, say what happens next.",
        error_messages=_required("Write down how you reached the decision"),
    )


class SubjectAccessForm(forms.Form):
    received_on = DatePartsField(
        label="When did your agency receive the request?",
        past_only=True,
        help_text="The deadline is one calendar month from this date. For example, 27 3 2026",
        error_messages=_required("Enter the date your agency received the request"),
    )
    reference = forms.CharField(
        label="Your reference (optional)", max_length=60, required=False, help_text="For example, SAR-2026-014"
    )

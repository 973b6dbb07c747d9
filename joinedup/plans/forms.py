"""The plan forms. Edits carry the version the user saw, so no one's changes are lost."""

import secrets
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.http import QueryDict

from joinedup.agencies.models import Agency
from joinedup.core.forms import DatePartsField
from joinedup.plans.models import GoalStatus, PersonAgreed, Plan, PlanKind, PlanStatus


def _text(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={"rows": 4}))


def _flag(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class CreateForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of plan?",
        choices=PlanKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of plan"},
    )
    title = forms.CharField(
        label="Title (optional)", required=False, max_length=200, help_text="Leave blank to use the kind of plan"
    )
    # One per form shown: a second submit of the same form finds the plan the first one made.
    form_token = forms.CharField(widget=forms.HiddenInput)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title for the plan"})
    status = forms.ChoiceField(label="Status", choices=PlanStatus.choices, widget=forms.RadioSelect)
    lead_agency = forms.ModelChoiceField(
        label="Lead agency for the plan", queryset=Agency.objects.none(), required=False, empty_label="Not agreed yet"
    )
    review_on = DatePartsField(label="Review date", required=False, help_text="For example, 27 3 2027")
    strengths = _text("The person's strengths", "In their words where you can")
    what_matters = _text("What matters to them", "In their words")
    early_warning_signs = _text("Early warning signs", "What the person notices first when things start to go wrong")
    what_helps = _text("What helps, and things I can do")
    who_to_contact = _text("People and services to contact", "Names and numbers, day and night")
    making_safer = _text("Making my situation safer")
    carer_involved = _flag("A carer (family member or friend) is involved")
    carer_name = forms.CharField(label="Carer's name and relationship", required=False, max_length=200)
    carer_assessment_offered = _flag("The carer has been offered a carer's assessment")
    substantial_difficulty = _flag("The person has substantial difficulty being involved in planning")
    appropriate_person_to_support = _flag("Someone appropriate (not paid to care) can support them to be involved")
    advocate_involved = _flag("An independent advocate is involved")
    advocate_name = forms.CharField(label="Advocate's name and organisation", required=False, max_length=200)
    person_present = _flag("The person was there when the plan was made or reviewed")
    person_agreed = forms.ChoiceField(
        label="Did the person agree with the plan?", choices=PersonAgreed.choices, widget=forms.RadioSelect
    )
    person_comments = _text("The person's own comments", "Their words, as they said them")
    coproduced_on = DatePartsField(label="Date it was agreed with the person", required=False, past_only=True)

    CRISIS_FIELDS = ("early_warning_signs", "what_helps", "who_to_contact", "making_safer")

    def __init__(self, *args: Any, agencies: list[Agency], crisis_sections: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_agency"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")
        if not crisis_sections:
            for name in self.CRISIS_FIELDS:
                del self.fields[name]

    def changes(self) -> dict[str, Any]:
        """The cleaned values a service takes (everything but the version)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def show_saved(self, plan: Plan, names: Iterable[str]) -> None:
        """Put the plan's saved value of each named field in the (bound) form, as a browser posts it,
        so that saving the form again keeps what someone else saved there."""
        data = cast(QueryDict, self.data).copy()
        for name in names:
            field, key, value = self.fields[name], self.add_prefix(name), getattr(plan, name)
            if isinstance(field, DatePartsField):
                parts = ("", "", "") if value is None else (str(value.day), str(value.month), str(value.year))
                for part, text in zip(("day", "month", "year"), parts, strict=True):
                    data[f"{key}_{part}"] = text
            elif isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            elif name == "lead_agency":
                data[key] = str(plan.lead_agency_id or "")
            else:
                data[key] = "" if value is None else str(value)
        self.data = data


class GoalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    description = forms.CharField(
        label="The goal, in the person's words",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the goal, in the person's words"},
    )
    target_on = DatePartsField(label="Target date", required=False, help_text="For example, 27 3 2027")
    measure = _text("How will we know it has been achieved?")
    status = forms.ChoiceField(
        label="Status", choices=GoalStatus.choices, widget=forms.RadioSelect, initial=GoalStatus.NOT_STARTED
    )

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What is to be done?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe what is to be done"},
    )
    owner_agency = forms.ModelChoiceField(
        label="Which agency will do it?",
        queryset=Agency.objects.none(),
        error_messages={"required": "Choose the agency that will do it"},
    )
    due_on = DatePartsField(
        label="Due by",
        future_only=True,
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date it is due by"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_agency"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")

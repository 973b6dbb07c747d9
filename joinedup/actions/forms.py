"""The action page's three forms: each carries the version the user saw, so no one's changes are lost."""

from django import forms

from joinedup.actions.models import CarryReason
from joinedup.core.forms import DatePartsField


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CompleteForm(_Versioned):
    note = forms.CharField(
        label="What was done?",
        widget=forms.Textarea,
        help_text="Partner agencies will read this at the next meeting",
        error_messages={"required": "Say what was done"},
    )


class CarryForm(_Versioned):
    reason = forms.ChoiceField(
        label="Why is it being carried forward?",
        choices=CarryReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say why the action is being carried forward"},
    )
    new_due_on = DatePartsField(
        label="New due date",
        future_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the new date it is due by"},
    )
    note = forms.CharField(label="Anything to add (optional)", widget=forms.Textarea, required=False)


class CancelForm(_Versioned):
    reason = forms.CharField(
        label="Why is it no longer needed?",
        widget=forms.Textarea,
        error_messages={"required": "Say why the action is no longer needed"},
    )

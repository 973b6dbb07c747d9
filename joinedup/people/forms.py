from typing import Any, cast

from django import forms

from joinedup.core.forms import DatePartsField
from joinedup.people.models import AddressKind, ContactKind, Gender, LeadAgreedBy


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a person",
        help_text="A name, an NHS number, or a date of birth like 27/03/1988",
        required=False,
        max_length=100,
    )


class PersonForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    preferred_name = forms.CharField(label="Known as (optional)", max_length=100, required=False)
    date_of_birth = DatePartsField(
        label="Date of birth", required=False, past_only=True, help_text="For example, 27 3 1988"
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=20, required=False, help_text="10 digits, for example 999 123 4567"
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, initial=Gender.NOT_KNOWN, widget=forms.RadioSelect
    )
    communication_needs = forms.CharField(
        label="Communication needs (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example, prefers text messages, uses British Sign Language",
    )
    interpreter_required = forms.BooleanField(label="Needs an interpreter", required=False)
    interpreter_language = forms.CharField(label="Interpreter language (optional)", max_length=80, required=False)


class ContactDetailForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ContactKind.choices, widget=forms.RadioSelect)
    value = forms.CharField(label="Number or email address", max_length=200)
    note = forms.CharField(
        label="Note (optional)", max_length=200, required=False, help_text="For example, best times to call"
    )
    preferred = forms.BooleanField(label="This is the person's preferred way to be contacted", required=False)


class AddressForm(forms.Form):
    kind = forms.ChoiceField(label="Type of address", choices=AddressKind.choices, widget=forms.RadioSelect)
    line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    line2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    sealed = forms.BooleanField(
        label="Seal this address: only my agency can see it (for example, a refuge)", required=False
    )


class InvolvementEndForm(forms.Form):
    ends_on = DatePartsField(label="Last day of your agency's involvement", past_only=False)


class LeadAgencyForm(forms.Form):
    agency = forms.ChoiceField(label="Which agency leads now?", widget=forms.RadioSelect)
    starts_on = DatePartsField(label="Date it was agreed", past_only=True, help_text="For example, 27 3 2026")
    agreed_by = forms.ChoiceField(label="How was it agreed?", choices=LeadAgreedBy.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="What was agreed (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example, substance use service leads while the person is in treatment; review in 3 months",
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = agencies

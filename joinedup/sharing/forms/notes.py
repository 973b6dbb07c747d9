"""The "add a case note" page."""

from django import forms

from joinedup.core.forms import DatePartsField
from joinedup.core.vocabulary import Category

# Identity is who the person is, not something to write a note about.
NOTE_CATEGORIES = [(c.value, c.label) for c in Category if c != Category.IDENTITY]


class CaseNoteForm(forms.Form):
    category = forms.ChoiceField(
        label="What is the note about?",
        choices=NOTE_CATEGORIES,
        widget=forms.RadioSelect,
        help_text=(
            "This decides who else can read it: agencies the person agreed can see this kind of information, "
            "or that a sharing agreement allows. Care coordination notes can be read by every agency working "
            "with the person."
        ),
        error_messages={"required": "Choose what the note is about"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A few words",
        error_messages={"required": "Enter a short title", "max_length": "The title must be 200 characters or fewer"},
    )
    body = forms.CharField(label="Note", widget=forms.Textarea, error_messages={"required": "Enter the note"})
    occurred_on = DatePartsField(
        label="Date",
        past_only=True,
        help_text="When what the note describes happened, for example 27 3 2026",
        error_messages={"required": "Enter the date"},
    )
    sealed = forms.BooleanField(
        label="Seal this note: only my agency will see it", required=False, help_text="For example, a refuge address"
    )

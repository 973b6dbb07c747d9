from django import forms


class DirectorySearchForm(forms.Form):
    need = forms.CharField(
        label="What does the person need?",
        help_text="For example, crisis, drug and alcohol, housing, domestic abuse",
        required=False,
        max_length=200,
    )
    area = forms.CharField(
        label="Where?",
        help_text="A postcode, a postcode district like NS4, or a town",
        required=False,
        max_length=100,
    )
    age = forms.IntegerField(
        label="Age of the person (optional)",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Enter the age as a whole number, like 34",
            "min_value": "Age must be 0 or more",
            "max_value": "Age must be 120 or less",
        },
    )
    open_now = forms.BooleanField(label="Only services open now, or whose hours are not known", required=False)

"""Forms for the forum, membership and meeting pages. Times are typed as on a clock ("14:00") and
read as Europe/London; the services decide what is allowed."""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms

from joinedup.accounts.models import User
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.forms import DatePartsField
from joinedup.forums.schedule import Cadence

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_time(text: str) -> time | None:
    match = _TIME.match(text or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def london(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=clock.LONDON)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class _WhenMixin(forms.Form):
    """A date and a start time; subclasses add what else they need."""

    def _moment(self, date_field: str, time_field: str, what: str) -> datetime | None:
        day: date | None = self.cleaned_data.get(date_field)
        text = self.cleaned_data.get(time_field, "")
        at = parse_time(text) if text else None
        if text and at is None:
            self.add_error(time_field, "Enter a real time in the 24-hour clock, like 14:00")
        if day is None and date_field not in self.errors:
            self.add_error(date_field, f"Enter the date of the {what}")
        if not text and time_field not in self.errors:
            self.add_error(time_field, f"Enter the time the {what} starts")
        return london(day, at) if day and at else None


class ForumDetailsForm(forms.Form):
    terms_of_reference = forms.CharField(label="Terms of reference", widget=forms.Textarea, required=False)
    referral_criteria = forms.CharField(label="Referral criteria", widget=forms.Textarea, required=False)
    confidentiality_statement = forms.CharField(
        label="Confidentiality statement", widget=forms.Textarea, required=False, help_text="Read out at each meeting"
    )
    minutes_per_case = forms.IntegerField(
        label="Minutes for each case", help_text="Usually 10 to 15", error_messages={"invalid": "Enter a number"}
    )


class MemberAddForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency joining the forum",
        queryset=Agency.objects.filter(active=True),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency that is joining", "invalid_choice": "Choose an agency"},
    )


class MemberEndForm(forms.Form):
    last_day = DatePartsField(label="Last day as a member", future_only=True, help_text="For example, 31 7 2026")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("last_day") is None and "last_day" not in self.errors:
            self.add_error("last_day", "Enter the agency's last day as a member")
        return data


class MemberContactForm(forms.Form):
    representative = forms.ModelChoiceField(
        label="Representative", queryset=User.objects.none(), required=False, empty_label="Not named yet"
    )
    confirmed = forms.BooleanField(label="The agency has confirmed this representative", required=False)
    contact_name = forms.CharField(
        label="Single point of contact", max_length=200, required=False, help_text="A named person or a team inbox"
    )
    contact_email = forms.EmailField(label="Contact email", required=False)
    contact_phone = forms.CharField(label="Contact phone", max_length=40, required=False)

    def __init__(self, *args: Any, agency_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(agency_id=agency_id, is_active=True).order_by("last_name", "first_name")


class SeriesForm(_WhenMixin):
    cadence = forms.ChoiceField(
        label="How often does the forum meet?", choices=Cadence.choices, widget=forms.RadioSelect
    )
    first_date = DatePartsField(
        label="Date of the first meeting", future_only=True, help_text="Meetings follow on the same weekday"
    )
    start_time = forms.CharField(label="Start time", max_length=5, help_text="For example, 10:00")
    duration_minutes = forms.IntegerField(
        label="Length in minutes", initial=120, error_messages={"invalid": "Enter the length as a number of minutes"}
    )
    venue = forms.CharField(label="Venue", max_length=200, required=False)
    video_link = forms.CharField(label="Video link", max_length=200, required=False, help_text="Starting https://")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["first_starts_at"] = self._moment("first_date", "start_time", "first meeting")
        return data


class MoveForm(_WhenMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    day = DatePartsField(label="New date", help_text="For example, 14 7 2026")
    start_time = forms.CharField(label="Start time", max_length=5, help_text="For example, 10:00")
    end_time = forms.CharField(label="End time", max_length=5, help_text="For example, 12:00")
    venue = forms.CharField(label="Venue", max_length=200, required=False)
    video_link = forms.CharField(label="Video link", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts = self._moment("day", "start_time", "meeting")
        end_text = data.get("end_time", "")
        end = parse_time(end_text) if end_text else None
        if end_text and end is None:
            self.add_error("end_time", "Enter a real time in the 24-hour clock, like 12:00")
        data["starts_at"] = starts
        data["ends_at"] = london(starts.date(), end) if starts and end else None
        return data


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        max_length=200,
        error_messages={"required": "Say why the meeting is cancelled"},
        help_text="The members are told this",
    )

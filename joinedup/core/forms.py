"""Form pieces shared by every app: the NHS.UK date input (day, month, year)."""

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from joinedup.core import clock
from joinedup.core.errors import StaleVersion, ValidationFailed


class DatePartsWidget(forms.MultiWidget):
    """Three boxes, named <name>_day, <name>_month and <name>_year, as the NHS.UK pattern has it."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(),
            "month": forms.TextInput(),
            "year": forms.TextInput(),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: date | None) -> list[int | None]:
        if value is None:
            return [None, None, None]
        return [value.day, value.month, value.year]


class DatePartsField(forms.MultiValueField):
    widget = DatePartsWidget

    def __init__(self, *, past_only: bool = False, future_only: bool = False, **kwargs: Any) -> None:
        self.past_only, self.future_only = past_only, future_only
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = ((part or "").strip() for part in data_list)
        label = str(self.label or "Date")
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date, in numbers, like 27 3 2007")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None
        today = clock.today()
        if self.past_only and value > today:
            raise ValidationError(f"{label} must be today or in the past")
        if self.future_only and value < today:
            raise ValidationError(f"{label} must be today or in the future")
        return value


def add_domain_errors(form: forms.BaseForm, error: ValidationFailed) -> None:
    """Show a service's ValidationFailed beside the fields it names (the rest above the form)."""
    for name, messages in error.errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def keep_after_stale(form: forms.BaseForm, error: StaleVersion) -> None:
    """Keep what was typed, say who saved first, and carry their version so that a deliberate
    second save (after checking) goes through."""
    form.add_error(None, error.message)
    data = cast(QueryDict, form.data).copy()
    data[form.add_prefix("version")] = str(error.current_version)
    form.data = data

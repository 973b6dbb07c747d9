"""The dashboard's period: two dates in the query string (?from=YYYY-MM-DD&to=YYYY-MM-DD)."""

from datetime import date
from typing import Any

from django import forms

HINT = "For example, 2025-04-01 (year, month, day)"


def _date_field(label: str, which: str) -> forms.DateField:
    invalid = f"Enter the {which} date as year, month and day, for example 2025-04-01"
    return forms.DateField(
        label=label, required=False, input_formats=["%Y-%m-%d"], help_text=HINT, error_messages={"invalid": invalid}
    )


class PeriodForm(forms.Form):
    """Bound to the defaults overlaid with what was asked for, so a typed value is never lost."""

    def __init__(self, query: dict[str, str], *, default: tuple[date, date]) -> None:
        data = {"from": default[0].isoformat(), "to": default[1].isoformat(), **query}
        super().__init__(data)
        self.default = default
        # "from" is a Python keyword, so the fields are named here rather than declared.
        self.fields["from"] = _date_field("From", "start")
        self.fields["to"] = _date_field("To", "end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", "The end date must be the same as or after the start date")
        return data

    def period(self) -> tuple[date, date]:
        """The dates asked for, or the last 12 months when they are missing or wrong."""
        if not self.is_valid():
            return self.default
        return self.cleaned_data["from"] or self.default[0], self.cleaned_data["to"] or self.default[1]

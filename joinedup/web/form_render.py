"""Django forms to NHS.UK design system macro parameters.

Templates call `{{ field(form["name"]) }}`; this module picks the component and fills its
parameters (label, hint, value, error message), so every form looks and behaves the same.
"""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField

from joinedup.core.forms import DatePartsWidget


def _error(bf: BoundField) -> dict[str, str] | None:
    return {"text": str(bf.errors[0])} if bf.errors else None


def _hint(bf: BoundField) -> dict[str, str] | None:
    return {"text": str(bf.help_text)} if bf.help_text else None


def _value(bf: BoundField) -> Any:
    value = bf.value()
    return "" if value is None else value


def _choices(bf: BoundField) -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in bf.field.choices]  # type: ignore[attr-defined]


def _selected(bf: BoundField) -> set[str]:
    value = bf.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def component(bf: BoundField, **extra: Any) -> tuple[str, dict[str, Any]]:
    """(macro name, parameters) for one bound field; `extra` overrides parameters."""
    widget = bf.field.widget
    label = {"text": str(bf.label)}
    base: dict[str, Any] = {"id": bf.auto_id, "name": bf.html_name, "hint": _hint(bf), "errorMessage": _error(bf)}
    if isinstance(widget, DatePartsWidget):
        values = bf.field.widget.decompress(bf.value()) if not bf.form.is_bound else bf.value()
        parts = values if isinstance(values, list | tuple) else [None, None, None]
        items = [
            {
                "id": f"{bf.auto_id}_{part}",
                "name": f"{bf.html_name}_{part}",
                "label": part.capitalize(),
                "value": "" if parts[i] is None else parts[i],
                "width": 4 if part == "year" else 2,
                "classes": "nhsuk-input--error" if bf.errors else "",
            }
            for i, part in enumerate(("day", "month", "year"))
        ]
        params = {**base, "fieldset": {"legend": {"text": str(bf.label)}}, "items": items}
        params["id"] = bf.auto_id
        return "dateInput", {**params, **extra}
    if isinstance(widget, forms.RadioSelect):
        selected = _selected(bf)
        items = [{"value": v, "text": t, "checked": v in selected} for v, t in _choices(bf)]
        params = {**base, "idPrefix": bf.auto_id, "fieldset": {"legend": {"text": str(bf.label)}}, "items": items}
        return "radios", {**params, **extra}
    if isinstance(widget, forms.CheckboxSelectMultiple):
        selected = _selected(bf)
        items = [{"value": v, "text": t, "checked": v in selected} for v, t in _choices(bf)]
        params = {**base, "idPrefix": bf.auto_id, "fieldset": {"legend": {"text": str(bf.label)}}, "items": items}
        return "checkboxes", {**params, **extra}
    if isinstance(widget, forms.CheckboxInput):
        items = [{"value": "on", "text": str(bf.label), "checked": bool(bf.value()), "id": bf.auto_id}]
        return "checkboxes", {**base, "idPrefix": bf.auto_id, "items": items, **extra}
    if isinstance(widget, forms.Select):
        selected = _selected(bf)
        items = [{"value": v, "text": t, "selected": v in selected} for v, t in _choices(bf)]
        return "select", {**base, "label": label, "items": items, **extra}
    if isinstance(widget, forms.Textarea):
        return "textarea", {**base, "label": label, "value": _value(bf), "rows": 5, **extra}
    if isinstance(widget, forms.FileInput):
        # A browser never pre-fills a file input, so it has no value; `accept` narrows the file picker.
        # The same parameters suit the NHS.UK file upload macro, which templates may call instead.
        params = {**base, "label": label, "type": "file", "value": ""}
        if "accept" in widget.attrs:
            params["attributes"] = {"accept": widget.attrs["accept"]}
        return "input", {**params, **extra}
    input_type = getattr(widget, "input_type", "text")
    params = {**base, "label": label, "type": input_type, "value": "" if input_type == "password" else _value(bf)}
    if "autocomplete" in widget.attrs:
        params["autocomplete"] = widget.attrs["autocomplete"]
    return "input", {**params, **extra}


def error_list(*forms_: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's list: each message linking to its field."""
    items = []
    for form in forms_:
        for message in form.non_field_errors():
            items.append({"text": str(message), "href": "#maincontent"})
        for bf in form:
            for message in bf.errors:
                anchor = f"{bf.auto_id}_day" if isinstance(bf.field.widget, DatePartsWidget) else bf.auto_id
                items.append({"text": str(message), "href": f"#{anchor}"})
    return items

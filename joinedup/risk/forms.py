"""The assessment form, built from the tool's definition (one NHS.UK radio group per question), and
the flag forms. Field names follow the services' arguments so their errors land beside the field."""

from typing import Any

from django import forms

from joinedup.core.forms import DatePartsField
from joinedup.core.vocabulary import Category
from joinedup.risk.definitions import ANSWER_WORDS, ItemKind, ToolDefinition
from joinedup.risk.models import FLAG_CATEGORY_CHOICES, FlagKind


class AssessmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    assessed_on = DatePartsField(
        label="Date of the assessment", past_only=True, error_messages={"required": "Enter the date of the assessment"}
    )

    def __init__(self, *args: Any, tool: ToolDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        for item in tool.items:
            message = f"Choose an answer: {item.text}"
            if item.kind == ItemKind.NUMBER:
                self.fields[item.key] = forms.IntegerField(
                    required=not item.may_be_not_known,
                    label=item.text,
                    help_text=item.hint,
                    min_value=0,
                    max_value=item.maximum,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    error_messages={
                        "required": f"Enter a number: {item.text}",
                        "invalid": f"Enter a whole number: {item.text}",
                        "min_value": f"Enter 0 or more: {item.text}",
                        "max_value": f"Enter {item.maximum} or fewer: {item.text}",
                    },
                )
                continue
            choices = (
                [(a.value, w) for a, w in ANSWER_WORDS.items()]
                if item.kind == ItemKind.YES_NO
                else [(o.value, o.label) for o in item.options]
            )
            self.fields[item.key] = forms.ChoiceField(
                label=item.text,
                help_text=item.hint,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
        self.fields["judgement_level"] = forms.ChoiceField(
            label="Professional judgement: should the level be higher than the answers give? (optional)",
            help_text=tool.judgement_guidance,
            required=False,
            choices=[("", "No, keep the level the answers give"), *((b.level, b.label) for b in tool.bands)],
            widget=forms.RadioSelect,
        )
        self.fields["judgement_reasons"] = forms.CharField(
            label="Your reasons for raising the level",
            required=False,
            widget=forms.Textarea,
            max_length=4000,
        )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(g.title, [self[i.key] for i in g.items]) for g in self.tool.groups]

    def answers(self) -> dict[str, object]:
        return {i.key: self.cleaned_data.get(i.key) for i in self.tool.items}


class FlagForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of warning is it?",
        choices=FlagKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of warning this is"},
    )
    category = forms.ChoiceField(
        label="What kind of information is it? (optional)",
        help_text="Leave it to the kind of warning if unsure: risk to staff is risk, the others safeguarding",
        required=False,
        choices=[("", "As the kind of warning"), *((c.value, Category(c).label) for c in FLAG_CATEGORY_CHOICES)],
    )
    reason = forms.CharField(
        label="What do staff need to know, and why?",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Say what staff need to know, and why"},
    )
    starts_on = DatePartsField(label="Starts on", error_messages={"required": "Enter the date the warning starts"})
    ends_on = DatePartsField(
        label="Ends on",
        help_text="When the warning should be reviewed. It shows as expired after this date",
        future_only=True,
        error_messages={"required": "Enter the date the warning ends, when it should be reviewed"},
    )


class FlagEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    end_reason = forms.CharField(
        label="Why does the warning no longer apply?",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Say why the warning no longer applies"},
    )

"""Forms for categorisation pages (crispy-forms-gds)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from categorisation.models import Category, TriggerDefinition
from schools.models import LocalAuthority


def _helper(*fields, submit: str | None = None, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = method == "get"
    helper.form_method = method
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, *([Submit("submit", submit)] if submit else []))
    return helper


class ScopeForm(forms.Form):
    """Narrow a categorisation page to a local authority, a phase, or a proposed category."""

    la = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.filter(schools__isnull=False).distinct(),
        required=False,
    )
    phase = forms.ChoiceField(label="Phase", required=False)
    proposed = forms.ChoiceField(label="Proposed category", required=False)

    def __init__(self, *args, phases: list[str], categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].empty_label = "All local authorities"
        self.fields["phase"].choices = [("", "All phases")] + [(p, p) for p in phases]
        fields = [Field.select("la"), Field.select("phase")]
        if categories is None:
            del self.fields["proposed"]
        else:
            self.fields["proposed"].choices = [("", "Any category")] + [(c.code, c.label) for c in categories]
            fields.append(Field.select("proposed"))
        self.helper = _helper(*fields, submit="Apply filters", method="get")


class DecisionForm(forms.Form):
    category = forms.ChoiceField(
        label="Category", widget=forms.RadioSelect, error_messages={"required": "Select a category"}
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you choose a category other than the proposal. Say why, with the evidence.",
    )

    def __init__(self, *args, categories: list[Category], proposed: Category | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (c.code, f"{c.label} (proposed)" if proposed and c.pk == proposed.pk else c.label) for c in categories
        ]
        if proposed and not self.is_bound:
            self.initial["category"] = proposed.code
        self.helper = _helper(Field.radios("category"), Field.textarea("rationale"), submit="Save decision")


def _as_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


class FundingForm(forms.Form):
    """A draft category's funding per pupil, in pounds; blank for none."""

    funding_per_pupil = forms.CharField(
        label="Funding per pupil, in pounds",
        required=False,
        help_text="For example 12.50. Leave blank if the category brings no funding per pupil.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("funding_per_pupil", field_width=5), submit="Save funding")


class TriggerForm(forms.Form):
    """A draft trigger's severity, use and parameters, one field per parameter."""

    severity = forms.TypedChoiceField(label="Severity", choices=TriggerDefinition.Severity.choices, coerce=int)
    enabled = forms.BooleanField(label="Use this trigger", required=False)

    def __init__(self, *args, trigger: TriggerDefinition, defaults: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds: dict[str, type] = {}
        params = {**defaults, **trigger.params}
        for name, value in params.items():
            self.kinds[name] = type(value)
            label = name.replace("_", " ").capitalize()
            if isinstance(value, bool):
                field = forms.BooleanField(label=label, required=False)
            elif isinstance(value, int | float):
                field = forms.DecimalField(label=label)
            elif isinstance(value, list):
                field = forms.CharField(label=label, required=False, help_text="Separate values with commas")
            elif isinstance(value, dict):
                field = forms.CharField(label=label, required=False, help_text="Pairs like ks4_p8=-0.5, with commas")
            else:
                field = forms.CharField(label=label, required=False)
            field.initial = value if isinstance(value, bool | int | float) else _as_text(value)
            self.fields[f"param_{name}"] = field
        self.initial.setdefault("severity", trigger.severity)
        self.initial.setdefault("enabled", trigger.enabled)
        layout = [Field.select("severity"), Field.checkbox("enabled")]
        layout += [
            Field.text(f"param_{n}") if not isinstance(params[n], bool) else Field.checkbox(f"param_{n}")
            for n in params
        ]
        self.helper = _helper(*layout, submit="Save trigger")

    def params(self) -> dict:
        values = {}
        for name, kind in self.kinds.items():
            raw = self.cleaned_data[f"param_{name}"]
            if kind is bool:
                values[name] = bool(raw)
            elif kind is int:
                values[name] = int(raw)
            elif kind is float:
                values[name] = float(raw)
            elif kind is list:
                values[name] = [part.strip() for part in raw.split(",") if part.strip()]
            elif kind is dict:
                values[name] = self._pairs(name, raw)
            else:
                values[name] = raw.strip()
        return values

    def _pairs(self, name: str, raw: str) -> dict:
        pairs = {}
        for part in filter(None, (p.strip() for p in raw.split(","))):
            key, _, value = part.partition("=")
            try:
                pairs[key.strip()] = float(Decimal(value.strip()))
            except InvalidOperation as exc:
                raise forms.ValidationError({f"param_{name}": f"'{part}' is not like ks4_p8=-0.5"}) from exc
        return pairs

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            cleaned["params"] = self.params()
        return cleaned


class RuleForm(forms.Form):
    category_code = forms.ChoiceField(label="Category")
    all_of = forms.CharField(
        label="Every one of these triggers", required=False, help_text="Trigger codes, with commas"
    )
    any_of = forms.CharField(label="Any of these triggers", required=False, help_text="Trigger codes, with commas")
    min_any = forms.IntegerField(label="How many of the 'any of' triggers", min_value=1, initial=1)
    min_severity = forms.TypedChoiceField(
        label="Or fired triggers of at least this severity",
        choices=[("", "Not used"), *TriggerDefinition.Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    min_count = forms.IntegerField(label="How many triggers of that severity", min_value=1, initial=1)
    description = forms.CharField(label="In words", max_length=300, required=False)

    def __init__(self, *args, categories: list[Category], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_code"].choices = [(c.code, c.label) for c in categories]
        self.helper = _helper(
            Field.select("category_code"),
            Field.text("all_of"),
            Field.text("any_of"),
            Field.text("min_any", field_width=4),
            Field.select("min_severity"),
            Field.text("min_count", field_width=4),
            Field.text("description"),
            submit="Save rule",
        )

    @staticmethod
    def codes(text: str) -> list[str]:
        return [c.strip() for c in text.split(",") if c.strip()]


class MatrixForm(forms.Form):
    def __init__(self, *args, cells: dict[str, str], categories: list[Category], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.code, c.label) for c in categories]
        for cell in sorted(cells):
            self.fields[cell] = forms.ChoiceField(
                label=f"Standards group {cell[0]}, capacity {cell[1]}", choices=choices, initial=cells[cell]
            )
        self.helper = _helper(*[Field.select(cell) for cell in sorted(cells)], submit="Save matrix")

"""Forms for categorisation pages (crispy-forms-gds)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Hidden, Layout, Size, Submit
from django import forms

from categorisation.models import CapacityJudgement, Category, MeetingCadence, TriggerDefinition
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


def _amount(label: str, hint: str) -> forms.CharField:
    # Text, not a number field: the service reads what was typed and says what is wrong with it.
    return forms.CharField(
        label=label,
        required=False,
        help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


class SupportForm(forms.Form):
    """What a draft category brings (``categorisation.services.update_support`` checks each value)."""

    adviser_days = _amount("Adviser days", "School improvement adviser days a year, in whole or half days, like 3")
    teaching_adviser_days = _amount("Learning and teaching adviser days", "In whole or half days, like 2.5")
    progress_meetings_per_year = _amount("Progress meetings a year", "A whole number, like 6")
    meeting_cadence = forms.ChoiceField(
        label="How often the meetings are held",
        required=False,
        choices=[("", "Not set"), *MeetingCadence.choices],
    )
    visit_pattern = forms.CharField(
        label="Visit pattern",
        required=False,
        help_text="As the policy words it, for example “2 weekly visits”",
    )
    brokered_support = forms.ChoiceField(
        label="Does the category bring brokered support?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the category brings brokered support"},
    )
    funding_per_pupil = _amount(
        "Funding per pupil, in pounds", "For example 12.50. Leave blank if the category brings no funding per pupil."
    )
    support_summary = forms.CharField(
        label="What the support is",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In the policy's words: who meets the school, how often, and what else it gets",
    )

    def __init__(self, *args, category: Category, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial = {
            "adviser_days": _days_text(category.adviser_days),
            "teaching_adviser_days": _days_text(category.teaching_adviser_days),
            "progress_meetings_per_year": category.progress_meetings_per_year,
            "meeting_cadence": category.meeting_cadence,
            "visit_pattern": category.visit_pattern,
            "brokered_support": "yes" if category.brokered_support else "no",
            "funding_per_pupil": category.funding_per_pupil if category.funding_per_pupil is not None else "",
            "support_summary": category.support_summary,
        }
        self.helper = _helper(
            Field.text("adviser_days", field_width=4),
            Field.text("teaching_adviser_days", field_width=4),
            Field.text("progress_meetings_per_year", field_width=4),
            Field.select("meeting_cadence"),
            Field.text("visit_pattern"),
            Field.radios("brokered_support", inline=True),
            Field.text("funding_per_pupil", field_width=5),
            Field.textarea("support_summary"),
            submit="Save support",
        )


def _days_text(value: Decimal) -> str:
    """4.0 as "4", 2.5 as "2.5": as an officer would type them."""
    return f"{value.normalize():f}" if value is not None else ""


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


class StandardsGroupForm(forms.Form):
    group = forms.TypedChoiceField(
        label="Standards group",
        coerce=int,
        choices=[(n, f"Standards group {n}") for n in range(1, 5)],
        widget=forms.RadioSelect,
        help_text="From the Welsh data for the year: entered here, never worked out from English measures.",
        error_messages={"required": "Select a standards group"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.radios("group"), Hidden("step", "group"), submit="Save standards group")


class CapacityForm(forms.Form):
    capacity = forms.ChoiceField(
        label="Capacity to improve",
        choices=CapacityJudgement.Capacity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a capacity to improve"},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The leadership, self-evaluation and teaching evidence the judgement rests on.",
        error_messages={"required": "Enter the evidence for the judgement"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("capacity"), Field.textarea("evidence"), Hidden("step", "capacity"), submit="Save judgement"
        )

from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import Field
from django import forms
from django.core.exceptions import ValidationError

from core.calendar import academic_year_label, academic_year_of
from reporting import figures, quarters
from schools import la_measures
from schools.models import LocalAuthority, LocalAuthorityFigure
from support.forms import helper

MONTHS_OFFERED = 36


def past_months(today: date) -> list[date]:
    """The months a report can be run for: every full month before this one, latest first."""
    return list(reversed(figures.months_back(figures.previous_month(today), MONTHS_OFFERED)))


class GenerateForm(forms.Form):
    period = forms.ChoiceField(
        label="Month",
        help_text="A report covers a whole month that has ended",
        error_messages={"required": "Choose the month", "invalid_choice": "Choose a month that has ended"},
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        months = past_months(today)
        self.fields["period"].choices = [(m.isoformat(), figures.month_label(m)) for m in months]
        self.fields["period"].initial = months[0].isoformat()
        self.helper = helper(Field.select("period"), submit="Run the report")

    def clean_period(self) -> date:
        return date.fromisoformat(self.cleaned_data["period"])


QUARTERS_OFFERED = 12


class QuarterlyFigureForm(forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        help_text="Calendar quarters: January to March, April to June, July to September, October to December",
        error_messages={"required": "Choose the quarter", "invalid_choice": "Choose a quarter that has started"},
    )
    measure = forms.ChoiceField(
        label="What is the count of?",
        choices=list(quarters.MEASURES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the count is of"},
    )
    count = forms.IntegerField(
        label="Count",
        min_value=0,
        error_messages={
            "required": "Enter the count",
            "invalid": "The count must be a whole number, like 4",
            "min_value": "The count must be 0 or more",
        },
    )
    source = forms.CharField(
        label="Source (optional)",
        required=False,
        max_length=200,
        help_text="For example, the exclusions team's register at 5 January",
        error_messages={"max_length": "The source must be 200 characters or fewer"},
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        offered = quarters.recent(today, QUARTERS_OFFERED)
        self.fields["quarter"].choices = [(q.start.isoformat(), q.label) for q in offered]
        self.fields["quarter"].initial = quarters.last_ended(today).start.isoformat()
        self.helper = helper(
            Field.select("quarter"),
            Field.radios("measure", small=True),
            Field.text("count", field_width=4),
            Field.text("source"),
            submit="Record the count",
        )

    def clean_quarter(self) -> date:
        return date.fromisoformat(self.cleaned_data["quarter"])


YEARS_OFFERED = 10
ENGLAND = "0"


class LaFigureForm(forms.Form):
    """A figure DfE publishes for an LA or England in its tools (LAIT), copied by an officer."""

    measure = forms.ChoiceField(
        label="Measure",
        choices=[
            (m.code, m.label)
            for m in sorted(la_measures.MEASURES, key=lambda m: not m.entered_by_hand)  # LAIT's first
        ],
        error_messages={"required": "Choose the measure", "invalid_choice": "Choose the measure"},
    )
    place = forms.ChoiceField(
        label="England or a local authority",
        error_messages={
            "required": "Choose England or a local authority",
            "invalid_choice": "Choose England or a local authority",
        },
    )
    academic_year = forms.TypedChoiceField(
        label="Academic year",
        coerce=int,
        error_messages={"required": "Choose the academic year", "invalid_choice": "Choose the academic year"},
    )
    value = forms.DecimalField(
        label="Figure",
        required=False,
        max_digits=12,
        decimal_places=4,
        help_text="As DfE shows it: a percentage without the % sign, such as 23.5, or a Progress 8 score, such "
        "as -0.45. Leave it empty if DfE shows a symbol instead",
        error_messages={
            "invalid": "The figure must be a number, like 23.5",
            "max_decimal_places": "The figure must have 4 decimal places or fewer",
            "max_digits": "The figure must be a number, like 23.5",
            "max_whole_digits": "The figure must be a number, like 23.5",
        },
    )
    marker = forms.ChoiceField(
        label="Symbol DfE shows instead of a figure (if any)",
        required=False,
        choices=[("", "None: DfE gives a figure"), *la_measures.MARKERS.items()],
    )
    source = forms.CharField(
        label="Source",
        max_length=200,
        help_text="For example: DfE LAIT, March 2026",
        error_messages={
            "required": "Enter where the figure comes from",
            "max_length": "The source must be 200 characters or fewer",
        },
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        las = LocalAuthority.objects.order_by("name").values_list("code", "name")
        self.fields["place"].choices = [("", "Choose"), (ENGLAND, "England"), *((str(c), f"{n} ({c})") for c, n in las)]
        latest = academic_year_of(today)
        years = range(latest, latest - YEARS_OFFERED, -1)
        self.fields["academic_year"].choices = [(year, academic_year_label(year)) for year in years]
        # DfE publishes a year's results in the next academic year.
        self.fields["academic_year"].initial = latest - 1
        self.helper = helper(
            Field.select("measure"),
            Field.select("place"),
            Field.select("academic_year"),
            Field.text("value", field_width=5),
            Field.select("marker"),
            Field.text("source"),
            submit="Save the figure",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and cleaned.get("value") is None and not cleaned.get("marker"):
            self.add_error("value", "Enter the figure, or choose the symbol DfE shows instead")
        elif cleaned.get("value") is not None and cleaned.get("marker"):
            self.add_error("marker", "Enter the figure or choose the symbol DfE shows instead, not both")
        return cleaned

    def refused(self, error: ValidationError) -> None:
        """Show the service's refusal on the fields it names (the place is the LA code)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error("place" if name == "la_code" else name if name in self.fields else None, messages)

    def figure(self) -> dict[str, Any]:
        """The service's arguments: England is the national level with LA code 0."""
        data = self.cleaned_data
        england = data["place"] == ENGLAND
        value: Decimal | None = data["value"]
        return {
            "measure": data["measure"],
            "level": LocalAuthorityFigure.Level.NATIONAL if england else LocalAuthorityFigure.Level.LOCAL_AUTHORITY,
            "la_code": int(data["place"]),
            "academic_year": data["academic_year"],
            "value": value,
            "marker": data["marker"],
            "source": data["source"],
        }

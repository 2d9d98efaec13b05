from datetime import date

from crispy_forms_gds.layout import Field
from django import forms

from reporting import figures
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
